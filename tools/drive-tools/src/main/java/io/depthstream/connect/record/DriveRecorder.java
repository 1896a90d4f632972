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
 * <p>Keys, values, headers and timestamps are kept ({@link McapWriter}); chunks are compressed as the
 * {@link McapWriter.Options} say (zstd in 4 MiB chunks by default). Depth and guidance records also get Foxglove
 * views ({@link FoxgloveChannels}) unless switched off: a drive opens in a stock Foxglove app.
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

  /**
   * When to stop: after {@code duration}, {@code maxMessages}, or {@code idle} without a record (each null/0 =
   * not used), or when {@link #stop()} is called (Ctrl-C).
   */
  public record Limits(Duration duration, long maxMessages, Duration idle) {}

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong recorded = new AtomicLong();
  private final McapWriter.Options fileOptions;
  private final boolean foxgloveViews;

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
    this.fileOptions = fileOptions;
    this.foxgloveViews = foxgloveViews;
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
   * @return the number of records written
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
    try (McapWriter writer = new McapWriter(out, fileOptions)) {
      FoxgloveChannels views = foxgloveViews ? new FoxgloveChannels(writer) : null;
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
          writer.write(r.topic(), r.key(), r.headers(), type.descriptor(), r.timestamp(), r.value());
          if (views != null && r.value() != null) {
            views.write(r.topic(), r.key(), type, r.timestamp() * 1_000_000L, r.value());
          }
          recorded.incrementAndGet();
          lastRecord = System.nanoTime();
          if (limits.maxMessages() > 0 && writer.messageCount() >= limits.maxMessages()) {
            stop.set(true);
            break;
          }
        }
      }
      return writer.messageCount();
    }
  }
}
