package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.StageTimings;
import io.depthstream.streams.codec.DenseDepthEncoder;
import io.depthstream.streams.guidance.GuidanceComputer;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.topology.Routed.Route;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What every processor does around its reconstruction, in one place: the real-time skip check before it, and after
 * it the navigation guidance, the DenseDepth encoding, both records forwarded with the capture time as timestamp, and
 * the stage, output and end-to-end meters. It also owns the processor's reused output map.
 */
final class DenseOutput {
  private final DenseDepthEncoder encoder;
  private final GuidanceComputer guidance;
  private final NodeMetrics metrics;
  private DepthMap buffer;
  private final SupportMap support = new SupportMap();
  /** Until the decoder reports the frame's +/-Inf pixels, there are none: it dead-letters them. */
  private final SpecialPixels noSpecials = new SpecialPixels();

  DenseOutput(DenseDepthEncoder encoder, GuidanceComputer guidance, NodeMetrics metrics) {
    this.encoder = encoder;
    this.guidance = guidance;
    this.metrics = metrics;
  }

  /**
   * The map a reconstruction writes into, {@code width x height} pixels: allocated on the first frame and again
   * only when the size changes, so a steady stream reuses one buffer.
   */
  DepthMap buffer(int width, int height) {
    if (buffer == null || buffer.width() != width || buffer.height() != height) {
      buffer = DepthMap.allocate(width, height);
    }
    return buffer;
  }

  /** The reused support of a reconstruction from {@code input} by {@code scaleFactor}: what was measured. */
  SupportMap supportOf(DepthMap input, int scaleFactor) {
    support.compute(input, noSpecials, scaleFactor);
    return support;
  }

  /** The reused support of an estimate with no sparse input behind it (a focal stack): all its depth counts. */
  SupportMap supportOfEstimate(DepthMap estimate) {
    support.allMeasured(estimate);
    return support;
  }

  /**
   * Real-time policy: a robot wants the newest depth, not a backlog. True (and counted as skipped) when the frame
   * captured at {@code captureNanos} is already older than {@code budgetNanos} at {@code nowWallNanos}; a budget of
   * 0 or less never skips.
   */
  boolean skipStale(String sensor, long captureNanos, long nowWallNanos, long budgetNanos) {
    if (budgetNanos > 0 && nowWallNanos - captureNanos > budgetNanos) {
      metrics.skipped(sensor);
      return true;
    }
    return false;
  }

  /**
   * Computes the guidance of {@code dense}, encodes it and forwards both.
   *
   * @param decodeStartWall wall clock (ns since epoch) when decoding began: capture to it is the queue time
   * @param t0 monotonic time when decoding began
   * @param t1 monotonic time when reconstruction began
   * @param support the support of {@code dense} (computed after t2, so it counts in the guidance stage)
   * @param t2 monotonic time when reconstruction ended
   */
  void emit(ProcessorContext<String, Routed> context, FrameId id, CameraIntrinsics intrinsics, DepthMap dense,
      SupportMap support, String method, String modelVersion, long decodeStartWall, long t0, long t1, long t2) {
    String sensor = id.getSensorId();
    NavigationGuidance nav = guidance.compute(id, intrinsics, dense, support);
    long t3 = System.nanoTime();
    long captureNanos = id.getCaptureTimeNs();
    StageTimings.Builder timings = StageTimings.newBuilder()
        .setDecodeNs(t1 - t0)
        .setReconstructNs(t2 - t1)
        .setQueueNs(decodeStartWall - captureNanos);
    DenseDepth result = encoder.encode(id, intrinsics, dense, support, method, modelVersion, timings);
    long timestampMs = captureNanos / 1_000_000L;
    context.forward(new Record<>(sensor, new Routed(Route.DENSE, result.toByteArray()), timestampMs));
    context.forward(new Record<>(sensor, new Routed(Route.GUIDANCE, nav.toByteArray()), timestampMs));
    metrics.stage("decode", t1 - t0);
    metrics.stage("reconstruct", t2 - t1);
    metrics.stage("guidance", t3 - t2);
    metrics.stage("encode", result.getTimings().getEncodeNs());
    metrics.frameOut(sensor, method);
    metrics.endToEnd(sensor, result.getPublishTimeNs() - captureNanos);
  }
}
