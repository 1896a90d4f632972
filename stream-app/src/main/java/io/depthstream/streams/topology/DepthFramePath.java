package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.codec.Intrinsics;
import io.depthstream.streams.codec.InvalidFrameException;

/**
 * Depth frames (LiDAR, RGB-D, vSLAM): {@link FrameDecoder} in, the topic's {@link DepthReconstructor} out, with the
 * support of each output pixel computed from the input's measured pixels and its ±Inf pixels.
 *
 * <p>Overload: a frame that reached the processor later than {@code overloadAfterNanos} after its capture is
 * reconstructed by the overload method instead (a cheap classical one), so a node that has fallen behind catches up
 * on fresh frames rather than serving a backlog late; the method's name goes into DenseDepth.method. Not for a
 * super-resolution method (the output size would change).
 */
final class DepthFramePath extends MethodPath<FrameDecoder.Decoded, DepthReconstructor> {
  private final FrameDecoder decoder;
  private final ReconstructorFactory factory;
  private final String overloadMethod;
  private final long overloadAfterNanos;
  private DepthReconstructor overload;
  private boolean lastOverloaded;

  DepthFramePath(String method, ReconstructorFactory factory, FrameDecoder decoder) {
    this(method, factory, decoder, null, 0);
  }

  /**
   * @param overloadMethod the method of late frames; null or the sensor's own method = none
   * @param overloadAfterNanos the age at the processor beyond which a frame is late; 0 = never
   */
  DepthFramePath(String method, ReconstructorFactory factory, FrameDecoder decoder, String overloadMethod,
      long overloadAfterNanos) {
    super(method, factory::create);
    this.decoder = decoder;
    this.factory = factory;
    boolean on = overloadAfterNanos > 0 && overloadMethod != null && !overloadMethod.equals(method);
    this.overloadMethod = on ? overloadMethod : null;
    this.overloadAfterNanos = on ? overloadAfterNanos : 0;
  }

  @Override
  public FrameDecoder.Decoded decode(String key, byte[] value) throws InvalidFrameException {
    return decoder.decode(key, value);
  }

  @Override
  public Estimate estimate(FrameDecoder.Decoded input) {
    lastOverloaded = false;
    return estimate(input, instance());
  }

  @Override
  public Estimate estimate(FrameDecoder.Decoded input, long ageNanos) {
    DepthReconstructor r = instance();
    lastOverloaded = overloadAfterNanos > 0 && ageNanos > overloadAfterNanos && r.scaleFactor() == 1;
    if (lastOverloaded) {
      if (overload == null) {
        overload = factory.create(overloadMethod);
      }
      r = overload;
    }
    return estimate(input, r);
  }

  @Override
  public boolean lastWasOverloaded() {
    return lastOverloaded;
  }

  private Estimate estimate(FrameDecoder.Decoded input, DepthReconstructor r) {
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

  @Override
  protected void closeOthers() {
    if (overload != null) {
      try {
        overload.close();
      } finally {
        overload = null;
      }
    }
  }
}
