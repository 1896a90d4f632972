package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard: datasource references, the panels the issue asks for, and queries that parse. */
class DashboardTest {
  private final JsonNode dashboard = GrafanaDashboard.read();

  /** The uid of the datasource that Grafana provisions (docker/grafana/provisioning/datasources). */
  private static String provisionedUid() {
    JsonNode sources = DeployFiles.yaml(DeployFiles.docker("grafana/provisioning/datasources/prometheus.yaml"))
        .path("datasources");
    assertThat(sources).hasSize(1);
    assertThat(sources.get(0).path("type").asText()).isEqualTo("prometheus");
    assertThat(sources.get(0).path("url").asText()).isEqualTo("http://prometheus:9090");
    return sources.get(0).path("uid").asText();
  }

  @Test
  void everyPanelTargetAndVariableUsesTheProvisionedDatasource() {
    String uid = provisionedUid();
    List<JsonNode> references = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      references.add(panel.path("datasource"));
      panel.path("targets").forEach(references::add);
      panel.path("targets").forEach(t -> assertThat(t.has("datasource")).as("target of %s", panel.path("title"))
          .isTrue());
    }
    dashboard.path("templating").path("list").forEach(v -> references.add(v.path("datasource")));
    assertThat(references).hasSizeGreaterThan(20).allSatisfy(ref -> {
      JsonNode ds = ref.has("datasource") ? ref.path("datasource") : ref;
      assertThat(ds.path("uid").asText()).isEqualTo(uid);
      assertThat(ds.path("type").asText()).isEqualTo("prometheus");
    });
  }

  @Test
  void panelsCoverWhatTheIssueAsksFor() {
    List<String> exprs = GrafanaDashboard.queries(dashboard).stream().map(GrafanaDashboard.Query::expr).toList();
    Set<String> metrics = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:depthstream|jvm|kafka|process|system|up)[a-z_]*)\\b").matcher(
        String.join("\n", exprs));
    while (m.find()) {
      metrics.add(m.group(1));
    }
    assertThat(metrics).contains(
        "depthstream_frames_in_total", "depthstream_frames_out_total", // fps in and out per sensor
        "depthstream_end_to_end_latency_seconds_bucket", // end-to-end p50 / p99 per sensor
        "depthstream_stage_latency_seconds_bucket", // stage latency per sensor
        "depthstream_frames_skipped_total", "depthstream_frames_overloaded_total",
        "depthstream_frames_dead_lettered_total",
        "depthstream_inference_cpu_fallback_total",
        "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", // JVM heap and GC
        "kafka_consumer_fetch_manager_records_lag"); // consumer lag
    assertThat(exprs).anySatisfy(e -> assertThat(e).startsWith("histogram_quantile(0.5,")
        .contains("depthstream_end_to_end_latency_seconds_bucket").contains("by (sensor, le)"))
        .anySatisfy(e -> assertThat(e).startsWith("histogram_quantile(0.99,")
            .contains("depthstream_end_to_end_latency_seconds_bucket").contains("by (sensor, le)"))
        .anySatisfy(e -> assertThat(e).contains("depthstream_stage_latency_seconds_bucket")
            .contains("by (sensor, stage, le)"))
        .anySatisfy(e -> assertThat(e).contains("sum by (reason)").contains("dead_lettered"));
    List<String> titles = new ArrayList<>();
    dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
    assertThat(titles).contains("Frames per second in and out, per sensor", "End-to-end latency p50 / p99, per sensor",
        "Stage latency p99, per sensor and stage", "Skipped frames per second", "Dead letters per second, by reason",
        "CPU fallback", "JVM heap", "GC pauses", "Consumer lag, per raw topic");
    assertThat(titles).doesNotHaveDuplicates();
  }

  @Test
  void everyQueryParses(@TempDir Path dir) throws Exception {
    assumeTrue(Promtool.find("promtool").isPresent(), "promtool" + Promtool.MISSING);
    // promtool has no parse-only command for expressions, but check rules parses each rule's expression.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    List<GrafanaDashboard.Query> queries = GrafanaDashboard.queries(dashboard);
    for (int i = 0; i < queries.size(); i++) {
      rules.append("      - record: dashboard:query_").append(i).append('\n')
          .append("        expr: '").append(queries.get(i).promql("1m").replace("'", "''")).append("'\n");
    }
    Path file = Files.writeString(dir.resolve("dashboard-rules.yml"), rules);
    Promtool.Result result = Promtool.run("check", "rules", file.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
  }
}
