package io.depthstream.connect.record;

import com.google.protobuf.Descriptors.Descriptor;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.NavigationGuidance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Records chosen topics into one MCAP file ({@link McapWriter}) with each record's original timestamp, key and
 * value schema, for fleet operators to replay a drive later without the sensors ({@link DrivePlayer}).
 *
 * <p>What a file holds is its {@link Profile}: by default ({@link Profile#FOXGLOVE}) every record's key, value,
 * headers and timestamp ({@link McapWriter}), log times at the capture time's nanosecond, plus Foxglove views of
 * depth and guidance records ({@link FoxgloveChannels}) unless switched off: the player replays it and a stock
 * Foxglove app opens it. {@link Profile#ROS2} writes a rosbag2-compatible file instead ({@link Ros2Channels}).
 * Chunks are compressed as the {@link McapWriter.Options} say (zstd in 4 MiB chunks by default).
 *
 * <p>Partitions are assigned directly (no consumer group, nothing committed), from the beginning or the end of
 * each partition. Records of one partition, hence of one key, are written in their log order.
 */
public final class DriveRecorder {
  /** Value types a topic can be recorded as; {@code BYTES} keeps raw bytes without a schema. */
  public enum ValueType {
    DEPTH_FRAME(DepthFrame.getDescriptor()),
    FOCAL_STACK(FocalStack.getDescriptor()),
    DENSE_DEPTH(DenseDepth.getDescriptor()),
    NAVIGATION_GUIDANCE(NavigationGuidance.getDescriptor()),
    BYTES(null);

    private final Descriptor descriptor;

    ValueType(Descriptor descriptor) {
      this.descriptor = descriptor;
    }

    /** The protobuf type, or null for raw bytes. */
    public Descriptor descriptor() {
      return descriptor;
    }

    /** Accepts {@code DepthFrame}, {@code depth-frame}, {@code DEPTH_FRAME}, {@code bytes}, ... */
    public static ValueType parse(String s) {
      String n = s.trim().replace('-', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
      try {
        return valueOf(n);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown value type '" + s + "'; known: " + NAMES);
      }
    }

    /** The names {@link #parse} accepts, as a user writes them. */
    public static final String NAMES = "DepthFrame, FocalStack, DenseDepth, NavigationGuidance, bytes";

    /** The project's topic naming: depth.raw.* carry DepthFrame, focal* FocalStack, depth.dense, nav.guidance. */
    public static ValueType guess(String topic) {
      String t = topic.toLowerCase(Locale.ROOT);
      if (t.contains("focal")) {
        return FOCAL_STACK;
      }
      if (t.contains("dense")) {
        return DENSE_DEPTH;
      }
      if (t.contains("guidance")) {
        return NAVIGATION_GUIDANCE;
      }
      if (t.contains("raw")) {
        return DEPTH_FRAME;
      }
      return BYTES;
    }
  }

  /** What a recording holds. */
  public enum Profile {
    /**
     * The Kafka records (protobuf, as on the topics), which the player replays, and, unless switched off, the
     * Foxglove views of depth and guidance: MCAP profile "" (none).
     */
    FOXGLOVE,
    /**
     * Only ROS 2 messages (CDR, ros2msg schemas, MCAP profile "ros2"), for {@code ros2 bag play}: images, camera
     * info, point clouds, scans and /tf_static from depth and guidance records. The Kafka records themselves are
     * not kept, so the player has nothing to replay from it.
     */
    ROS2;

    /** Accepts {@code foxglove} or {@code ros2}, any case. */
    public static Profile parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("recording profile must be foxglove or ros2, got '" + s + "'", e);
      }
    }
  }

  /**
   * When to stop: after {@code duration}, {@code maxMessages}, or {@code idle} without a record (each null/0 =
   * not used), or when {@link #stop()} is called (Ctrl-C).
   */
  public record Limits(Duration duration, long maxMessages, Duration idle) {}

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong recorded = new AtomicLong();
  private final McapWriter.Options fileOptions;
  private final Profile profile;
  private final boolean foxgloveViews;
  private final int pointsDecimation;

  /** A recorder that writes zstd chunks of 4 MiB, with Foxglove views. */
  public DriveRecorder() {
    this(McapWriter.Options.defaults(), true);
  }

  /**
   * A recorder that writes files with these chunk and compression options.
   *
   * @param foxgloveViews also write the Foxglove image, calibration and scan channels of depth and guidance
   *     records ({@link FoxgloveChannels})
   */
  public DriveRecorder(McapWriter.Options fileOptions, boolean foxgloveViews) {
    this(fileOptions, Profile.FOXGLOVE, foxgloveViews, 0);
  }

  /**
   * A recorder of a chosen profile.
   *
   * @param foxgloveViews with {@link Profile#FOXGLOVE}: also write the Foxglove views
   * @param pointsDecimation with {@link Profile#ROS2}: a point cloud of every N-th pixel of dense depth, 0 = none
   */
  public DriveRecorder(McapWriter.Options fileOptions, Profile profile, boolean foxgloveViews, int pointsDecimation) {
    if (pointsDecimation < 0) {
      throw new IllegalArgumentException("point cloud decimation must be >= 0 (0 = none), got " + pointsDecimation);
    }
    this.fileOptions = fileOptions;
    this.profile = profile;
    this.foxgloveViews = foxgloveViews;
    this.pointsDecimation = pointsDecimation;
  }

  /** Records written so far by a running {@link #record} (thread-safe), e.g. to stop once a run is captured. */
  public long recorded() {
    return recorded.get();
  }

  /** Asks a running {@link #record} to finish (thread-safe); the file is closed properly. */
  public void stop() {
    stop.set(true);
  }

  /**
   * Records {@code topics} into {@code out}.
   *
   * @param consumer a consumer with String keys and byte[] values; assigned here, not subscribed
   * @param types value type per topic; topics not listed are typed by {@link ValueType#guess}
   * @return the number of records recorded (with {@link Profile#ROS2}: consumed and converted)
   */
  public long record(Consumer<String, byte[]> consumer, List<String> topics, Map<String, ValueType> types,
      boolean fromBeginning, Limits limits, Path out) throws IOException {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String t : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic " + t + " does not exist");
      }
      infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    long start = System.nanoTime();
    long lastRecord = start;
    long consumed = 0;
    boolean ros2 = profile == Profile.ROS2;
    try (McapWriter writer = new McapWriter(out, fileOptions, ros2 ? "ros2" : "")) {
      FoxgloveChannels views = foxgloveViews && !ros2 ? new FoxgloveChannels(writer) : null;
      Ros2Channels rosMessages = ros2 ? new Ros2Channels(writer, pointsDecimation) : null;
      while (!stop.get()) {
        long now = System.nanoTime();
        if (limits.duration() != null && now - start >= limits.duration().toNanos()) {
          break;
        }
        if (limits.idle() != null && now - lastRecord >= limits.idle().toNanos()) {
          break;
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          ValueType type = types.getOrDefault(r.topic(), ValueType.guess(r.topic()));
          long timeNs = McapWriter.logTimeNs(r.timestamp(), CaptureTime.of(type, r.value()));
          if (rosMessages != null) {
            if (r.value() != null) {
              rosMessages.write(r.topic(), r.key(), type, timeNs, r.value());
            }
          } else {
            writer.write(r.topic(), r.key(), r.headers(), type.descriptor(), r.timestamp(), timeNs, r.value());
          }
          if (views != null && r.value() != null) {
            views.write(r.topic(), r.key(), type, timeNs, r.value());
          }
          consumed++;
          recorded.incrementAndGet();
          lastRecord = System.nanoTime();
          if (limits.maxMessages() > 0 && consumed >= limits.maxMessages()) {
            stop.set(true);
            break;
          }
        }
      }
      return consumed;
    }
  }
}
