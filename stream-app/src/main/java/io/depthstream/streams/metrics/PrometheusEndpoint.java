package io.depthstream.streams.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.depthstream.streams.config.NodeConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's HTTP endpoint, on the JDK's built-in server (one port, {@value NodeConfig#METRICS_PORT}):
 *
 * <ul>
 *   <li>{@code GET /metrics}: the registry, in the OpenMetrics text format when the client's {@code Accept} header
 *       asks for {@code application/openmetrics-text} (Prometheus does), else in the Prometheus text format 0.0.4;
 *   <li>{@code GET /health}: liveness, {@code GET /ready}: readiness, as {@link NodeHealth} decides them: 200 or
 *       503 with one line of text saying why.
 * </ul>
 *
 * and whatever handlers the node adds (the live view, {@code /view}). Other methods than GET and HEAD get 405.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  private static final String TEXT = "text/plain; charset=utf-8";

  /** The media type a scraper names in {@code Accept} to get OpenMetrics. */
  static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";

  private final HttpServer server;

  private PrometheusEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * @param port TCP port, 0 for any free one
   * @throws UncheckedIOException naming the port when it cannot be bound
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, NodeHealth health, int port) {
    return start(registry, health, port, Map.of());
  }

  /**
   * As {@link #start(PrometheusMeterRegistry, NodeHealth, int)}, with more handlers by path (the live view's
   * {@code /view} and {@code /}); a path the server already serves is refused.
   *
   * @throws IllegalArgumentException when {@code more} names /metrics, /health or /ready
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, NodeHealth health, int port,
      Map<String, HttpHandler> more) {
    for (String path : more.keySet()) {
      if (List.of("/metrics", "/health", "/ready").contains(path)) {
        throw new IllegalArgumentException("the endpoint serves " + path + " itself");
      }
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.createContext("/metrics", exchange -> {
        String contentType = contentType(exchange.getRequestHeaders().get("Accept"));
        respond(exchange, 200, contentType, () -> registry.scrape(contentType));
      });
      server.createContext("/health", exchange -> answer(exchange, health.liveness()));
      server.createContext("/ready", exchange -> answer(exchange, health.readiness()));
      more.forEach(server::createContext);
      server.start();
      return new PrometheusEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + " (" + NodeConfig.METRICS_PORT + ")", e);
    }
  }

  /**
   * The exposition format for the {@code Accept} header values (null when absent): OpenMetrics 1.0 when any of
   * them names {@code application/openmetrics-text}, else the Prometheus text format 0.0.4.
   */
  static String contentType(List<String> accept) {
    if (accept != null) {
      for (String value : accept) {
        if (value.contains(OPENMETRICS_MEDIA_TYPE)) {
          return OpenMetricsTextFormatWriter.CONTENT_TYPE;
        }
      }
    }
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  private static void answer(HttpExchange exchange, NodeHealth.Answer answer) throws IOException {
    respond(exchange, answer.httpStatus(), TEXT, () -> answer.text() + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, Supplier<String> body)
      throws IOException {
    HttpResponses.send(exchange, status, contentType, () -> body.get().getBytes(StandardCharsets.UTF_8));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
