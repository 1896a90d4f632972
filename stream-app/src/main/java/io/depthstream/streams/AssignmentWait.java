package io.depthstream.streams;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the wait for the group's partition assignment visible. Until Kafka Streams first reaches RUNNING the node
 * produces nothing, and a restart that waits for the group coordinator to expire a previous member's session
 * would otherwise be tens of silent seconds: this logs every {@code interval} while the wait lasts, and once
 * when the node is RUNNING, with the elapsed time (the node's start-up line says that the wait began).
 */
final class AssignmentWait implements KafkaStreams.StateListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AssignmentWait.class);

  private final long startNanos = System.nanoTime();
  private final String group;
  private final ScheduledExecutorService ticker;
  private volatile boolean running;
  private final java.util.concurrent.CompletableFuture<Void> firstRunning =
      new java.util.concurrent.CompletableFuture<>();

  /**
   * @param group what the node waits for, for the log (application id and membership)
   * @param interval how often "still waiting" is logged
   */
  AssignmentWait(String group, Duration interval) {
    this.group = group;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "depthstream-assignment-wait");
      t.setDaemon(true);
      return t;
    });
    long ms = interval.toMillis();
    ticker.scheduleAtFixedRate(this::logStillWaiting, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void logStillWaiting() {
    if (!running) {
      LOG.info("still waiting for partition assignment of {} ({} s)", group, elapsedMillis() / 1000);
    }
  }

  private long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Override
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    if (newState == KafkaStreams.State.RUNNING && !running) {
      running = true;
      ticker.shutdown();
      LOG.info("node RUNNING: partitions assigned {} ms after start", elapsedMillis());
      firstRunning.complete(null);
    } else if (newState == KafkaStreams.State.REBALANCING && running) {
      LOG.info("rebalancing (group membership changed)");
    }
  }

  /** Completes when Kafka Streams first reaches RUNNING. */
  java.util.concurrent.CompletionStage<Void> firstRunning() {
    return firstRunning.minimalCompletionStage();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
