package io.depthstream.streams.fault;

import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.streams.TestFrames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sensors sending small sparse LiDAR frames at a fixed rate, each with its own sequence 0, 1, 2, ... A frame counts
 * as sent when the cluster acknowledged it (acks=all, idempotent: a retried send during a leader change is written
 * once). A send the cluster never acknowledged (the producer gave up after delivery.timeout.ms) is the sensor's
 * loss, not the node's: it is kept apart ({@link #unacknowledged()}) so it is neither expected at the output nor
 * hidden.
 */
final class FrameLoad implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final List<String> sensors;
  private final long periodNanos;
  private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Long> next = new ConcurrentHashMap<>();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private final Set<OutputTally.FrameKey> unacknowledged = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean stop;

  FrameLoad(String bootstrapServers, String topic, List<String> sensors, double framesPerSecondPerSensor) {
    this.topic = topic;
    this.sensors = List.copyOf(sensors);
    this.periodNanos = (long) (1e9 / framesPerSecondPerSensor);
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    sensors.forEach(s -> next.put(s, 0L));
    this.thread = new Thread(this::run, "frame-load");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long due = System.nanoTime();
    while (!stop) {
      for (String sensor : sensors) {
        long seq = next.get(sensor);
        next.put(sensor, seq + 1);
        DepthFrame frame = TestFrames.sparse(sensor, seq, 64, 48, new int[] {0, 1000, 64 * 48 - 1},
            new float[] {2f, 2.5f, 3f});
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), sensor, frame.toByteArray()),
            (metadata, e) -> {
              if (e != null) {
                firstFailure.compareAndSet(null, e);
                unacknowledged.add(new OutputTally.FrameKey(sensor, seq));
              } else {
                acknowledged.merge(sensor, 1L, Long::sum);
              }
            });
      }
      due += periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Stops sending and waits for every outstanding acknowledgement. */
  void stopAndFlush() throws InterruptedException {
    stop = true;
    thread.join();
    producer.flush();
  }

  /** The sequences handed to the producer, per sensor: 0 .. n-1. */
  Map<String, Long> sentPerSensor() {
    return Map.copyOf(next);
  }

  /** Frames the cluster acknowledged, all sensors together. */
  long acknowledged() {
    return acknowledged.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Frames the cluster never acknowledged; the first failure is logged by the test, see {@link #firstFailure()}. */
  Set<OutputTally.FrameKey> unacknowledged() {
    return Set.copyOf(unacknowledged);
  }

  Exception firstFailure() {
    return firstFailure.get();
  }

  @Override
  public void close() throws Exception {
    stop = true;
    thread.join();
    producer.close();
  }
}
