package io.depthstream.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters, all under {@code depthstream.*}:
 *
 * <ul>
 *   <li>{@code depthstream.frames.in{sensor,kind}}, {@code depthstream.frames.out{sensor,method}},
 *       {@code depthstream.frames.dead_lettered{sensor,reason}}, {@code depthstream.frames.skipped{sensor}}
 *       (older than the real-time budget on arrival): counters (frames per second = their rate). A record that
 *       fails to decode or validate counts only as {@code dead_lettered}; a frame that decodes counts as
 *       {@code in} and then as exactly one of {@code out}, {@code skipped} or {@code dead_lettered} (its
 *       reconstruction failed);
 *   <li>{@code depthstream.stage.latency{stage}} for decode, reconstruct, guidance and encode, and
 *       {@code depthstream.end_to_end.latency{sensor}} from capture time to hand-over to the producer: timers
 *       exported as Prometheus histograms (p50/p99 with {@code histogram_quantile}), with in-process
 *       p50/p90/p99 for registries that show percentiles (status lines, JMX).
 * </ul>
 *
 * <p>Sensor ids come from the input, so the number of distinct {@code sensor} tags is capped (256); beyond it
 * new sensors are counted under the meters without that tag value rather than growing the registry forever.
 */
public final class NodeMetrics {
  public static final String FRAMES_IN = "depthstream.frames.in";
  public static final String FRAMES_OUT = "depthstream.frames.out";
  public static final String FRAMES_DEAD_LETTERED = "depthstream.frames.dead_lettered";
  public static final String FRAMES_SKIPPED = "depthstream.frames.skipped";
  public static final String STAGE_LATENCY = "depthstream.stage.latency";
  public static final String END_TO_END_LATENCY = "depthstream.end_to_end.latency";
  private static final int MAX_SENSORS = 256;

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Timer> stageTimers = new ConcurrentHashMap<>();

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.config().meterFilter(
        MeterFilter.maximumAllowableTags("depthstream.frames", "sensor", MAX_SENSORS, MeterFilter.deny()));
    registry.config().meterFilter(
        MeterFilter.maximumAllowableTags(END_TO_END_LATENCY, "sensor", MAX_SENSORS, MeterFilter.deny()));
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void frameIn(String sensor, String kind) {
    Counter.builder(FRAMES_IN).tag("sensor", sensor).tag("kind", kind).description("frames received")
        .register(registry).increment();
  }

  public void frameOut(String sensor, String method) {
    Counter.builder(FRAMES_OUT).tag("sensor", sensor).tag("method", method).description("dense frames published")
        .register(registry).increment();
  }

  public void deadLettered(String sensor, String reason) {
    Counter.builder(FRAMES_DEAD_LETTERED).tag("sensor", sensor).tag("reason", reason)
        .description("frames sent to the dead-letter topic").register(registry).increment();
  }

  /** A model was asked to run on CUDA and runs on the CPU instead (logged by the inference module too). */
  public void cpuFallback(String method) {
    Counter.builder("depthstream.inference.cpu_fallback").tag("method", method)
        .description("model sessions that asked for CUDA and fell back to the CPU").register(registry).increment();
  }

  public void skipped(String sensor) {
    Counter.builder(FRAMES_SKIPPED).tag("sensor", sensor)
        .description("valid frames skipped because they were older than the real-time budget on arrival")
        .register(registry).increment();
  }

  /** Records one stage's duration. */
  public void stage(String stage, long nanos) {
    stageTimers.computeIfAbsent(stage, s -> latencyTimer(STAGE_LATENCY, "stage", s, "per-stage processing time"))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records capture-to-publish latency; negative values (clock skew) are recorded as zero. */
  public void endToEnd(String sensor, long nanos) {
    latencyTimer(END_TO_END_LATENCY, "sensor", sensor, "capture time to hand-over to the producer")
        .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  private Timer latencyTimer(String name, String tagKey, String tagValue, String description) {
    return Timer.builder(name)
        .tag(tagKey, tagValue)
        .description(description)
        .publishPercentiles(0.5, 0.9, 0.99)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }
}
