package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.streams.codec.DecodedFrame;
import io.depthstream.streams.codec.InvalidFrameException;

/**
 * What differs between the inputs of the frame path (depth frames, focal stacks): how a record's bytes become a
 * validated input, and how that input becomes depth. Everything else (admission by the real-time policy, dead
 * letters, guidance, encoding, size limits, meters) is {@link FrameProcessor}'s, the same for every input.
 *
 * <p>One instance per stream task; not thread-safe. The method behind it is opened on first use.
 */
interface FramePath<I extends DecodedFrame> extends AutoCloseable {
  /** The configured method's name, as in the frames.out meter (DenseDepth.method is {@link Estimate#method()}). */
  String method();

  /**
   * Decodes and validates a record value; the result's buffers are reused by the next call.
   *
   * @param key the record key, which must equal the sensor id when set
   */
  I decode(String key, byte[] value) throws InvalidFrameException;

  /**
   * Estimates the dense depth of {@code input}, and which of its pixels rest on measurements.
   *
   * @throws RuntimeException when the method fails on this input (it is dead-lettered as RECONSTRUCTION_FAILED)
   */
  Estimate estimate(I input);

  /**
   * Estimates {@code input}, which reached the processor {@code ageNanos} after its capture: a path may serve a late
   * input with a cheaper method ({@link DepthFramePath}'s overload method). The default ignores the age.
   */
  default Estimate estimate(I input, long ageNanos) {
    return estimate(input);
  }

  /** Whether the last estimate used the overload method instead of the configured one. */
  default boolean lastWasOverloaded() {
    return false;
  }

  /** Whether the method asked for CUDA and runs on the CPU (counted once, when the method is opened). */
  boolean fellBackToCpu();

  @Override
  void close();

  /**
   * One input's result, in buffers owned by the path and valid until its next estimate.
   *
   * @param depth the dense depth, metres, 0 = none
   * @param support per output pixel, its distance to a measurement (see {@link SupportMap})
   * @param intrinsics the camera model of {@code depth} (scaled when a super-resolution model enlarged it)
   * @param method the method that produced {@code depth}, as DenseDepth.method: the configured one, or the one it
   *     handed this input to ({@code linear} for a frame below the fast path's density fallback)
   * @param modelVersion that method's model version, "" for classical methods
   * @param input the measured input depth the estimate came from (metres, 0 = none, input resolution), for the live
   *     view; null when the input has no depth (a focal stack)
   */
  record Estimate(DepthMap depth, SupportMap support, CameraIntrinsics intrinsics, String method,
      String modelVersion, DepthMap input) {}
}
