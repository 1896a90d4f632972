package io.depthstream.streams.topology;

import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.streams.codec.DenseDepthEncoder;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.streams.guidance.GuidanceComputer;
import io.depthstream.streams.metrics.FrameTimings;
import io.depthstream.streams.metrics.NodeMetrics.SensorMeters;
import io.depthstream.streams.topology.FramePath.Estimate;
import io.depthstream.streams.topology.Routed.Route;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The emit stage of the frame path: navigation guidance from the estimate and its support, the DenseDepth encoding
 * with its size checked against the producer's limit, both records forwarded with the capture time as timestamp, and
 * the sensor's meters.
 */
final class DenseOutput {
  private final String method;
  private final DenseDepthEncoder encoder;
  private final GuidanceComputer guidance;
  private final DeadLetters deadLetters;
  private final int maxValueBytes;
  private final LongSupplier wallClock;

  /**
   * @param method the method's name, as DenseDepth.method
   * @param maxValueBytes the largest value the producer can write (its max.request.size less headroom)
   * @param wallClock nanoseconds since the epoch, for publish times
   */
  DenseOutput(String method, DenseDepthEncoder encoder, GuidanceComputer guidance, DeadLetters deadLetters,
      int maxValueBytes, LongSupplier wallClock) {
    this.wallClock = wallClock;
    this.method = method;
    this.encoder = encoder;
    this.guidance = guidance;
    this.deadLetters = deadLetters;
    this.maxValueBytes = maxValueBytes;
  }

  /**
   * Publishes the estimate of {@code input}. A dense output that would not fit the producer's limit is not sent: the
   * frame is dead-lettered as OUTPUT_TOO_LARGE, and its guidance (small, and what the robot steers by) still goes
   * out.
   */
  void emit(ProcessorContext<String, Routed> context, Record<String, byte[]> input, RecordSource source, FrameId id,
      Estimate estimate, FrameTimings timings, SensorMeters meters) {
    String sensor = id.getSensorId();
    long timestampMs = id.getCaptureTimeNs() / 1_000_000L;
    timings.guiding();
    NavigationGuidance nav = guidance.compute(id, estimate.intrinsics(), estimate.depth(), estimate.support());
    byte[] navBytes = nav.toByteArray();
    long payload = encoder.payloadBytes(estimate.depth().width(), estimate.depth().height());
    if (payload > maxValueBytes) {
      context.forward(new Record<>(sensor, new Routed(Route.GUIDANCE, navBytes), timestampMs));
      deadLetters.forward(context, input, source, meters, new InvalidFrameException(DeadLetterReason.OUTPUT_TOO_LARGE,
          "the " + estimate.depth().width() + "x" + estimate.depth().height() + " " + encoder.encoding().configName()
              + " output is " + payload + " bytes, over the producer's limit of " + maxValueBytes
              + " (max.request.size less headroom); choose uint16 output, smaller frames or raise "
              + "producer.max.request.size with the dense topic's max.message.bytes"));
      return;
    }
    timings.encoding();
    DenseDepth.Builder dense = encoder.encode(id, estimate.intrinsics(), estimate.depth(), estimate.support(), method,
        estimate.modelVersion());
    timings.encoded();
    long publishNanos = wallClock.getAsLong();
    byte[] denseBytes = dense.setTimings(timings.toProto(id.getCaptureTimeNs()))
        .setPublishTimeNs(publishNanos)
        .build()
        .toByteArray();
    context.forward(new Record<>(sensor, new Routed(Route.DENSE, denseBytes), timestampMs));
    context.forward(new Record<>(sensor, new Routed(Route.GUIDANCE, navBytes), timestampMs));
    meters.out(timings, publishNanos - id.getCaptureTimeNs(), encoder.saturatedPixels());
  }
}
