package io.depthstream.streams.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.ProximityAlert;
import io.depthstream.streams.metrics.HttpResponses;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The live view's HTTP side, on the node's endpoint (the metrics port): a page that polls the node at the view's
 * rate and draws, per sensor, the input and the dense depth colour-mapped, the laser scan as a polar plot, fps and
 * latency. Everything it needs comes from the jar (no CDN: a robot may have no internet).
 *
 * <ul>
 *   <li>{@code GET /} and {@code GET /view}: redirect to {@code /view/} (the page uses relative paths, so it also
 *       works behind a reverse proxy's prefix);
 *   <li>{@code GET /view/}: the page; {@code /view/view.js}: its script;
 *   <li>{@code GET /view/state.json}: every sensor's newest snapshot without the pictures: identity, method, sizes,
 *       {@code version}, fps, latency (last, p50, p99 in ms), the laser scan and the alert (NaN, +Inf and -Inf
 *       ranges as the strings "NaN", "Infinity", "-Infinity");
 *   <li>{@code GET /view/frame?sensor=ID}: that sensor's pictures, binary little-endian: uint16 input width, input
 *       height, dense width, dense height (samples), then input and dense samples as uint16 depth in 1/256 m (0 =
 *       none), row-major ({@link Preview}); 404 when the sensor has no snapshot.
 * </ul>
 *
 * Every request marks a viewer as present ({@link LiveView#viewerActive}), which is what makes the frame path take
 * snapshots at all.
 */
public final class ViewHandler implements HttpHandler {
  /** Where the page and its script live on the classpath. */
  private static final String RESOURCES = "/io/depthstream/streams/view/";

  private static final String JSON = "application/json";
  private static final String NO_STORE = "no-store";

  private final LiveView view;
  private final SensorRates rates;
  private final ObjectMapper json = new ObjectMapper();
  private final byte[] page;
  private final byte[] script;

  /**
   * @param registry the node's meters, read for fps and latency
   * @param monotonicNanos the clock of the fps window ({@link System#nanoTime} outside tests)
   * @throws UncheckedIOException when the page is missing from the classpath (a broken build)
   */
  public ViewHandler(LiveView view, MeterRegistry registry, LongSupplier monotonicNanos) {
    this.view = view;
    this.rates = new SensorRates(registry, monotonicNanos);
    this.page = resource("index.html");
    this.script = resource("view.js");
  }

  /** The paths this handler serves on the node's endpoint: {@code /} (which also gets every unknown path) and /view. */
  public Map<String, HttpHandler> contexts() {
    return Map.of("/", this, "/view", this);
  }

  private static byte[] resource(String name) {
    try (InputStream in = ViewHandler.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("live view resource " + RESOURCES + name + " is missing"));
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the live view's " + name, e);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    switch (path) {
      case "/", "/view" -> {
        exchange.getResponseHeaders().set("Location", "/view/");
        HttpResponses.send(exchange, 302, "text/plain; charset=utf-8", () -> new byte[0]);
      }
      case "/view/", "/view/index.html" -> {
        view.viewerActive();
        HttpResponses.send(exchange, 200, "text/html; charset=utf-8", () -> page, "Cache-Control", NO_STORE);
      }
      case "/view/view.js" -> HttpResponses.send(exchange, 200, "text/javascript; charset=utf-8", () -> script,
          "Cache-Control", NO_STORE);
      case "/view/state.json" -> {
        view.viewerActive();
        HttpResponses.send(exchange, 200, JSON, this::state, "Cache-Control", NO_STORE);
      }
      case "/view/frame" -> {
        view.viewerActive();
        Snapshot s = view.snapshot(query(exchange, "sensor"));
        if (s == null) {
          HttpResponses.send(exchange, 404, "text/plain; charset=utf-8",
              () -> "no frame of that sensor yet\n".getBytes(StandardCharsets.UTF_8));
        } else {
          HttpResponses.send(exchange, 200, "application/octet-stream", () -> pictures(s), "Cache-Control", NO_STORE);
        }
      }
      default -> HttpResponses.send(exchange, 404, "text/plain; charset=utf-8",
          () -> ("not found: " + path + " (the node serves /metrics, /health, /ready and the live view at /view/)\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The value of query parameter {@code name}, "" when absent. */
  private static String query(HttpExchange exchange, String name) {
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(name)) {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
    }
    return "";
  }

  private byte[] state() {
    ObjectNode root = json.createObjectNode();
    root.put("rate_hz", view.rateHz());
    ArrayNode sensors = root.putArray("sensors");
    for (Snapshot s : view.snapshots()) {
      ObjectNode n = sensors.addObject();
      n.put("sensor", s.sensor());
      n.put("kind", s.kind());
      n.put("method", s.method());
      n.put("version", s.version());
      n.put("sequence", s.sequence());
      n.put("capture_time_ns", s.captureTimeNs());
      n.put("width", s.denseWidth());
      n.put("height", s.denseHeight());
      n.put("has_input", s.input().width() > 0);
      SensorRates.Rates r = rates.of(s.sensor());
      n.put("fps", r.fps());
      ObjectNode latency = n.putObject("latency_ms");
      latency.put("last", s.latencyNanos() / 1e6);
      latency.put("p50", r.latencyP50Ms());
      latency.put("p99", r.latencyP99Ms());
      scan(n.putObject("scan"), s.scan());
      alert(n.putObject("alert"), s.alert());
    }
    try {
      return json.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException("live view state", e);
    }
  }

  private static void scan(ObjectNode n, LaserScan scan) {
    n.put("angle_min_rad", scan.getAngleMinRad());
    n.put("angle_increment_rad", scan.getAngleIncrementRad());
    n.put("range_min_m", scan.getRangeMinM());
    n.put("range_max_m", scan.getRangeMaxM());
    ArrayNode ranges = n.putArray("ranges_m");
    for (int i = 0; i < scan.getRangesMCount(); i++) {
      ranges.add(scan.getRangesM(i));
    }
  }

  private static void alert(ObjectNode n, ProximityAlert alert) {
    n.put("obstacle", alert.getObstacle());
    n.put("nearest_m", alert.getNearestM());
    n.put("threshold_m", alert.getThresholdM());
  }

  /** The binary pictures of one snapshot (see the class comment). */
  static byte[] pictures(Snapshot s) {
    Preview in = s.input();
    Preview dense = s.dense();
    ByteBuffer out = ByteBuffer.allocate(8 + 2 * (in.samples().length + dense.samples().length))
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putShort((short) in.width()).putShort((short) in.height())
        .putShort((short) dense.width()).putShort((short) dense.height());
    out.asShortBuffer().put(in.samples()).put(dense.samples());
    return out.array();
  }
}
