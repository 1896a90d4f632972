package io.depthstream.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthstream.depth.DepthMap;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.ProximityAlert;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.metrics.FrameTimings;
import io.depthstream.streams.metrics.NodeHealth;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.metrics.PrometheusEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live view's page, state and pictures as a browser gets them from the node's endpoint. */
class ViewHandlerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long MS = 1_000_000L;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong clock = new AtomicLong(5_000 * MS);
  private final LiveView view = LiveView.create(10, clock::get);
  private final PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry,
      new NodeHealth(() -> State.RUNNING, List.of()), 0, new ViewHandler(view, registry, clock::get).contexts());

  @AfterEach
  void close() {
    endpoint.close();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static final NavigationGuidance NAV = NavigationGuidance.newBuilder()
      .setScan(LaserScan.newBuilder().setAngleMinRad(-0.5f).setAngleIncrementRad(0.5f).setRangeMinM(0.1f)
          .setRangeMaxM(80f).addRangesM(2.5f).addRangesM(Float.NaN).addRangesM(Float.POSITIVE_INFINITY)
          .addRangesM(Float.NEGATIVE_INFINITY))
      .setAlert(ProximityAlert.newBuilder().setObstacle(true).setNearestM(0.8f).setThresholdM(1.5f))
      .build();

  private void frame(long sequence) {
    DepthMap input = DepthMap.allocate(3, 2);
    input.set(0, 0, 1f);
    DepthMap dense = DepthMap.allocate(3, 2);
    java.util.Arrays.fill(dense.data(), 2f);
    view.offer(FrameId.newBuilder().setSensorId("kinect-1").setKind(SensorKind.SENSOR_KIND_RGBD)
        .setSequence(sequence).build(), "inpaint", input, dense, NAV, 20 * MS);
  }

  @Test
  void thePageAndItsScriptComeFromTheJarAndTheRootLeadsToThem() throws Exception {
    HttpResponse<byte[]> page = get("/view/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    String html = new String(page.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(html).contains("<script src=\"view.js\"></script>").doesNotContain("http://", "https://");
    String script = new String(get("/view/view.js").body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(script).contains("state.json").contains("frame?sensor=").doesNotContain("http://", "https://");
    for (String path : List.of("/", "/view")) {
      HttpResponse<byte[]> redirect = get(path);
      assertThat(redirect.statusCode()).as(path).isEqualTo(302);
      assertThat(redirect.headers().firstValue("Location")).as(path).hasValue("/view/");
    }
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    assertThat(get("/metrics").statusCode()).as("the endpoint's own paths still answer").isEqualTo(200);
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + endpoint.port()
        + "/view/state.json")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void asPageRequestsComeInTheNodeCopiesFramesAndTheStateCarriesScanAlertFpsAndLatency() throws Exception {
    frame(1);
    JsonNode empty = new ObjectMapper().readTree(get("/view/state.json").body());
    assertThat(empty.get("sensors")).as("no page had asked when frame 1 came").isEmpty();
    assertThat(empty.get("rate_hz").asInt()).isEqualTo(10);

    NodeMetrics.SensorMeters meters = new NodeMetrics(registry).sensor("kinect-1", "rgbd", "inpaint");
    FrameTimings timings = new FrameTimings();
    timings.arrived(0);
    timings.reconstructing();
    timings.guiding();
    timings.encoding();
    timings.encoded();
    meters.out(timings, 30 * MS, 0);
    frame(2);
    get("/view/state.json"); // the first sample of the fps window
    clock.addAndGet(1_000 * MS);
    for (int i = 0; i < 15; i++) {
      meters.out(timings, 30 * MS, 0);
    }
    frame(3);
    JsonNode state = new ObjectMapper().readTree(get("/view/state.json").body());

    JsonNode s = state.get("sensors").get(0);
    assertThat(s.get("sensor").asText()).isEqualTo("kinect-1");
    assertThat(s.get("kind").asText()).isEqualTo("rgbd");
    assertThat(s.get("method").asText()).isEqualTo("inpaint");
    assertThat(s.get("sequence").asLong()).isEqualTo(3);
    assertThat(s.get("width").asInt()).isEqualTo(3);
    assertThat(s.get("has_input").asBoolean()).isTrue();
    assertThat(s.get("fps").asDouble()).isEqualTo(15.0);
    assertThat(s.at("/latency_ms/last").asDouble()).isEqualTo(20.0);
    assertThat(s.at("/latency_ms/p50").asDouble()).isBetween(29.0, 31.0);
    // NaN and the infinities survive JSON as strings that JavaScript's Number() reads back.
    assertThat(s.at("/scan/ranges_m").toString()).isEqualTo("[2.5,\"NaN\",\"Infinity\",\"-Infinity\"]");
    assertThat(s.at("/scan/angle_min_rad").asDouble()).isEqualTo(-0.5);
    assertThat(s.at("/alert/obstacle").asBoolean()).isTrue();

    HttpResponse<byte[]> pictures = get("/view/frame?sensor=kinect-1");
    assertThat(pictures.statusCode()).isEqualTo(200);
    ByteBuffer b = ByteBuffer.wrap(pictures.body()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new int[] {b.getShort(), b.getShort(), b.getShort(), b.getShort()}).containsExactly(3, 2, 3, 2);
    short[] samples = new short[12];
    b.asShortBuffer().get(samples);
    assertThat(samples).containsExactly((short) 256, (short) 0, (short) 0, (short) 0, (short) 0, (short) 0,
        (short) 512, (short) 512, (short) 512, (short) 512, (short) 512, (short) 512);
    assertThat(get("/view/frame?sensor=nobody").statusCode()).isEqualTo(404);
  }
}
