package io.depthstream.streams.topology;

import io.depthstream.proto.foxglove.FoxgloveConversion;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.streams.codec.OutputEncoding;
import io.depthstream.streams.topology.Routed.Route;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The live Foxglove export of the emit stage ({@code depthstream.foxglove.enabled}): per dense frame its depth as
 * foxglove.RawImage, its calibration as foxglove.CameraCalibration and its guidance's scan as foxglove.LaserScan,
 * made by proto's {@link FoxgloveConversion}, the one conversion the recorder's Foxglove views use too (frame id
 * {@code <sensor>_optical_frame}, message timestamp = capture time in ns). The image of uint16 millimetres and float32
 * metres output carries the dense message's bytes without a copy (the encoder's reused array); that of uint16 1/256 m
 * output is float32 metres in this export's reused array: each message is serialized before the next frame. Not
 * thread-safe: one per processor.
 */
final class FoxgloveExport {
  private byte[] metres = new byte[0];

  /**
   * The RawImage payload of a {@code width x height} output in {@code encoding}, in bytes, known before encoding:
   * 16UC1 for uint16 millimetres (2 bytes a pixel), 32FC1 for float32 metres and for uint16 1/256 m, which Foxglove
   * has no encoding for and which becomes float metres (4 bytes a pixel).
   */
  long imageBytes(OutputEncoding encoding, int width, int height) {
    return (long) width * height * (encoding == OutputEncoding.UINT16_MM ? 2 : 4);
  }

  /** Forwards the three Foxglove messages of {@code dense} and {@code guidance}, each that exists. */
  void forward(ProcessorContext<String, Routed> context, DenseDepth dense, NavigationGuidance guidance,
      long timestampMs) {
    String sensor = dense.getId().getSensorId();
    FoxgloveConversion.image(dense, this::metresBuffer).ifPresent(image -> context
        .forward(new Record<>(sensor, new Routed(Route.FOXGLOVE_IMAGE, image.toByteArray()), timestampMs)));
    FoxgloveConversion.calibration(dense.getId(), dense.getIntrinsics(), dense.getWidth(), dense.getHeight())
        .ifPresent(calibration -> context.forward(new Record<>(sensor,
            new Routed(Route.FOXGLOVE_CALIBRATION, calibration.toByteArray()), timestampMs)));
    FoxgloveConversion.laserScan(guidance).ifPresent(scan -> context
        .forward(new Record<>(sensor, new Routed(Route.FOXGLOVE_SCAN, scan.toByteArray()), timestampMs)));
  }

  /** The reused array for float32 metres, at least {@code bytes} long: a new one only when a frame is larger. */
  private byte[] metresBuffer(int bytes) {
    if (metres.length < bytes) {
      metres = new byte[bytes];
    }
    return metres;
  }
}
