package io.depthstream.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka Connect standalone worker started inside this JVM (the same code path as
 * {@code connect-standalone.sh}), for the integration tests and the demo.
 *
 * <p>Plugins are found with {@code plugin.discovery=service_load}: connectors listed in
 * {@code META-INF/services/org.apache.kafka.connect.source.SourceConnector} on the class path, without scanning
 * every jar (start-up about 1 s instead of 7 s). Source offsets live in a file, so a worker started again on the
 * same file resumes where the previous one stopped. Keys are Strings and values raw bytes by default
 * ({@code StringConverter}, {@code ByteArrayConverter}), the project's wire convention. {@code startConnect} calls
 * {@code Exit.exit} when it fails; the exit procedure is replaced while starting so a failure throws here instead
 * of ending the JVM.
 */
public final class LocalConnectWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalConnectWorker.class);

  private final Connect<StandaloneHerder> connect;
  private boolean closed;

  private LocalConnectWorker(Connect<StandaloneHerder> connect) {
    this.connect = connect;
  }

  /**
   * Starts a worker.
   *
   * @param bootstrapServers the broker
   * @param offsetsFile where source offsets are kept (created if missing)
   * @param overrides worker properties that replace the defaults
   */
  public static LocalConnectWorker start(String bootstrapServers, Path offsetsFile, Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("offset.storage.file.filename", offsetsFile.toString());
    props.put("offset.flush.interval.ms", "1000");
    props.put("plugin.discovery", "service_load");
    props.put("listeners", "http://127.0.0.1:0");
    props.putAll(overrides);
    Exit.setExitProcedure((code, message) -> {
      throw new IllegalStateException("Kafka Connect worker failed to start (exit " + code + "): " + message);
    });
    try {
      Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(props);
      LOG.info("Kafka Connect worker started against {} (offsets in {})", bootstrapServers, offsetsFile);
      return new LocalConnectWorker(connect);
    } finally {
      Exit.resetExitProcedure();
    }
  }

  /**
   * Creates or replaces a connector (its {@code name} is set to {@code name}) and waits until the worker accepted it.
   *
   * @throws IllegalStateException with Connect's message when the configuration is rejected
   */
  public void putConnector(String name, Map<String, String> config) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    Map<String, String> withName = new HashMap<>(config);
    withName.put("name", name);
    connect.herder().putConnectorConfig(name, withName, true, (error, created) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(created);
      }
    });
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("connector " + name + " rejected: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating connector " + name, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating connector " + name, e);
    }
  }

  /** The connector's status as Connect reports it (state of the connector and each task, with traces). */
  public ConnectorStateInfo status(String name) {
    return connect.herder().connectorStatus(name);
  }

  /**
   * Waits until the connector and its first task are RUNNING.
   *
   * @throws IllegalStateException with the task's trace when it FAILED, or on timeout
   */
  public void awaitRunning(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "unknown";
    while (System.nanoTime() < deadline) {
      try {
        ConnectorStateInfo s = status(name);
        last = s.connector().state() + ", tasks " + s.tasks().stream().map(t -> t.state()).toList();
        for (ConnectorStateInfo.TaskState t : s.tasks()) {
          if ("FAILED".equals(t.state())) {
            throw new IllegalStateException("task " + name + "-" + t.id() + " FAILED: " + t.trace());
          }
        }
        if ("RUNNING".equals(s.connector().state()) && !s.tasks().isEmpty()
            && s.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()))) {
          return;
        }
      } catch (org.apache.kafka.connect.errors.NotFoundException e) {
        last = "not found";
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException("connector " + name + " not RUNNING after " + timeout + " (" + last + ")");
  }

  /** Stops the worker gracefully: tasks stop and their last offsets are flushed to the offsets file. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    connect.stop();
    connect.awaitStop();
  }
}
