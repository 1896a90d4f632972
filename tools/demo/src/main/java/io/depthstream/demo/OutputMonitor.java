package io.depthstream.demo;

import io.depthstream.depth.tooling.LatencyStats;
import io.depthstream.proto.kafka.WallClock;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.streams.codec.AliasingInput;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.NavigationGuidance;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes the node's outputs the way a robot would and measures what it sees: dense frames, guidance and dead
 * letters per second, and end-to-end latency from capture time to the moment the consumer holds the frame.
 * Keeps the newest dense frame per sensor for pictures.
 *
 * <p>For a replayed recording the frames keep their original capture times, so capture-to-consumer latency
 * means nothing there: with {@code captureLatency=false} only the node-to-consumer part is measured and the
 * end-to-end and capture-to-node percentiles are NaN (null in the JSON summary).
 */
final class OutputMonitor implements Runnable, AutoCloseable {
  private final KafkaConsumer<String, ByteBuffer> consumer;
  private final String denseTopic;
  private final String guidanceTopic;
  private final String dlqTopic;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Timer windowLatency;
  private final AtomicLong dense = new AtomicLong();
  private final AtomicLong guidance = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final Map<String, DenseDepth> latest = new ConcurrentHashMap<>();
  private long[] latenciesNanos = new long[4096];
  private long[] inboundNanos = new long[4096];
  private long[] deliveryNanos = new long[4096];
  private long[] captureNanos = new long[4096];
  private String[] sensorIds = new String[4096];
  private int latencyCount;
  private volatile boolean running = true;
  private final boolean captureLatency;

