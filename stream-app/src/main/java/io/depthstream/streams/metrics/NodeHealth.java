package io.depthstream.streams.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * What {@code GET /health} (liveness) and {@code GET /ready} (readiness) answer for a node, from its Kafka Streams
 * state and its configured methods.
 *
 * <ul>
 *   <li><b>Live</b> while the process serves: everything but a Kafka Streams client that failed (ERROR or
 *       PENDING_ERROR: every stream thread died or the node stopped itself because the cluster refused it) or that
 *       stopped without being asked to (NOT_RUNNING or PENDING_SHUTDOWN before {@link #closing}). A restart is the
 *       cure for those, so an orchestrator may act on it.
 *   <li><b>Ready</b> only when Kafka Streams is RUNNING (it owns its partitions and processes) and every configured
 *       method is loaded (the node opens and warms up each model before it starts, and holds it until it closes).
 *       Rebalancing, starting and stopping are not ready, but live.
 * </ul>
 *
 * The same two answers are gauges for Prometheus' alerts ({@link #bindTo}): {@code depthstream_live} and
 * {@code depthstream_ready}, 1 or 0. Each HTTP answer is one line of text saying why, e.g. {@code not ready: Kafka Streams is REBALANCING, not RUNNING;
 * methods loaded: depthstream.method.lidar=fast_interp_x4 (model 1c2e5a0b9f3d)}.
 */
public final class NodeHealth {
  /** One answer: HTTP 200 when {@code ok}, else 503, with {@code text} as the body. */
  public record Answer(boolean ok, String text) {
    public int httpStatus() {
      return ok ? 200 : 503;
    }
  }

  /**
   * A configured method: its setting key, its name, and its model version (sha256 prefix; empty for a classical
   * method, which has nothing to load).
   */
  public record Method(String key, String name, String modelVersion) {
    @Override
    public String toString() {
      return key + "=" + name + (modelVersion.isEmpty() ? "" : " (model " + modelVersion + ")");
    }
  }

  private final Supplier<State> state;
  private final List<Method> methods;
  private volatile boolean closing;

  /**
   * @param state the Kafka Streams client's current state, read on each request
   * @param methods the configured methods, loaded and held open by the node until {@link #closing}
   */
  public NodeHealth(Supplier<State> state, List<Method> methods) {
    this.state = state;
    this.methods = List.copyOf(methods);
  }

  public static final String LIVE = "depthstream.live";
  public static final String READY = "depthstream.ready";

  /** Registers {@value #LIVE} and {@value #READY} (1 or 0, as the endpoints answer 200 or 503). */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(LIVE, this, h -> h.liveness().ok() ? 1 : 0)
        .description("1 while GET /health answers 200: the Kafka Streams client has not failed").register(registry);
    Gauge.builder(READY, this, h -> h.readiness().ok() ? 1 : 0)
        .description("1 while GET /ready answers 200: Kafka Streams RUNNING and every method loaded")
        .register(registry);
  }

  /** The node was asked to stop: its methods are about to be released, and a NOT_RUNNING state is no failure. */
  public void closing() {
    closing = true;
  }

  /** {@code GET /health}. */
  public Answer liveness() {
    State now = state.get();
    if (now == State.ERROR || now == State.PENDING_ERROR) {
      return new Answer(false, "not live: Kafka Streams is " + now + " (its stream threads failed or the cluster"
          + " refused the node; see the log)");
    }
    if (!closing && (now == State.NOT_RUNNING || now == State.PENDING_SHUTDOWN)) {
      return new Answer(false, "not live: Kafka Streams is " + now + " although nobody stopped the node");
    }
    return new Answer(true, "live: Kafka Streams is " + now);
  }

  /** {@code GET /ready}. */
  public Answer readiness() {
    State now = state.get();
    String loaded = methods.isEmpty() ? "no methods configured"
        : methods.stream().map(Method::toString).collect(Collectors.joining(", "));
    if (closing) {
      return new Answer(false, "not ready: the node is stopping (Kafka Streams " + now + "); methods released: "
          + loaded);
    }
    if (now != State.RUNNING) {
      return new Answer(false, "not ready: Kafka Streams is " + now + ", not RUNNING; methods loaded: " + loaded);
    }
    return new Answer(true, "ready: Kafka Streams is RUNNING; methods loaded: " + loaded);
  }
}
