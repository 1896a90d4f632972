package io.depthstream.connect.record;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.depthstream.proto.foxglove.FoxgloveConversion;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.NavigationGuidance;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes, next to each recorded depth or guidance record, the viewer channels a stock Foxglove app shows
 * ({@link FoxgloveConversion}): for a topic T and key K, {@code /T/K/image} (foxglove.RawImage) and
 * {@code /T/K/calibration} (foxglove.CameraCalibration) for input frames and dense depth, {@code /T/K/scan}
 * (foxglove.LaserScan) for guidance. Protobuf messages, their schemas as FileDescriptorSets; channel metadata
 * {@value Mcap#META_ROLE} = {@value Mcap#ROLE_VIEW}, so the player leaves them out. A record that does not parse
 * (the demo's corrupt records) gets no views; the record itself is still recorded as it was.
 */
final class FoxgloveChannels {
  private record ChannelKey(String topic, String key, String view) {}

  private final McapWriter writer;
  private final Map<ChannelKey, Integer> channels = new HashMap<>();
  private long skipped;

  FoxgloveChannels(McapWriter writer) {
    this.writer = writer;
  }

  /** Records whose value did not parse, so got no views. */
  long skipped() {
    return skipped;
  }

  /** Writes the views of one record of {@code type} at log time {@code timeNs}. */
  void write(String topic, String key, DriveRecorder.ValueType type, long timeNs, byte[] value) throws IOException {
    List<Map.Entry<String, Optional<? extends Message>>> views;
    try {
      views = views(type, value);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      skipped++;
      return;
    }
    for (Map.Entry<String, Optional<? extends Message>> v : views) {
      if (v.getValue().isPresent()) {
        put(topic, key, v.getKey(), v.getValue().get(), timeNs);
      }
    }
  }

  /** The views of one value, by name: image and calibration of depth, the scan of guidance. */
  private static List<Map.Entry<String, Optional<? extends Message>>> views(DriveRecorder.ValueType type, byte[] value)
      throws InvalidProtocolBufferException {
    return switch (type) {
      case DEPTH_FRAME -> {
        DepthFrame f = DepthFrame.parseFrom(value);
        yield List.of(Map.entry("image", FoxgloveConversion.image(f)), Map.entry("calibration",
            FoxgloveConversion.calibration(f.getId(), f.getIntrinsics(), f.getWidth(), f.getHeight())));
      }
      case DENSE_DEPTH -> {
        DenseDepth d = DenseDepth.parseFrom(value);
        yield List.of(Map.entry("image", FoxgloveConversion.image(d)), Map.entry("calibration",
            FoxgloveConversion.calibration(d.getId(), d.getIntrinsics(), d.getWidth(), d.getHeight())));
      }
      case NAVIGATION_GUIDANCE ->
        List.of(Map.entry("scan", FoxgloveConversion.laserScan(NavigationGuidance.parseFrom(value))));
      default -> List.of(); // focal stacks and raw bytes: no Foxglove view
    };
  }

  private void put(String topic, String key, String view, Message m, long timeNs) throws IOException {
    ChannelKey ck = new ChannelKey(topic, key, view);
    Integer id = channels.get(ck);
    if (id == null) {
      Map<String, String> meta = new TreeMap<>();
      meta.put(Mcap.META_ROLE, Mcap.ROLE_VIEW);
      meta.put(Mcap.META_KAFKA_TOPIC, topic);
      meta.put(Mcap.META_KAFKA_KEY, key == null ? "" : key);
      String name = "/" + topic + "/" + (key == null ? "_" : key) + "/" + view;
      id = writer.channel(name, "protobuf", McapWriter.Schema.protobuf(m.getDescriptorForType()), meta);
      channels.put(ck, id);
    }
    byte[] bytes = m.toByteArray();
    writer.message(id, timeNs, timeNs, bytes, 0, bytes.length);
  }
}
