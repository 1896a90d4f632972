package io.depthstream.connect.record;

import io.depthstream.depth.tooling.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Replays an MCAP recording ({@link DriveRecorder}) into Kafka: at the recorded rate, N times faster, or as fast
 * as possible; a window of the recording ({@code start}/{@code end}, offsets from its earliest message); looping;
 * a progress bar. No sensor is needed.
 *
 * <p>Deterministic: every record is sent with its recorded key, value bytes, headers and timestamp, in log-time
 * order (ties in file order; {@link McapReader}), so the same recording played twice gives byte-identical records
 * in the same order per key (the default partitioner
 * puts a key on the same partition each time; give the producer {@code enable.idempotence=true}, the default,
 * so retries cannot reorder). Capture times inside the messages are left as recorded.
 */
public final class DrivePlayer {
  /**
   * @param speed 1 = recorded rate, N = N times faster, 0 = as fast as possible
   * @param startMs skip messages earlier than this offset from the first message, ms
   * @param endMs stop after this offset from the first message, ms; negative = to the end
   * @param loops how many times to play; 0 = until stopped
   * @param topicMap recorded topic to target topic; unmapped topics keep their name
   */
  public record Options(double speed, long startMs, long endMs, int loops, Map<String, String> topicMap) {
    public Options {
      if (!(speed >= 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("speed must be >= 0 (0 = as fast as possible), got " + speed);
      }
      if (startMs < 0 || (endMs >= 0 && endMs < startMs)) {
        throw new IllegalArgumentException("need 0 <= start <= end, got start " + startMs + " ms, end " + endMs
            + " ms");
      }
      if (loops < 0) {
        throw new IllegalArgumentException("loops must be >= 0 (0 = forever), got " + loops);
      }
    }
  }

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong sentSoFar = new AtomicLong();

  /** Records handed to the producer so far by a running {@link #play} (thread-safe), for live status. */
  public long sent() {
    return sentSoFar.get();
  }

  /** Asks a running {@link #play} to finish after the current record (thread-safe). */
  public void stop() {
    stop.set(true);
  }

  /**
   * Plays the recording.
   *
   * @param progress where the progress bar goes (carriage-return updates), or null for none
   * @return records sent
   * @throws IOException on a bad recording, or the first failed send
   */
  public long play(Producer<String, byte[]> producer, Path recording, Options o, PrintStream progress)
      throws IOException {
    long total = McapReader.countMessages(recording);
    // Offsets count from the earliest message, not the first in the file: a recording of several partitions is
    // in consumer order, and a message earlier than the first must not fall outside the window.
    long t0 = McapReader.earliestLogTimeNs(recording);
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    Future<RecordMetadata> last = null;
    for (int loop = 0; (o.loops() == 0 || loop < o.loops()) && !stop.get(); loop++) {
      long wallStart = System.nanoTime();
      long inLoop = 0;
      ProgressBar bar = progress == null || total == 0 ? null
          : new ProgressBar(progress, "play", "records", total).suffix("loop " + (loop + 1));
      try (McapReader reader = new McapReader(recording)) {
        McapReader.Message m;
        while (!stop.get() && (m = reader.next()) != null) {
          long offsetNs = m.logTimeNs() - t0;
          inLoop++;
          if (offsetNs < o.startMs() * 1_000_000L) {
            continue;
          }
          if (o.endMs() >= 0 && offsetNs > o.endMs() * 1_000_000L) {
            continue; // not break: a later message in the file may still be inside the window
          }
          if (o.speed() > 0) {
            long due = wallStart + (long) ((offsetNs - o.startMs() * 1_000_000L) / o.speed());
            long wait = due - System.nanoTime();
            if (wait > 0) {
              try {
                TimeUnit.NANOSECONDS.sleep(wait);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
              }
            }
          }
          if (failure.get() != null) {
            throw new IOException("replay failed after " + sent + " records", failure.get());
          }
          String topic = o.topicMap().getOrDefault(m.channel().topic(), m.channel().topic());
          last = producer.send(new ProducerRecord<>(topic, null, m.timestampMs(), m.channel().key(), m.data(),
              m.headers()),
              (meta, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
              });
          sent++;
          sentSoFar.incrementAndGet();
          if (bar != null) {
            bar.update(inLoop);
          }
        }
      }
      if (bar != null) {
        bar.finish();
      }
    }
    producer.flush();
    if (last != null) {
      try {
        last.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        failure.compareAndSet(null, (Exception) e.getCause());
      }
    }
    if (failure.get() != null) {
      throw new IOException("replay failed: " + failure.get().getMessage(), failure.get());
    }
    return sent;
  }
}
