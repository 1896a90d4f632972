package io.depthstream.streams.metrics;

import io.depthstream.proto.v1.StageTimings;

/**
 * When each stage of one frame began, in one reused object per processor: the wall-clock arrival (nanoseconds
 * since the epoch, comparable with capture times) and monotonic marks ({@link System#nanoTime}) for the stage
 * durations. Marks are set in order: {@link #arrived}, {@link #reconstructing}, {@link #guiding},
 * {@link #encoding}, {@link #encoded}.
 */
public final class FrameTimings {
  private long arrivalWallNanos;
  private long decodeStart;
  private long reconstructStart;
  private long guidanceStart;
  private long encodeStart;
  private long encodeEnd;
  private long previousEncodeNanos;

  /** The processor took the frame at {@code wallNanos} (epoch ns); decoding starts now. */
  public void arrived(long wallNanos) {
    arrivalWallNanos = wallNanos;
    decodeStart = System.nanoTime();
  }

  public void reconstructing() {
    reconstructStart = System.nanoTime();
  }

  public void guiding() {
    guidanceStart = System.nanoTime();
  }

  public void encoding() {
    encodeStart = System.nanoTime();
  }

  public void encoded() {
    encodeEnd = System.nanoTime();
    previousEncodeNanos = encodeEnd - encodeStart;
  }

  public long arrivalWallNanos() {
    return arrivalWallNanos;
  }

  public long decodeNanos() {
    return reconstructStart - decodeStart;
  }

  public long reconstructNanos() {
    return guidanceStart - reconstructStart;
  }

  public long guidanceNanos() {
    return encodeStart - guidanceStart;
  }

  public long encodeNanos() {
    return encodeEnd - encodeStart;
  }

  /**
   * The wire form as {@link #toProto} will give it, while the frame is being encoded: its decode, reconstruct and
   * queue times, and the encode time of the frame before (0 before the first), whose encoded size this frame's
   * encode time most likely has.
   */
  public StageTimings estimateProto(long captureNanos) {
    return proto(captureNanos, previousEncodeNanos);
  }

  /**
   * The wire form; the queue time is capture to arrival. The encode time is the one of the previous
   * {@link #encoded} mark, so call this after it (the message itself is then serialized by the producer).
   */
  public StageTimings toProto(long captureNanos) {
    return proto(captureNanos, encodeNanos());
  }

  private StageTimings proto(long captureNanos, long encodeNanos) {
    return StageTimings.newBuilder()
        .setDecodeNs(decodeNanos())
        .setReconstructNs(reconstructNanos())
        .setEncodeNs(encodeNanos)
        .setQueueNs(arrivalWallNanos - captureNanos)
        .build();
  }
}
