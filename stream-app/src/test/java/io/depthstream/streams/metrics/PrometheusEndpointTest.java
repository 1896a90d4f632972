package io.depthstream.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.proto.kafka.DeadLetterReason;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
  private final NodeHealth health = new NodeHealth(state::get,
      List.of(new NodeHealth.Method("depthstream.method.lidar", "fast_interp_x4", "1c2e5a0b9f3d"),
          new NodeHealth.Method("depthstream.method.rgbd", "inpaint", "")));

  @Test
  void servesTheNodeMetersInPrometheusFormat() throws Exception {
    NodeMetrics metrics = new NodeMetrics(registry);
    NodeMetrics.SensorMeters velo = metrics.sensor("velo", "lidar", "nearest-fill");
    velo.in();
    velo.in();
    velo.deadLettered(DeadLetterReason.CORRUPT_BYTES);
    FrameTimings timings = new FrameTimings();
    timings.arrived(0L);
    timings.reconstructing();
    timings.guiding();
    timings.encoding();
    timings.encoded();
    velo.out(timings, 40_000_000L, 3);
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, health, 0)) {
      HttpResponse<String> response = get(endpoint, "/metrics", null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.body())
          .contains("depthstream_frames_in_total{kind=\"lidar\",sensor=\"velo\"} 2.0")
          .contains("depthstream_frames_out_total{method=\"nearest-fill\",sensor=\"velo\"} 1.0")
          .contains("depthstream_frames_dead_lettered_total{reason=\"CORRUPT_BYTES\",sensor=\"velo\"} 1.0")
          .contains("depthstream_stage_latency_seconds_bucket{sensor=\"velo\",stage=\"reconstruct\"")
          .contains("depthstream_output_saturated_pixels_total{sensor=\"velo\"} 3.0")
          .contains("depthstream_end_to_end_latency_seconds_bucket{sensor=\"velo\"")
          .contains("depthstream_end_to_end_latency_seconds_sum{sensor=\"velo\"} 0.04")
          .doesNotContain("# EOF");
    }
  }

  @Test
  void answersOpenMetricsWhenTheScraperAsksForIt() throws Exception {
    new NodeMetrics(registry).sensor("velo", "lidar", "nearest-fill").in();
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, health, 0)) {
      // What Prometheus 2.x sends.
      HttpResponse<String> response = get(endpoint, "/metrics", "application/openmetrics-text;version=1.0.0,"
          + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
      assertThat(response.body())
          .contains("# TYPE depthstream_frames_in counter")
          .contains("depthstream_frames_in_total{kind=\"lidar\",sensor=\"velo\"} 1.0")
          .endsWith("# EOF\n");
      assertThat(get(endpoint, "/metrics", "text/plain").headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
    }
  }

  @Test
  void deadLetterCountersOfASensorStartAtZeroForEveryReasonTheNodeGives() throws Exception {
    new NodeMetrics(registry).sensor("kinect", "rgbd", "inpaint").in();
    String body = scrape();
    for (DeadLetterReason reason : DeadLetterReason.nodeReasons()) {
      assertThat(body)
          .contains("depthstream_frames_dead_lettered_total{reason=\"" + reason + "\",sensor=\"kinect\"} 0.0");
    }
    assertThat(DeadLetterReason.nodeReasons()).contains(DeadLetterReason.CORRUPT_BYTES,
        DeadLetterReason.CHUNKED_STACK_UNSUPPORTED).doesNotContain(DeadLetterReason.CORRUPT_FILE);
    assertThat(body).doesNotContain("reason=\"CORRUPT_FILE\"");
  }

  @Test
  void cpuFallbackCountersExistAtZeroForEveryConfiguredMethod() throws Exception {
    NodeMetrics metrics = new NodeMetrics(registry);
    metrics.methodConfigured("fast_interp_x4");
    metrics.methodConfigured("inpaint");
    assertThat(scrape())
        .contains("depthstream_inference_cpu_fallback_total{method=\"fast_interp_x4\"} 0.0")
        .contains("depthstream_inference_cpu_fallback_total{method=\"inpaint\"} 0.0");
    metrics.cpuFallback("fast_interp_x4");
    assertThat(scrape()).contains("depthstream_inference_cpu_fallback_total{method=\"fast_interp_x4\"} 1.0");
  }

  @Test
  void jvmAndProcessSeriesAppearOnceTheRuntimeMetersAreBound() throws Exception {
    assertThat(scrape()).doesNotContain("jvm_").doesNotContain("process_");
    try (RuntimeMeters runtime = RuntimeMeters.bindTo(registry)) {
      assertThat(scrape())
          .contains("jvm_memory_used_bytes{area=\"heap\"")
          .contains("jvm_gc_live_data_size_bytes") // jvm_gc_pause_seconds comes with the first collection
          .contains("jvm_threads_live_threads")
          .contains("jvm_classes_loaded_classes")
          .contains("process_cpu_usage")
          .contains("process_uptime_seconds")
          .contains("process_files_open_files")
          .contains("jvm_gc_overhead");
      runtime.close(); // and once more by try-with-resources: safe twice
    }
  }

  @Test
  void healthAndReadinessFollowTheStreamsState() throws Exception {
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, health, 0)) {
      HttpResponse<String> ready = get(endpoint, "/ready", null);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).startsWith("not ready: Kafka Streams is CREATED, not RUNNING");
      assertThat(get(endpoint, "/health", null).statusCode()).isEqualTo(200);

      health.bindTo(registry);
      assertThat(scrape()).contains("depthstream_ready 0.0").contains("depthstream_live 1.0");
      state.set(State.RUNNING);
      assertThat(scrape()).contains("depthstream_ready 1.0");
      ready = get(endpoint, "/ready", null);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
      assertThat(ready.body()).isEqualTo("ready: Kafka Streams is RUNNING; methods loaded: "
          + "depthstream.method.lidar=fast_interp_x4 (model 1c2e5a0b9f3d), depthstream.method.rgbd=inpaint\n");

      state.set(State.ERROR);
      HttpResponse<String> live = get(endpoint, "/health", null);
      assertThat(live.statusCode()).isEqualTo(503);
      assertThat(live.body()).startsWith("not live: Kafka Streams is ERROR");
      assertThat(get(endpoint, "/ready", null).statusCode()).isEqualTo(503);

      HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri(endpoint, "/ready"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void sensorTagsAreCappedSoHostileIdsCannotGrowTheRegistry() {
    NodeMetrics metrics = new NodeMetrics(registry);
    for (int i = 0; i < 300; i++) {
      metrics.sensor("sensor-" + i, "lidar", "nearest-fill").in();
    }
    // 256 sensors of their own, and the other 44 counted together under one overflow tag.
    assertThat(registry.find(NodeMetrics.FRAMES_IN).counters()).hasSize(NodeMetrics.MAX_SENSORS + 1);
    assertThat(registry.find(NodeMetrics.FRAMES_IN).tag("sensor", NodeMetrics.OVERFLOW_SENSOR).counter().count())
        .isEqualTo(44.0);
  }

  private String scrape() {
    return registry.scrape();
  }

  private static URI uri(PrometheusEndpoint endpoint, String path) {
    return URI.create("http://localhost:" + endpoint.port() + path);
  }

  private static HttpResponse<String> get(PrometheusEndpoint endpoint, String path, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(endpoint, path));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
