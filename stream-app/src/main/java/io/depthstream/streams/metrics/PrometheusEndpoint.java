package io.depthstream.streams.metrics;

import com.sun.net.httpserver.HttpServer;
import io.depthstream.streams.config.NodeConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves {@code GET /metrics} in the Prometheus text format from the JDK's built-in HTTP server. */
public final class PrometheusEndpoint implements AutoCloseable {
  private final HttpServer server;

  private PrometheusEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * @param port TCP port, 0 for any free one
   * @throws UncheckedIOException naming the port when it cannot be bound
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.createContext("/metrics", exchange -> {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return new PrometheusEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + " (" + NodeConfig.METRICS_PORT + ")", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
