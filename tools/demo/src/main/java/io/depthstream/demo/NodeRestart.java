package io.depthstream.demo;

import io.depthstream.connect.publish.LoopPublisher;
import io.depthstream.connect.publish.LoopPublisher.SensorLoop;
import io.depthstream.proto.kafka.WallClock;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * bench-node's restart part (issue 16, cold start): the node restarted as its own JVM next to a robot that keeps
 * running, which is how a node starts on a robot after an upgrade or a crash.
 *
 * <p>Why a part of its own: in the other end-to-end parts the embedded broker, the sensors' publisher and the robot's
 * consumer live in the node's JVM and start with it, so the node's first seconds also pay for their class loading
 * and JIT compilation, on the same compiler thread (BENCHMARKS.md, "Cold start, session 8"). Here the robot side runs
 * first with an in-process node for {@code robotRun}; then that node stops (a clean stop: offsets committed, the
 * group left) and the node distribution's launcher ({@code bin/depthstream-node}, the script images and robots run)
 * starts a fresh JVM with the same configuration. Frames keep coming during the gap, as on a robot; the new node
 * moves past the gap's records that are already older than the real-time budget (unless
 * {@code depthstream.realtime.start.skip.stale=false}: then it resumes from the committed offsets and its real-time
 * policy skips the backlog frame by frame). Windows are counted from the moment
 * its {@code GET /ready} first answers 200: every dense frame that arrives in them counts, backlog frames included.
 */
final class NodeRestart {
  private NodeRestart() {}

