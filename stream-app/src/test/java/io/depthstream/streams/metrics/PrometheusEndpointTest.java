package io.depthstream.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {
  @Test
  void servesTheNodeMetersInPrometheusFormat() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeMetrics metrics = new NodeMetrics(registry);
    NodeMetrics.SensorMeters velo = metrics.sensor("velo", "lidar", "nearest-fill");
    velo.in();
    velo.in();
    velo.deadLettered("CORRUPT_BYTES");
    FrameTimings timings = new FrameTimings();
    timings.arrived(0L);
    timings.reconstructing();
    timings.guiding();
    timings.encoding();
    timings.encoded();
    velo.out(timings, 40_000_000L, 3);
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, 0)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + endpoint.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("depthstream_frames_in_total{kind=\"lidar\",sensor=\"velo\"} 2.0")
          .contains("depthstream_frames_out_total{method=\"nearest-fill\",sensor=\"velo\"} 1.0")
          .contains("depthstream_frames_dead_lettered_total{reason=\"CORRUPT_BYTES\",sensor=\"velo\"} 1.0")
          .contains("depthstream_stage_latency_seconds_bucket{sensor=\"velo\",stage=\"reconstruct\"")
          .contains("depthstream_output_saturated_pixels_total{sensor=\"velo\"} 3.0")
          .contains("depthstream_end_to_end_latency_seconds_bucket{sensor=\"velo\"")
          .contains("depthstream_end_to_end_latency_seconds_sum{sensor=\"velo\"} 0.04");
    }
  }

  @Test
  void sensorTagsAreCappedSoHostileIdsCannotGrowTheRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeMetrics metrics = new NodeMetrics(registry);
    for (int i = 0; i < 300; i++) {
      metrics.sensor("sensor-" + i, "lidar", "nearest-fill").in();
    }
    // 256 sensors of their own, and the other 44 counted together under one overflow tag.
    assertThat(registry.find(NodeMetrics.FRAMES_IN).counters()).hasSize(NodeMetrics.MAX_SENSORS + 1);
    assertThat(registry.find(NodeMetrics.FRAMES_IN).tag("sensor", NodeMetrics.OVERFLOW_SENSOR).counter().count())
        .isEqualTo(44.0);
  }
}
