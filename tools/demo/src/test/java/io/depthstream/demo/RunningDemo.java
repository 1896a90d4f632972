package io.depthstream.demo;

import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The whole demo (broker, node, sensors) running in the background of a test, its node's HTTP endpoint on a port of
 * its own, until closed: for tests that look at the running node from outside (Prometheus, a browser).
 */
final class RunningDemo implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final int nodePort;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CompletableFuture<DemoRun.Outcome> outcome;

  private RunningDemo(int nodePort, DemoSettings settings) {
    this.nodePort = nodePort;
    this.outcome = CompletableFuture.supplyAsync(() -> {
      try {
        return DemoRun.run(settings, new PrintStream(OutputStream.nullOutputStream()), stop);
      } catch (Exception e) {
        throw new IllegalStateException("the demo failed", e);
      }
    });
  }

  /**
   * Settings for a demo run from the checkout: the example node configuration with the shipped models, pictures
   * written to {@code pictures}, stopped after {@code duration} at the latest; the caller sets the sensors.
   */
  static DemoSettings.Builder settings(Path pictures, Duration duration) {
    Path root = DeployFiles.root();
    return DemoSettings.builder()
        .config(root.resolve("config/depthstream.properties"))
        .set("depthstream.models.dir=" + root.resolve("models"))
        .duration(duration)
        .pictures(pictures);
  }

  /** Starts the demo of {@code settings} with the node's endpoint on a free port; returns at once. */
  static RunningDemo start(DemoSettings.Builder settings) throws IOException {
    int port = freePort();
    return new RunningDemo(port, settings.set(NodeConfig.METRICS_PORT + "=" + port).build());
  }

  /** The node's HTTP port (/metrics, /ready, /view/). */
  int nodePort() {
    return nodePort;
  }

  /** Waits until the node's GET /ready answers 200: the demo has rendered its drive and the node processes. */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (outcome.isDone()) {
        outcome.get(); // throws what ended it
        throw new AssertionError("the demo ended before the node was ready");
      }
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + nodePort + "/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // the node's endpoint is not up yet (the demo renders its drive first)
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the node was not ready within " + timeout);
  }

  /** Stops the demo and returns what it reported. */
  @Override
  public void close() throws Exception {
    stop.countDown();
    outcome.get(60, TimeUnit.SECONDS);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
