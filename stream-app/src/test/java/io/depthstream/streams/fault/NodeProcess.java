package io.depthstream.streams.fault;

import io.depthstream.streams.StreamApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stream-app node in a JVM of its own ({@code java -cp <this class path> StreamApp --config <file>}), so it can
 * be killed as a crash kills it (SIGKILL: no shutdown hook, no commit, no leave-group) or stopped cleanly
 * (SIGTERM: the shutdown hook closes the node). Its output goes to a log file; the wall-clock moment the node
 * logs its start-up line and the moment it becomes RUNNING are recorded as seen here.
 */
final class NodeProcess implements AutoCloseable {
  /** The start-up line of {@code DepthNode}: topology started, waiting for the group's assignment. */
  static final String STARTED_LINE = "depthstream node started";

  static final String RUNNING_LINE = "node RUNNING";

  private final Process process;
  private final String name;
  private final CompletableFuture<Long> startedAtNanos = new CompletableFuture<>();
  private final CompletableFuture<Long> runningAtNanos = new CompletableFuture<>();

  private NodeProcess(Process process, String name, Path log) {
    this.process = process;
    this.name = name;
    Thread reader = new Thread(() -> pump(log), "node-output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Where the nodes' logs are kept after the run, for a look at what a recovery waited for. */
  static final Path LOGS = Path.of("target", "reliability", "logs");

  /**
   * Starts a node with {@code settings} written to {@code dir/<name>.properties}, logging to
   * {@code target/reliability/logs/<name>.log}.
   */
  static NodeProcess start(String name, Map<String, String> settings, Path dir) throws IOException {
    Properties props = new Properties();
    props.putAll(settings);
    Path config = dir.resolve(name + ".properties");
    try (var out = Files.newBufferedWriter(config)) {
      props.store(out, "fault-injection node " + name);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), StreamApp.class.getName(), "--config", config.toString()))
        .redirectErrorStream(true);
    Process process = pb.start();
    // A node must not outlive the test JVM (it would keep consuming from a cluster that is gone).
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    Files.createDirectories(LOGS);
    return new NodeProcess(process, name, LOGS.resolve(name + ".log"));
  }

  private void pump(Path log) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        long now = System.nanoTime();
        out.println(line);
        if (line.contains(STARTED_LINE)) {
          startedAtNanos.complete(now);
        } else if (line.contains(RUNNING_LINE)) {
          runningAtNanos.complete(now);
        }
      }
    } catch (IOException e) {
      startedAtNanos.completeExceptionally(e);
    }
    startedAtNanos.completeExceptionally(new IllegalStateException(name + " exited before starting"));
    runningAtNanos.completeExceptionally(new IllegalStateException(name + " exited before RUNNING"));
  }

  /** System.nanoTime() of the node's start-up line; waits for it. */
  long awaitStarted(Duration timeout) throws Exception {
    return startedAtNanos.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** System.nanoTime() of the node's RUNNING line; waits for it. */
  long awaitRunning(Duration timeout) throws Exception {
    return runningAtNanos.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL, as a crash or the OOM killer: nothing runs in the node after it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the node's shutdown hook commits and closes, as a service manager stops it. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
