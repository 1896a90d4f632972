package io.depthstream.streams.topology;

import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.streams.codec.AliasingInput;
import io.depthstream.streams.codec.DenseDepthEncoder;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.streams.codec.PointCloudEncoder;
import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.streams.guidance.GuidanceComputer;
import io.depthstream.streams.metrics.FrameTimings;
import io.depthstream.streams.metrics.NodeMetrics.SensorMeters;
import io.depthstream.streams.topology.FramePath.Estimate;
import io.depthstream.streams.topology.Routed.Route;
import io.depthstream.streams.view.LiveView;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import java.io.IOException;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The emit stage of the frame path: navigation guidance from the estimate and its support, the DenseDepth encoding
 * (and, when on, the PointCloud and the Foxglove export) with sizes checked against their topics' limits, the records forwarded with the
 * capture time as timestamp, the sensor's meters, and the frame offered to the live view.
 */
final class DenseOutput {
  private final DenseDepthEncoder encoder;
  private final PointCloudEncoder points;
  private final FoxgloveExport foxglove;
  private final GuidanceComputer guidance;
  private final DeadLetters deadLetters;
  private final OutputLimits limits;
  private final LiveView view;
  private final LongSupplier wallClock;

  /**
   * @param points the point cloud encoder, or null when point clouds are off
   * @param foxglove the Foxglove export, or null when it is off
   * @param deadLetters the dead-letter route
   * @param limits the largest value each route may carry
   * @param view the live view, {@link LiveView#OFF} when off
   * @param wallClock nanoseconds since the epoch, for publish times
   */
  DenseOutput(DenseDepthEncoder encoder, PointCloudEncoder points, FoxgloveExport foxglove,
      GuidanceComputer guidance, DeadLetters deadLetters, OutputLimits limits, LiveView view,
      LongSupplier wallClock) {
    this.wallClock = wallClock;
    this.encoder = encoder;
    this.points = points;
    this.foxglove = foxglove;
    this.guidance = guidance;
    this.deadLetters = deadLetters;
    this.limits = limits;
    this.view = view;
  }

  /**
   * Publishes the estimate of {@code input}. When the dense output, the point cloud or the Foxglove image would not
   * fit its topic's limit, none is sent: the frame is dead-lettered as OUTPUT_TOO_LARGE, and its guidance (small, and what the
   * robot steers by) still goes out. Both sizes are known before anything is encoded.
   */
  void emit(ProcessorContext<String, Routed> context, Record<String, byte[]> input, RecordSource source, FrameId id,
      Estimate estimate, FrameTimings timings, SensorMeters meters) {
    String sensor = id.getSensorId();
    long timestampMs = id.getCaptureTimeNs() / 1_000_000L;
    timings.guiding();
    NavigationGuidance nav = guidance.compute(id, estimate.intrinsics(), estimate.depth(), estimate.support());
    byte[] navBytes = nav.toByteArray();
    String tooLarge = tooLarge(estimate.depth().width(), estimate.depth().height());
    if (tooLarge != null) {
      context.forward(new Record<>(sensor, new Routed(Route.GUIDANCE, navBytes), timestampMs));
      deadLetters.forward(context, input, source, meters,
          new InvalidFrameException(DeadLetterReason.OUTPUT_TOO_LARGE, tooLarge));
      return;
    }
    timings.encoding();
    // Serialized at once: the cloud's xyz bytes are the encoder's reused array.
    byte[] cloudBytes = points == null ? null
        : points.encode(id, estimate.intrinsics(), estimate.depth(), estimate.support()).toByteArray();
    long[] publishNanos = new long[1];
    // The payload goes straight into the record's bytes; the timings (encode time included) and the publish time
    // are set once it is written, after a header sized by their estimate (all but the encode time are known).
    byte[] denseBytes = encoder.encodeRecord(id, estimate.intrinsics(), estimate.depth(), estimate.support(),
        estimate.method(), estimate.modelVersion(), new DenseDepthEncoder.LateFields() {
          @Override
          public void estimate(DenseDepth.Builder header) {
            header.setTimings(timings.estimateProto(id.getCaptureTimeNs()))
                .setPublishTimeNs(timings.arrivalWallNanos()); // an epoch time like the publish time, same size
          }

          @Override
          public void set(DenseDepth.Builder header) {
            timings.encoded();
            publishNanos[0] = wallClock.getAsLong();
            header.setTimings(timings.toProto(id.getCaptureTimeNs())).setPublishTimeNs(publishNanos[0]);
          }
        });
    context.forward(new Record<>(sensor, new Routed(Route.DENSE, denseBytes), timestampMs));
    context.forward(new Record<>(sensor, new Routed(Route.GUIDANCE, navBytes), timestampMs));
    if (cloudBytes != null) {
      context.forward(new Record<>(sensor, new Routed(Route.POINTS, cloudBytes), timestampMs));
    }
    if (foxglove != null) {
      foxglove.forward(context, parseAliased(denseBytes), nav, timestampMs);
    }
    long latencyNanos = publishNanos[0] - id.getCaptureTimeNs();
    meters.out(timings, latencyNanos, encoder.saturatedPixels());
    view.offer(id, estimate.method(), estimate.input(), estimate.depth(), nav, latencyNanos);
  }

  /** The DenseDepth just serialised, its payload pointing into {@code bytes} (no copy), for the Foxglove export. */
  private static DenseDepth parseAliased(byte[] bytes) {
    try {
      return DenseDepth.parseFrom(AliasingInput.of(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("the node's own DenseDepth does not parse", e);
    }
  }

  /** Why the outputs of a {@code width x height} estimate cannot be sent, or null when they fit. */
  private String tooLarge(int width, int height) {
    String size = width + "x" + height;
    long payload = encoder.payloadBytes(width, height);
    if (payload > limits.valueBytes(Route.DENSE)) {
      return "the " + size + " " + encoder.encoding().configName() + " output is " + payload + " bytes, over "
          + limit(Route.DENSE) + "; choose uint16 output or smaller frames, or raise the dense topic's "
          + "max.message.bytes (and producer.max.request.size if set)";
    }
    long cloud = points == null ? 0 : points.payloadBytes(width, height);
    if (cloud > limits.valueBytes(Route.POINTS)) {
      return "the point cloud of the " + size + " output (" + points.columns(width) + "x" + points.rows(height)
          + " points at depthstream.points.decimation " + points.decimation() + ") is " + cloud + " bytes, over "
          + limit(Route.POINTS) + "; raise depthstream.points.decimation, or the points topic's max.message.bytes "
          + "(and producer.max.request.size if set)";
    }
    long image = foxglove == null ? 0 : foxglove.imageBytes(encoder.encoding(), width, height);
    if (image > limits.valueBytes(Route.FOXGLOVE_IMAGE)) {
      return "the Foxglove image of the " + size + " output is " + image + " bytes, over "
          + limit(Route.FOXGLOVE_IMAGE) + "; raise the Foxglove image topic's max.message.bytes (and "
          + "producer.max.request.size if set), or turn depthstream.foxglove.enabled off";
    }
    return null;
  }

  private String limit(Route route) {
    return "the limit of " + limits.valueBytes(route) + " bytes (" + limits.source(route) + " less headroom)";
  }
}