  OutputMonitor(String bootstrapServers, String denseTopic, String guidanceTopic, String dlqTopic,
      boolean captureLatency) {
    this.captureLatency = captureLatency;
    this.denseTopic = denseTopic;
    this.guidanceTopic = guidanceTopic;
    this.dlqTopic = dlqTopic;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "depthstream-demo-monitor",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        // The value as a view of the fetched batch, parsed with aliasing: the monitor shares the node's two cores in
        // the demo and bench-node, so it reads a frame the way a careful subscriber would, without copying its
        // payload twice (into a value array, then into the message's bytes field).
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class));
    // Percentiles over the last few seconds, for the live status line.
    this.windowLatency = Timer.builder("demo.latency").publishPercentiles(0.5, 0.99)
        .distributionStatisticExpiry(Duration.ofSeconds(5)).distributionStatisticBufferLength(3).register(meters);
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(denseTopic, guidanceTopic, dlqTopic));
    while (running) {
      for (ConsumerRecord<String, ByteBuffer> r : consumer.poll(Duration.ofMillis(100))) {
        long now = nowNanos();
        if (r.topic().equals(denseTopic)) {
          DenseDepth d = parseAliased(r.value());
          recordLatency(d.getId().getCaptureTimeNs(), r.key(), now - d.getId().getCaptureTimeNs(),
              d.getTimings().getQueueNs(), now - d.getPublishTimeNs());
          latest.put(r.key(), d); // keeps its fetched batch alive until the sensor's next frame replaces it
          dense.incrementAndGet();
        } else if (r.topic().equals(guidanceTopic)) {
          NavigationGuidance g = Wire.GUIDANCE.deserializer().deserialize(r.topic(), r.headers(), r.value());
          if (g.getAlert().getObstacle()) {
            alerts.incrementAndGet();
          }
          guidance.incrementAndGet();
        } else {
          deadLettered.incrementAndGet();
        }
      }
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  /**
   * A dense frame whose payload points into the fetched batch instead of being copied. The consumer fills a new
   * buffer per fetch and never writes to it again, which is what aliasing needs.
   */
  static DenseDepth parseAliased(ByteBuffer value) {
    try {
      return DenseDepth.parseFrom(AliasingInput.of(value));
    } catch (IOException e) { // InvalidProtocolBufferException: the only one a byte buffer's input throws
      throw new SerializationException("a dense-depth record is not a DenseDepth: " + e.getMessage(), e);
    }
  }

  /**
   * @param capture the frame's capture time, epoch nanoseconds
   * @param sensorId the record key
   * @param total capture to consumer
   * @param inbound capture to the node's processor (producer, broker, stream consumer)
   * @param delivery node's hand-over to its producer until this consumer holds the frame
   */
  private synchronized void recordLatency(long capture, String sensorId, long total, long inbound, long delivery) {
    if (captureLatency) {
      windowLatency.record(Math.max(0, total), TimeUnit.NANOSECONDS);
    }
    if (latencyCount == latenciesNanos.length) {
      latenciesNanos = Arrays.copyOf(latenciesNanos, latencyCount * 2);
      inboundNanos = Arrays.copyOf(inboundNanos, latencyCount * 2);
      deliveryNanos = Arrays.copyOf(deliveryNanos, latencyCount * 2);
      captureNanos = Arrays.copyOf(captureNanos, latencyCount * 2);
      sensorIds = Arrays.copyOf(sensorIds, latencyCount * 2);
    }
    captureNanos[latencyCount] = capture;
    sensorIds[latencyCount] = sensorId;
    inboundNanos[latencyCount] = inbound;
    deliveryNanos[latencyCount] = delivery;
    latenciesNanos[latencyCount++] = total;
  }

  private static long nowNanos() {
    return WallClock.nanos();
  }

  /**
   * Forgets every latency recorded so far, so the percentiles cover only what follows (the measured window after
   * a warm-up). The counters keep counting; callers subtract a {@link DemoRun.Window} baseline.
   */
  synchronized void resetLatencies() {
    latencyCount = 0;
  }

  /** Whether capture-based latency is measured (false for a replay). */
  boolean capturesLatency() {
    return captureLatency;
  }

  long dense() {
    return dense.get();
  }

  long guidance() {
    return guidance.get();
  }

  long alerts() {
    return alerts.get();
  }

  long deadLettered() {
    return deadLettered.get();
  }

  /** p50 and p99 of the last few seconds, milliseconds. */
  double[] windowPercentilesMs() {
    HistogramSnapshot snapshot = windowLatency.takeSnapshot();
    double[] out = new double[2];
    for (ValueAtPercentile v : snapshot.percentileValues()) {
      out[v.percentile() < 0.9 ? 0 : 1] = v.value(TimeUnit.MILLISECONDS);
    }
    return out;
  }

  /** Exact percentile of end-to-end latency over every frame seen, milliseconds (nearest-rank). */
  synchronized double percentileMs(double p) {
    return captureLatency ? percentileMs(latenciesNanos, p) : Double.NaN;
  }

  /** Exact percentile of the inbound part (capture to the node's processor), milliseconds. */
  synchronized double inboundPercentileMs(double p) {
    return captureLatency ? percentileMs(inboundNanos, p) : Double.NaN;
  }

  /** Exact percentile of the delivery part (node's hand-over to this consumer), milliseconds. */
  synchronized double deliveryPercentileMs(double p) {
    return percentileMs(deliveryNanos, p);
  }

  /**
   * Exact percentile of end-to-end latency over the frames captured at or after {@code sinceNanos} (epoch
   * nanoseconds, the capture clock), milliseconds: a restarted node's fresh frames without the backlog of its gap.
   */
  synchronized double percentileMsCapturedSince(long sinceNanos, double p) {
    long[] picked = new long[latencyCount];
    int n = 0;
    for (int i = 0; i < latencyCount; i++) {
      if (captureNanos[i] >= sinceNanos) {
        picked[n++] = latenciesNanos[i];
      }
    }
    return captureLatency ? percentileMs(picked, n, p) : Double.NaN;
  }

  private double percentileMs(long[] values, double p) {
    return percentileMs(values, latencyCount, p);
  }

  private static double percentileMs(long[] values, int count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    return sorted[LatencyStats.nearestRankIndex(sorted.length, p)] / 1e6;
  }

  /**
   * Writes every frame's latency since the last {@link #resetLatencies()} as CSV, in arrival order: capture time
   * (seconds after the first frame's), sensor id, end-to-end, inbound and delivery milliseconds. A plot of it tells
   * a steady tail from one stall.
   */
  synchronized void writeLatencyCsv(Path file) throws IOException {
    long first = latencyCount == 0 ? 0 : Arrays.stream(captureNanos, 0, latencyCount).min().orElse(0);
    StringBuilder csv = new StringBuilder("capture_s,sensor,end_to_end_ms,inbound_ms,delivery_ms\n");
    for (int i = 0; i < latencyCount; i++) {
      csv.append(String.format(Locale.ROOT, "%.4f,%s,%.3f,%.3f,%.3f%n", (captureNanos[i] - first) / 1e9,
          sensorIds[i], latenciesNanos[i] / 1e6, inboundNanos[i] / 1e6, deliveryNanos[i] / 1e6));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, csv);
  }

  /**
   * Per sensor, the longest time between two consecutive dense frames reaching this consumer since the last
   * {@link #resetLatencies()}, in seconds (a frame reaches it at its capture time plus its end-to-end latency): the
   * stretch a robot was blind. Sensors with fewer than two frames are left out.
   */
  synchronized Map<String, Double> maxOutputGapSeconds() {
    Map<String, List<Long>> arrivals = new java.util.TreeMap<>();
    for (int i = 0; i < latencyCount; i++) {
      arrivals.computeIfAbsent(sensorIds[i], k -> new java.util.ArrayList<>()).add(captureNanos[i] + latenciesNanos[i]);
    }
    Map<String, Double> gaps = new java.util.TreeMap<>();
    arrivals.forEach((sensor, times) -> {
      if (times.size() < 2) {
        return;
      }
      java.util.Collections.sort(times);
      long max = 0;
      for (int i = 1; i < times.size(); i++) {
        max = Math.max(max, times.get(i) - times.get(i - 1));
      }
      gaps.put(sensor, max / 1e9);
    });
    return gaps;
  }

  /**
   * Per sensor (by record key), the end-to-end latency of every dense frame since the last
   * {@link #resetLatencies()}; empty for a replay, whose capture times are old.
   */
  synchronized Map<String, LatencyStats> latencyBySensor() {
    Map<String, long[]> bySensor = new java.util.TreeMap<>();
    Map<String, Integer> counts = new java.util.HashMap<>();
    if (!captureLatency) {
      return Map.of();
    }
    for (int i = 0; i < latencyCount; i++) {
      int n = counts.merge(sensorIds[i], 1, Integer::sum);
      long[] values = bySensor.computeIfAbsent(sensorIds[i], k -> new long[latencyCount]);
      values[n - 1] = latenciesNanos[i];
    }
    Map<String, LatencyStats> out = new java.util.TreeMap<>();
    bySensor.forEach((sensor, values) -> out.put(sensor, LatencyStats.ofNanos(values, counts.get(sensor))));
    return out;
  }

  /** The newest dense frame of each sensor. */
  Map<String, DenseDepth> latest() {
    return Map.copyOf(latest);
  }

  /** Decodes a dense result into metres (0 = no measurement). */
  static DepthMap decode(DenseDepth d) {
    DepthMap out = DepthMap.allocate(d.getWidth(), d.getHeight());
    if (d.hasDenseM()) {
      DepthWire.fromFloat32Metres(d.getDenseM().getData().asReadOnlyByteBuffer(), out);
    } else if (d.hasDenseScaled()) {
      DepthWire.fromUint16(d.getDenseScaled().getData().asReadOnlyByteBuffer(), d.getDenseScaled().getUnitsPerMetre(),
          out);
    } else {
      DepthWire.fromUint16Millimetres(d.getDenseMm().getData().asReadOnlyByteBuffer(), out);
    }
    return out;
  }

  @Override
  public void close() {
    running = false; // the poll loop sees it within 100 ms and closes the consumer
  }
}
