package io.depthstream.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Kafka Connect worker in a JVM of its own ({@code ConnectDistributed} or {@code ConnectStandalone}), as
 * the integration tests that kill a worker, check plugin isolation or play the compose stack's sample drive need it,
 * with its REST API on a port of the caller's.
 */
public final class ConnectWorkerProcess {
  public static final String DISTRIBUTED = "org.apache.kafka.connect.cli.ConnectDistributed";
  public static final String STANDALONE = "org.apache.kafka.connect.cli.ConnectStandalone";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ConnectWorkerProcess() {}

  /**
   * Starts {@code mainClass} with {@code arguments} (worker and connector properties files) on {@code classpath},
   * its output in {@code log}; a JVM shutdown hook kills it if the test does not. The worker logs its plugin
   * loading, group membership and task life cycle at INFO (what a slow recovery waited for), the rest at WARN.
   */
  public static Process start(String mainClass, String classpath, Path log, String... arguments) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    Path logConfig = log.resolveSibling("worker-log4j2.properties");
    Files.writeString(logConfig, String.join("\n",
        "rootLogger.level = warn", "rootLogger.appenderRef.console.ref = console",
        "appender.console.type = Console", "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
        "logger.connect.name = org.apache.kafka.connect.runtime", "logger.connect.level = info",
        "logger.coordinator.name = org.apache.kafka.clients.consumer.internals", "logger.coordinator.level = info",
        "logger.depthstream.name = io.depthstream", "logger.depthstream.level = info", ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
        "-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath(), "-cp", classpath, mainClass));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    return process;
  }

  /** Waits until the worker's REST API lists its connectors. */
  public static void awaitRest(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/connectors")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Connect REST API not up within " + timeout);
  }

  /** Creates or updates a connector through the REST API, retrying while the worker group forms (409). */
  public static void putConnector(int port, String name, Map<String, String> config)
      throws IOException, InterruptedException {
    String json = config.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue().replace("\\", "\\\\") + "\"")
        .collect(Collectors.joining(",", "{", "}"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/connectors/" + name + "/config"))
          .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("PUT connector config: " + r.statusCode() + " " + r.body());
      }
      Thread.sleep(500);
    }
  }

  /** Unpacks a plugin archive (zip) into {@code target}, the directory to name in plugin.path; returns it. */
  public static Path unzip(Path archive, Path target) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("zip entry " + entry.getName() + " leaves the target directory");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out);
        }
      }
    }
    return target;
  }

  /** A port that was free a moment ago, for a worker's REST listener. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