  /**
   * Dense frames that reached the robot's consumer in one window after the restarted node became ready.
   *
   * @param frames dense frames
   * @param freshP99Ms p99 of the frames captured after the node became ready (without the backlog of its gap)
   * @param skipped frames the node's real-time policy skipped in the window (its {@code /metrics})
   * @param nodeCpuSeconds CPU time of the node's JVM in the window, every thread (JIT and GC included)
   */
  record Window(String label, long frames, double p50Ms, double p99Ms, double maxMs, double freshP99Ms, long skipped,
      double nodeCpuSeconds) {
    double nodeCpuMsPerFrame() {
      return frames == 0 ? Double.NaN : 1000 * nodeCpuSeconds / frames;
    }

    String row() {
      return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %d | %.2f |", label, frames, p50Ms,
          p99Ms, maxMs, freshP99Ms, skipped, nodeCpuMsPerFrame());
    }
  }

  /**
   * @param stopToReadyMs from the in-process node's stop to the new node's first ready answer
   * @param startToReadyMs from the launcher's start to that answer
   * @param staleAtStart raw records the new node moved past at start-up as older than the real-time budget, never
   *     fetched ({@code depthstream.realtime.start.skip.stale}; not in any window's skipped)
   */
  record Result(long stopToReadyMs, long startToReadyMs, long staleAtStart, Window first, Window after) {
    String table() {
      return String.format(Locale.ROOT, "| window | dense frames | p50 ms | p99 ms | max ms | p99 ms, captured "
          + "after ready | skipped | node JVM CPU ms per dense frame |%n|---|---|---|---|---|---|---|---|%n%s%n%s%n%n"
          + "node restart: %d ms from "
          + "the old node's stop to the new one's /ready (%d ms from its launcher's start); %d raw records older "
          + "than the real-time budget moved past at its start, never fetched%n", first.row(),
          after.row(), stopToReadyMs, startToReadyMs, staleAtStart);
    }
  }

  /**
   * Runs the restart.
   *
   * @param settings the robot mix (sensors, rates, methods) and the node settings, as for the other parts
   * @param launcher the node distribution's {@code bin/depthstream-node}
   * @param javaOpts the new node's JVM options (its launcher's {@code JAVA_OPTS}), or null for this environment's
   * @param robotRun how long the robot runs with the in-process node before the restart
   * @param first the first window after ready (the "first 10 s")
   * @param after the window that follows it
   */
  static Result run(DemoSettings settings, Path launcher, String javaOpts, Duration robotRun, Duration first,
      Duration after, PrintStream out) throws Exception {
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException("no node launcher at " + launcher + " (build the node distribution: mvn -pl "
          + "stream-app -am package)");
    }
    out.println("depthstream restart bench: starting an embedded Kafka broker (KRaft) ...");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      NodeConfig nodeConfig = settings.nodeConfig(broker.bootstrapServers());
      List<DriveSensor> sensors = DemoRun.renderDrive(settings, nodeConfig, out);
      try (OutputMonitor monitor = new OutputMonitor(broker.bootstrapServers(),
          nodeConfig.getString(NodeConfig.TOPIC_DENSE), nodeConfig.getString(NodeConfig.TOPIC_GUIDANCE),
          nodeConfig.getString(NodeConfig.TOPIC_DLQ), true);
          KafkaProducer<String, byte[]> producer = DemoRun.sensorProducer(broker.bootstrapServers())) {
        new Thread(monitor, "demo-monitor").start();
        LoopPublisher publisher = new LoopPublisher(producer,
            sensors.stream().map(s -> new SensorLoop(s.topic(), s.frames(), s.rateHz())).toList(), 0);
        try (DepthNode node = DepthNode.start(nodeConfig, DepthNode.methods(nodeConfig))) {
          DemoRun.awaitRunning(node, Duration.ofSeconds(60));
          publisher.start();
          out.printf("robot running with an in-process node for %d s ...%n", robotRun.toSeconds());
          Thread.sleep(robotRun.toMillis());
          out.println("stopping the in-process node; starting " + launcher);
        }
        long stopped = System.nanoTime();
        int port = freePort();
        Path config = Files.createTempFile("depthstream-restart", ".properties");
        Path log = Files.createTempFile("depthstream-restart", ".log");
        writeConfig(nodeConfig, config);
        // The HTTP endpoint answers /ready and /metrics; the live view stays off as in the in-process parts. No class
        // data sharing archive unless NODE_CDS says so: the first run would record one, and a run that records is not
        // a run that uses one (it shortens start-up by about 1 s, BENCHMARKS.md "Cold start").
        ProcessBuilder command = new ProcessBuilder(launcher.toString(), "--config", config.toString(), "--set",
            NodeConfig.METRICS_PORT + "=" + port, "--set", NodeConfig.VIEW_ENABLED + "=false")
            .redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().putIfAbsent("NODE_CDS", "off");
        if (javaOpts != null) {
          command.environment().put("JAVA_OPTS", javaOpts);
        }
        Process child = command.start();
        try {
          long launched = System.nanoTime();
          HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
          awaitReady(http, port, child, log, Duration.ofSeconds(120));
          long ready = System.nanoTime();
          long readyCapture = WallClock.nanos();
          long staleAtStart = Math.round(metricSum(http, port, "depthstream_start_stale_records_total"));
          out.printf("restarted node ready %d ms after its launcher started (log %s)%n",
              (ready - launched) / 1_000_000L, log);
          Window firstWindow = window("first " + first.toSeconds() + " s after ready", first, readyCapture, monitor,
              http, port, child);
          Window afterWindow = window(first.toSeconds() + "-" + (first.plus(after)).toSeconds() + " s after ready",
              after, readyCapture, monitor, http, port, child);
          if (publisher.failure() != null) {
            throw new IllegalStateException("the sensors' publisher failed: " + publisher.failure(),
                publisher.failure());
          }
          return new Result((ready - stopped) / 1_000_000L, (ready - launched) / 1_000_000L, staleAtStart,
              firstWindow, afterWindow);
        } finally {
          child.destroy();
          if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
          }
          publisher.stop();
          Files.deleteIfExists(config);
        }
      }
    }
  }

  /** Measures one window of {@code length} from now: latencies of the dense frames that arrive in it. */
  private static Window window(String label, Duration length, long readyCapture, OutputMonitor monitor,
      HttpClient http, int port, Process child) throws IOException, InterruptedException {
    monitor.resetLatencies();
    long dense0 = monitor.dense();
    double skipped0 = metricSum(http, port, SKIPPED);
    Duration cpu0 = cpu(child);
    Thread.sleep(length.toMillis());
    Duration cpu1 = cpu(child);
    return new Window(label, monitor.dense() - dense0, monitor.percentileMs(50), monitor.percentileMs(99),
        monitor.percentileMs(100), monitor.percentileMsCapturedSince(readyCapture, 99),
        Math.round(metricSum(http, port, SKIPPED) - skipped0), (cpu1.toNanos() - cpu0.toNanos()) / 1e9);
  }

  /** The node's configuration as a properties file for its launcher: every setting it was given. */
  private static void writeConfig(NodeConfig config, Path file) throws IOException {
    Properties props = new Properties();
    for (Map.Entry<String, Object> e : new TreeMap<>(config.originals()).entrySet()) {
      props.setProperty(e.getKey(), String.valueOf(e.getValue()));
    }
    props.putAll(config.kafkaProperties()); // the Kafka settings (bootstrap.servers, application.id, ...)
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(w, "depthstream restart bench: the in-process node's settings");
    }
  }

  private static void awaitReady(HttpClient http, int port, Process child, Path log, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        throw new IllegalStateException("the node exited with " + child.exitValue() + " before it was ready: "
            + tail(log));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the node has not opened its HTTP port yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the node was not ready within " + timeout + ": " + tail(log));
  }

  /** Frames the node's real-time policy skipped, in its Prometheus {@code /metrics}. */
  private static final String SKIPPED = "depthstream_frames_skipped_total";

  /** The sum of every sample of {@code metric} in the node's Prometheus {@code /metrics} now. */
  static double metricSum(HttpClient http, int port, String metric) throws IOException, InterruptedException {
    HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build();
    return sumOf(metric, http.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The sum of every sample of {@code metric} in a Prometheus text exposition (0 when there is none). */
  static double sumOf(String metric, String exposition) {
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        String[] parts = line.trim().split(" ");
        sum += Double.parseDouble(parts[parts.length - 1]);
      }
    }
    return sum;
  }

  private static Duration cpu(Process child) {
    return child.toHandle().info().totalCpuDuration().orElseThrow(
        () -> new IllegalStateException("this platform does not report the CPU time of process " + child.pid()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
