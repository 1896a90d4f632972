package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.codec.Intrinsics;
import io.depthstream.streams.codec.InvalidFrameException;

/**
 * Depth frames (LiDAR, RGB-D, vSLAM): {@link FrameDecoder} in, the topic's {@link DepthReconstructor} out, with the
 * support of each output pixel computed from the input's measured pixels and its ±Inf pixels.
 */
final class DepthFramePath extends MethodPath<FrameDecoder.Decoded, DepthReconstructor> {
  private final FrameDecoder decoder;

  DepthFramePath(String method, ReconstructorFactory factory, FrameDecoder decoder) {
    super(method, factory::create);
    this.decoder = decoder;
  }

  @Override
  public FrameDecoder.Decoded decode(String key, byte[] value) throws InvalidFrameException {
    return decoder.decode(key, value);
  }

  @Override
  public Estimate estimate(FrameDecoder.Decoded input) {
    DepthReconstructor r = instance();
    int f = r.scaleFactor();
    DepthMap in = input.depth();
    DepthMap out = output(in.width() * f, in.height() * f);
    r.reconstruct(in, out);
    support.compute(input.measured(), input.specials(), f); // marked by the decoder: the input is not read again
    DepthReconstructor by = r.lastFrameMethod(); // the fast path's density fallback may have handed it to linear
    return new Estimate(out, support, Intrinsics.scaled(input.intrinsics(), f), by.name(), by.modelVersion(), in);
  }

  @Override
  public boolean fellBackToCpu() {
    return instance().fellBackToCpu();
  }
}
