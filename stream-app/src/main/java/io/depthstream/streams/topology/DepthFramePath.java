package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.codec.Intrinsics;
import io.depthstream.streams.codec.InvalidFrameException;

/**
 * Depth frames (LiDAR, RGB-D, vSLAM): {@link FrameDecoder} in, the topic's {@link DepthReconstructor} out, with the
 * support of each output pixel computed from the input's measured pixels and its ±Inf pixels.
 */
final class DepthFramePath implements FramePath<FrameDecoder.Decoded> {
  private final String method;
  private final ReconstructorFactory factory;
  private final FrameDecoder decoder;
  private final SupportMap support = new SupportMap();
  private DepthReconstructor reconstructor;
  private DepthMap output;

  DepthFramePath(String method, ReconstructorFactory factory, FrameDecoder decoder) {
    this.method = method;
    this.factory = factory;
    this.decoder = decoder;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public FrameDecoder.Decoded decode(String key, byte[] value) throws InvalidFrameException {
    return decoder.decode(key, value);
  }

  @Override
  public Estimate estimate(FrameDecoder.Decoded input) {
    DepthReconstructor r = reconstructor();
    int f = r.scaleFactor();
    DepthMap in = input.depth();
    if (output == null || output.width() != in.width() * f || output.height() != in.height() * f) {
      output = DepthMap.allocate(in.width() * f, in.height() * f);
    }
    r.reconstruct(in, output);
    support.compute(in, input.specials(), f);
    return new Estimate(output, support, Intrinsics.scaled(input.intrinsics(), f), r.modelVersion());
  }

  private DepthReconstructor reconstructor() {
    if (reconstructor == null) {
      reconstructor = factory.create(method);
    }
    return reconstructor;
  }

  @Override
  public boolean fellBackToCpu() {
    return reconstructor().fellBackToCpu();
  }

  @Override
  public void close() {
    if (reconstructor != null) {
      reconstructor.close();
      reconstructor = null;
    }
  }
}
