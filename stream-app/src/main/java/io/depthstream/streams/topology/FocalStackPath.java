package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.focus.FocalStackEstimator;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.streams.codec.FocalStackDecoder;
import io.depthstream.streams.codec.InvalidFrameException;

/**
 * Focal stacks: {@link FocalStackDecoder} in, the configured {@link FocalStackEstimator} (depth from focus or a
 * model) out, at the stack's size. Focal-stack depth is estimated, not filled from samples: every pixel the
 * estimator gave a depth counts as supported.
 */
final class FocalStackPath implements FramePath<FocalStackDecoder.Decoded> {
  private final String method;
  private final FocalStackFactory factory;
  private final FocalStackDecoder decoder;
  private final SupportMap support = new SupportMap();
  private FocalStackEstimator estimator;
  private DepthMap output;

  FocalStackPath(String method, FocalStackFactory factory, FocalStackDecoder decoder) {
    this.method = method;
    this.factory = factory;
    this.decoder = decoder;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public FocalStackDecoder.Decoded decode(String key, byte[] value) throws InvalidFrameException {
    return decoder.decode(key, value);
  }

  @Override
  public Estimate estimate(FocalStackDecoder.Decoded stack) {
    FocalStackEstimator e = estimator();
    if (output == null || output.width() != stack.width() || output.height() != stack.height()) {
      output = DepthMap.allocate(stack.width(), stack.height());
    }
    e.estimate(stack.stackRgb(), stack.focusMetres(), stack.slices(), stack.height(), stack.width(), output);
    support.allMeasured(output);
    return new Estimate(output, support, stack.intrinsics(), e.version());
  }

  private FocalStackEstimator estimator() {
    if (estimator == null) {
      estimator = factory.open(method);
    }
    return estimator;
  }

  @Override
  public boolean fellBackToCpu() {
    return estimator().fellBackToCpu();
  }

  @Override
  public void close() {
    if (estimator != null) {
      estimator.close();
      estimator = null;
    }
  }
}
