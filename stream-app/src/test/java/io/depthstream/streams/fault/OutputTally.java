package io.depthstream.streams.fault;

import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a robot receives: a read_committed consumer of the dense and dead-letter topics that counts every output
 * by (sensor, sequence) and notes when each arrived, so losses, duplicates and the longest silence can be told
 * apart. Under exactly_once_v2 it sees only committed transactions; under at_least_once everything written.
 */
final class OutputTally implements AutoCloseable {
  /** One frame identity. */
  record FrameKey(String sensor, long sequence) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final String denseTopic;
  private final Map<FrameKey, Integer> counts = new HashMap<>();
  /** Arrival times (System.nanoTime()) of dense outputs, per sensor: a node that stops shows as a silent sensor. */
  private final Map<String, List<Long>> denseArrivalNanos = new HashMap<>();
  private long deadLettered;
  private final Thread thread;
  private volatile boolean stop;

  OutputTally(String bootstrapServers, String denseTopic, String dlqTopic) {
    this.denseTopic = denseTopic;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "fault-tally-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    consumer.subscribe(List.of(denseTopic, dlqTopic));
    this.thread = new Thread(this::run, "output-tally");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stop) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          FrameKey key;
          if (r.topic().equals(denseTopic)) {
            DenseDepth d = Wire.DENSE_DEPTH.deserializer().deserialize(r.topic(), r.value());
            key = new FrameKey(d.getId().getSensorId(), d.getId().getSequence());
          } else {
            DepthFrame f = DepthFrame.parseFrom(r.value());
            key = new FrameKey(f.getId().getSensorId(), f.getId().getSequence());
          }
          synchronized (this) {
            counts.merge(key, 1, Integer::sum);
            if (r.topic().equals(denseTopic)) {
              denseArrivalNanos.computeIfAbsent(key.sensor(), k -> new ArrayList<>()).add(now);
            } else {
              deadLettered++;
            }
          }
        }
      }
    } catch (Exception e) {
      if (!stop) {
        throw new IllegalStateException("output tally failed", e);
      }
    } finally {
      consumer.close();
    }
  }

  /** Outputs (dense or dead-lettered) received so far, repeats included. */
  synchronized long received() {
    return counts.values().stream().mapToLong(Integer::longValue).sum();
  }

  synchronized long deadLettered() {
    return deadLettered;
  }

  /** Distinct frames received at least once. */
  synchronized Set<FrameKey> distinct() {
    return Set.copyOf(counts.keySet());
  }

  /** Extra copies: for every frame received n > 1 times, n - 1. */
  synchronized long duplicated() {
    return counts.values().stream().mapToLong(n -> n - 1).sum();
  }

  /** The first dense output that arrived after {@code nanos} (System.nanoTime()), or -1 when none has. */
  synchronized long firstArrivalAfter(long nanos) {
    return denseArrivalNanos.values().stream().flatMap(List::stream).filter(t -> t > nanos)
        .min(Long::compare).orElse(-1L);
  }

  /**
   * Waits up to {@code timeout} for the first dense output after {@code nanos} (System.nanoTime()); returns its
   * arrival time, or -1 when none came.
   */
  long awaitArrivalAfter(long nanos, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long t = firstArrivalAfter(nanos);
      if (t > 0) {
        return t;
      }
      Thread.sleep(20);
    }
    return -1;
  }

  /** The arrival of {@code sensor}'s newest dense output, or -1 when none has arrived. */
  synchronized long lastArrival(String sensor) {
    List<Long> arrivals = denseArrivalNanos.get(sensor);
    return arrivals == null || arrivals.isEmpty() ? -1 : arrivals.get(arrivals.size() - 1);
  }

  /**
   * The longest time any one sensor went without dense output between {@code fromNanos} and {@code toNanos}
   * (its last output before {@code toNanos} closes the window, so a sensor whose frames stopped coming is not
   * counted as silent).
   */
  synchronized Duration longestGap(long fromNanos, long toNanos) {
    long longest = 0;
    for (List<Long> arrivals : denseArrivalNanos.values()) {
      long previous = -1;
      for (long t : arrivals) {
        if (t < fromNanos || t > toNanos) {
          continue;
        }
        if (previous >= 0) {
          longest = Math.max(longest, t - previous);
        }
        previous = t;
      }
    }
    return Duration.ofNanos(longest);
  }

  /**
   * Waits until every frame sent and acknowledged has been received, or {@code timeout} passed.
   *
   * @param unacknowledged frames the cluster never acknowledged, not expected
   */
  boolean awaitAll(Map<String, Long> sentPerSensor, Set<FrameKey> unacknowledged, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long expected = sentPerSensor.values().stream().mapToLong(Long::longValue).sum() - unacknowledged.size();
    while (System.nanoTime() < deadline) {
      if (distinct().size() >= expected) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** Frames sent and acknowledged but never received (neither dense nor dead-lettered). */
  long lost(Map<String, Long> sentPerSensor, Set<FrameKey> unacknowledged) {
    Set<FrameKey> got = distinct();
    long lost = 0;
    for (var e : sentPerSensor.entrySet()) {
      for (long seq = 0; seq < e.getValue(); seq++) {
        FrameKey key = new FrameKey(e.getKey(), seq);
        if (!got.contains(key) && !unacknowledged.contains(key)) {
          lost++;
        }
      }
    }
    return lost;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
