package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.focus.FocalStackEstimator;
import io.depthstream.streams.codec.FocalStackDecoder;
import io.depthstream.streams.codec.InvalidFrameException;

/**
 * Focal stacks: {@link FocalStackDecoder} in, the configured {@link FocalStackEstimator} (depth from focus or a
 * model) out, at the stack's size. Focal-stack depth is estimated, not filled from samples: every pixel the
 * estimator gave a depth counts as supported.
 */
final class FocalStackPath extends MethodPath<FocalStackDecoder.Decoded, FocalStackEstimator> {
  private final FocalStackDecoder decoder;

  FocalStackPath(String method, FocalStackFactory factory, FocalStackDecoder decoder) {
    super(method, factory::open);
    this.decoder = decoder;
  }

  @Override
  public FocalStackDecoder.Decoded decode(String key, byte[] value) throws InvalidFrameException {
    return decoder.decode(key, value);
  }

  @Override
  public Estimate estimate(FocalStackDecoder.Decoded stack) {
    FocalStackEstimator e = instance();
    DepthMap out = output(stack.width(), stack.height());
    e.estimate(stack.stackRgb(), stack.focusMetres(), stack.slices(), stack.height(), stack.width(), out);
    support.allMeasured(out);
    return new Estimate(out, support, stack.intrinsics(), method(), e.version(), null);
  }

  @Override
  public boolean fellBackToCpu() {
    return instance().fellBackToCpu();
  }
}
