package io.depthstream.demo;

import io.depthstream.connect.publish.LoopPublisher;
import io.depthstream.connect.record.DrivePlayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;

/** What feeds the node's raw topics in a demo: the synthetic live drive, or a replayed recording. */
interface Feed {
  /** Records handed to the producer so far. */
  long sent();

  /** Records sent corrupt on purpose; -1 = not known (a replay re-sends whatever was recorded). */
  long corrupted();

  /** The first failure, or null. */
  Exception failure();

  /** Whether the feed has sent everything it will send (a live drive never has). */
  boolean done();

  void start();

  void stop();

  /** The synthetic drive, looped at each sensor's rate. */
  static Feed live(LoopPublisher publisher) {
    return new Feed() {
      @Override
      public long sent() {
        return publisher.sent();
      }

      @Override
      public long corrupted() {
        return publisher.corrupted();
      }

      @Override
      public Exception failure() {
        return publisher.failure();
      }

      @Override
      public boolean done() {
        return false;
      }

      @Override
      public void start() {
        publisher.start();
      }

      @Override
      public void stop() {
        publisher.stop();
      }
    };
  }

  /** A recording played once into the topics it was recorded from, on its own thread. */
  static Feed replay(Producer<String, byte[]> producer, Path recording, double speed) {
    DrivePlayer player = new DrivePlayer();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        player.play(producer, recording, new DrivePlayer.Options(speed, 0, -1, 1, Map.of()), null);
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }, "demo-replay");
    return new Feed() {
      @Override
      public long sent() {
        return player.sent();
      }

      @Override
      public long corrupted() {
        return -1;
      }

      @Override
      public Exception failure() {
        return failure.get();
      }

      @Override
      public boolean done() {
        return thread.getState() == Thread.State.TERMINATED;
      }

      @Override
      public void start() {
        thread.start();
      }

      @Override
      public void stop() {
        player.stop();
        try {
          thread.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
