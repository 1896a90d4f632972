package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring stack's Prometheus part for real, without Docker: the demo runs in-process (broker, node, three
 * sensors, corrupt records on purpose), Debian's {@code prometheus} binary scrapes the node with the compose
 * stack's own scrape configuration and alert rules (the target and intervals changed), and every query of the
 * Grafana dashboard must return data through Prometheus' HTTP API.
 */
class MonitoringStackIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What $__rate_interval becomes: Grafana's rule gives 4 scrape intervals at least; 1 s scrapes here. */
  private static final String RATE_INTERVAL = "10s";

  @Test
  void prometheusScrapesTheNodeAndEveryDashboardQueryReturnsData(@TempDir Path dir) throws Exception {
    assumeTrue(Promtool.find("prometheus").isPresent(), "prometheus" + Promtool.MISSING);
    int prometheusPort = RunningDemo.freePort();
    Process prometheus = null;
    try (RunningDemo demo = RunningDemo.start(RunningDemo.settings(dir.resolve("pictures"), Duration.ofMinutes(3))
        .lidar(5, 1242, 375).rgbdHz(5).vslamHz(5)
        .loopFrames(3)
        .corruptEvery(10))) {
      int nodePort = demo.nodePort();
      demo.awaitReady(Duration.ofSeconds(180));
      prometheus = startPrometheus(dir, nodePort, prometheusPort);
      String api = "http://127.0.0.1:" + prometheusPort;
      awaitScrapes(api, 15);

      Map<String, Integer> results = new LinkedHashMap<>();
      Map<String, String> examples = new LinkedHashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<GrafanaDashboard.Query> queries = GrafanaDashboard.queries(GrafanaDashboard.read());
      for (GrafanaDashboard.Query q : queries) {
        String promql = q.promql(RATE_INTERVAL);
        JsonNode result = query(api, promql);
        // A series that needs an event first (a GC pause, a dead letter) may take a few more scrapes.
        while (result.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(1000);
          result = query(api, promql);
        }
        String key = q.panel() + " [" + q.refId() + "] " + promql;
        results.put(key, result.size());
        examples.put(key, result.isEmpty() ? "" : result.get(0).path("metric") + " = "
            + result.get(0).path("value").get(1).asText());
      }
      System.out.println("Grafana dashboard queries through Prometheus (series returned, the first of them):");
      results.forEach((q, n) -> System.out.printf("  %3d  %s%n         %s%n", n, q, examples.get(q)));
      assertThat(results).hasSize(queries.size()).allSatisfy((q, n) -> assertThat(n).as(q).isPositive());

      // The alert rules load and evaluate without errors against the node's real series.
      JsonNode groups = get(api + "/api/v1/rules").path("data").path("groups");
      List<String> rules = new ArrayList<>();
      groups.forEach(g -> g.path("rules").forEach(r -> rules.add(r.path("name").asText() + "="
          + r.path("health").asText() + (r.has("lastError") && !r.path("lastError").asText().isEmpty()
              ? " (" + r.path("lastError").asText() + ")" : ""))));
      System.out.println("alert rules: " + rules);
      assertThat(rules).hasSize(8).allSatisfy(r -> assertThat(r).endsWith("=ok"));

      printSeriesCount(nodePort, api);
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Prometheus with docker/prometheus/prometheus.yml and alerts.yml, pointed at the node, scraping every second. */
  private static Process startPrometheus(Path dir, int nodePort, int prometheusPort) throws Exception {
    String config = Files.readString(DeployFiles.docker("prometheus/prometheus.yml"))
        .replace("depthstream:9464", "localhost:" + nodePort)
        .replace("localhost:9090", "127.0.0.1:" + prometheusPort)
        .replace("scrape_interval: 5s", "scrape_interval: 1s")
        .replace("evaluation_interval: 5s", "evaluation_interval: 1s");
    assertThat(config).contains("localhost:" + nodePort).contains("scrape_interval: 1s");
    Files.writeString(dir.resolve("prometheus.yml"), config);
    Files.copy(DeployFiles.docker("prometheus/alerts.yml"), dir.resolve("alerts.yml"));
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder(Promtool.find("prometheus").orElseThrow().toString(),
        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("prometheus exited: %s", Files.readString(log)).isTrue();
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return process;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("prometheus not ready within 60 s: " + Files.readString(log));
  }

  /** Waits until Prometheus holds {@code scrapes} successful scrapes of the node. */
  private static void awaitScrapes(String api, int scrapes) throws Exception {
    String q = "count_over_time(up{job=\"depthstream\"}[1m]) and on() up{job=\"depthstream\"} == 1";
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = query(api, q);
      if (!r.isEmpty() && r.get(0).path("value").get(1).asDouble() >= scrapes) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("fewer than " + scrapes + " successful scrapes within 90 s: " + query(api, "up"));
  }

  /** The node's /metrics series count, by name prefix, as Prometheus stored them. */
  private static void printSeriesCount(int nodePort, String api) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + nodePort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Integer> byPrefix = new TreeMap<>();
    int total = 0;
    for (String line : body.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        total++;
        String name = line.split("[{ ]", 2)[0];
        String prefix = name.startsWith("depthstream_") ? name.replaceFirst("^(depthstream_[a-z]+_[a-z]+).*", "$1")
            : name.split("_")[0];
        byPrefix.merge(prefix, 1, Integer::sum);
      }
    }
    System.out.println("node /metrics: " + total + " series " + byPrefix);
    JsonNode stored = query(api, "count({job=\"depthstream\"})");
    System.out.println("Prometheus holds " + stored.get(0).path("value").get(1).asText() + " series of the node");
  }

  private static JsonNode query(String api, String promql) throws Exception {
    JsonNode response = get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(response.path("status").asText()).as("%s: %s", promql, response).isEqualTo("success");
    return response.path("data").path("result");
  }

  private static JsonNode get(String url) throws Exception {
    return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }
}
