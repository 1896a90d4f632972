package io.depthstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The compose stack's Grafana dashboard ({@code docker/grafana/dashboards/depthstream.json}) for tests: its panels
 * and their PromQL queries, with Grafana's template variables replaced by what Grafana would send.
 */
final class GrafanaDashboard {
  static final Path FILE = DeployFiles.docker("grafana/dashboards/depthstream.json");

  /** One query of one panel. */
  record Query(String panel, String refId, String expr) {
    /**
     * The query as Prometheus gets it: {@code $sensor} as the "All" value of the sensor variable (its
     * {@code allValue}, a regex for every sensor) and {@code $__rate_interval} as {@code rateInterval}.
     */
    String promql(String rateInterval) {
      String q = expr.replace("$__rate_interval", rateInterval).replace("$sensor", ".+");
      if (q.contains("$")) {
        throw new IllegalStateException("panel \"" + panel + "\" uses a variable the tests do not know: " + expr);
      }
      return q;
    }
  }

  private GrafanaDashboard() {}

  static JsonNode read() {
    return DeployFiles.json(FILE);
  }

  static List<Query> queries(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query(panel.path("title").asText(), target.path("refId").asText(),
            target.path("expr").asText()));
      }
    }
    return queries;
  }
}
