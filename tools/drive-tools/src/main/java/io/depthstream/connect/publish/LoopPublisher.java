package io.depthstream.connect.publish;

import io.depthstream.proto.kafka.WallClock;
import io.depthstream.proto.v1.DepthFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes pre-rendered frames in a loop at a fixed rate per sensor, as a live sensor would: each send gets the
 * next sequence number and the current wall-clock time as capture time (in the message and as the record
 * timestamp), so latency downstream is measured from "capture".
 *
 * <p>A failed send is never silent: the first failure is kept, publishing stops, and {@link #failure()} returns
 * it. Optionally every n-th record is replaced by corrupt bytes, to exercise the dead-letter path in demos.
 */
public final class LoopPublisher implements AutoCloseable {
  /** One sensor's stream: frames to loop over, their topic, and the rate. Keys are the frames' sensor id. */
  public record SensorLoop(String topic, List<DepthFrame> frames, double rateHz) {
    public SensorLoop {
      if (frames.isEmpty()) {
        throw new IllegalArgumentException("a sensor loop needs at least one frame (topic " + topic + ")");
      }
      if (!(rateHz > 0 && rateHz <= 10_000)) {
        throw new IllegalArgumentException("rate must be in (0, 10000] Hz, got " + rateHz + " for topic " + topic);
      }
    }
  }

  private final Producer<String, byte[]> producer;
  private final List<SensorLoop> loops;
  private final int corruptEvery;
  private final ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong corrupted = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /**
   * @param corruptEvery replace every n-th record of each sensor by corrupt bytes; 0 = never
   */
  public LoopPublisher(Producer<String, byte[]> producer, List<SensorLoop> loops, int corruptEvery) {
    if (corruptEvery < 0) {
      throw new IllegalArgumentException("corruptEvery must be >= 0, got " + corruptEvery);
    }
    this.producer = producer;
    this.loops = List.copyOf(loops);
    this.corruptEvery = corruptEvery;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loop-publisher");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts publishing every loop at its rate. Loop i of n starts i/n of its period late: independent sensors are
   * not phase-locked, and firing every sensor at the same instant would make each frame wait for the others'.
   */
  public void start() {
    for (int i = 0; i < loops.size(); i++) {
      SensorLoop loop = loops.get(i);
      long periodNanos = Math.round(1e9 / loop.rateHz());
      AtomicLong sequence = new AtomicLong();
      tasks.add(scheduler.scheduleAtFixedRate(() -> publishNext(loop, sequence.getAndIncrement()),
          periodNanos * i / loops.size(), periodNanos, TimeUnit.NANOSECONDS));
    }
  }

  private void publishNext(SensorLoop loop, long sequence) {
    if (failure.get() != null) {
      return;
    }
    DepthFrame template = loop.frames().get((int) (sequence % loop.frames().size()));
    long captureNanos = WallClock.nanos();
    String key = template.getId().getSensorId();
    byte[] value;
    if (corruptEvery > 0 && (sequence + 1) % corruptEvery == 0) {
      value = new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00, 0x13}; // not a DepthFrame: exercises the dead-letter path
      corrupted.incrementAndGet();
    } else {
      value = template.toBuilder()
          .setId(template.getId().toBuilder().setSequence(sequence).setCaptureTimeNs(captureNanos))
          .build()
          .toByteArray();
    }
    producer.send(new ProducerRecord<>(loop.topic(), null, captureNanos / 1_000_000L, key, value),
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
    sent.incrementAndGet();
  }

  /** Records handed to the producer so far, corrupt ones included. */
  public long sent() {
    return sent.get();
  }

  /** Corrupt records sent on purpose. */
  public long corrupted() {
    return corrupted.get();
  }

  /** The first failed send, or null. */
  public Exception failure() {
    return failure.get();
  }

  /** Stops publishing and flushes what was handed to the producer. */
  public void stop() {
    tasks.forEach(t -> t.cancel(false));
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.flush();
  }

  @Override
  public void close() {
    stop();
  }
}
