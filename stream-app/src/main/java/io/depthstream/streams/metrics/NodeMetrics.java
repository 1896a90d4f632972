package io.depthstream.streams.metrics;

import io.depthstream.proto.kafka.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters, all under {@code depthstream.*}:
 *
 * <ul>
 *   <li>{@code depthstream.frames.in{sensor,kind}}, {@code depthstream.frames.out{sensor,method}},
 *       {@code depthstream.frames.dead_lettered{sensor,reason}}, {@code depthstream.frames.skipped{sensor}}
 *       (superseded by a newer frame of the same sensor while older than the real-time budget): counters (frames
 *       per second = their rate). Every record that reaches a processor counts as {@code in} (tagged with its
 *       record key and the kind of its topic) and then as exactly one of {@code out}, {@code skipped} or
 *       {@code dead_lettered}, so {@code in = out + skipped + dead_lettered} per sensor. A sensor's counters,
 *       its dead letters for every reason of {@link DeadLetterReason#nodeReasons()} included, exist at 0 from its
 *       first record, so {@code rate()} and {@code increase()} see the first dead letter of a reason as a step from
 *       0 instead of a series that appears already at 1;
 *   <li>{@code depthstream.frames.overloaded{sensor}}: frames (counted in {@code out} too) that reached the processor
 *       later than {@code depthstream.realtime.overload.ms} and were reconstructed by the overload method;
 *   <li>{@code depthstream.output.saturated_pixels{sensor}}: output pixels whose depth exceeded the range of the
 *       sensor's output encoding and were clamped to its largest value (also in each DenseDepth);
 *   <li>{@code depthstream.inference.cpu_fallback{method}}: method sessions that asked for CUDA and run on the CPU;
 *       at 0 for every configured method from the start ({@link #methodConfigured});
 *   <li>{@code depthstream.start.stale_records{topic}}: raw records the node moved past at start-up because they were
 *       already older than the real-time budget ({@code depthstream.realtime.start.skip.stale}); counted by offset
 *       (transaction markers included), never fetched, so they are not in {@code depthstream.frames.in};
 *   <li>{@code depthstream.production.errors{topic,error}}: records the Kafka producer could not write (counted once
 *       each, then skipped so the stream thread keeps running);
 *   <li>{@code depthstream.stage.latency{sensor,stage}} for decode, reconstruct, guidance and encode, and
 *       {@code depthstream.end_to_end.latency{sensor}} from capture time to hand-over to the producer: timers
 *       exported as Prometheus histograms (p50/p99 with {@code histogram_quantile}), with in-process
 *       p50/p90/p99 for registries that show percentiles (status lines, JMX).
 * </ul>
 *
 * <p>Meters are looked up once per sensor ({@link #sensor}), not per frame. Sensor ids come from the input, so the
 * number of distinct sensors is capped ({@value #MAX_SENSORS}); frames of further sensors are counted under the
 * sensor tag {@value #OVERFLOW_SENSOR} rather than growing the registry forever.
 */
public final class NodeMetrics {
  public static final String FRAMES_IN = "depthstream.frames.in";
  public static final String FRAMES_OUT = "depthstream.frames.out";
  public static final String FRAMES_DEAD_LETTERED = "depthstream.frames.dead_lettered";
  public static final String FRAMES_SKIPPED = "depthstream.frames.skipped";
  public static final String FRAMES_OVERLOADED = "depthstream.frames.overloaded";
  public static final String SATURATED_PIXELS = "depthstream.output.saturated_pixels";
  public static final String PRODUCTION_ERRORS = "depthstream.production.errors";
  public static final String STAGE_LATENCY = "depthstream.stage.latency";
  public static final String END_TO_END_LATENCY = "depthstream.end_to_end.latency";
  public static final String CPU_FALLBACK = "depthstream.inference.cpu_fallback";
  public static final String START_STALE_RECORDS = "depthstream.start.stale_records";

  /** Most distinct sensor tag values; further sensors share {@value #OVERFLOW_SENSOR}. */
  public static final int MAX_SENSORS = 256;

  public static final String OVERFLOW_SENSOR = "_other";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, SensorMeters> sensors = new ConcurrentHashMap<>();

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    // A second line of defence behind the sensor cap above, for meters registered elsewhere with a sensor tag.
    registry.config().meterFilter(
        MeterFilter.maximumAllowableTags("depthstream.frames", "sensor", MAX_SENSORS + 1, MeterFilter.deny()));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The meters of one sensor, created on its first frame and then reused.
   *
   * @param sensor the record key (sensor id); null or empty counts as "unknown"
   * @param kind the sensor kind of the topic the frame arrived on (lidar, rgbd, vslam, focal_stack)
   * @param method the method the frame's topic runs
   */
  public SensorMeters sensor(String sensor, String kind, String method) {
    String tag = sensor == null || sensor.isEmpty() ? "unknown" : sensor;
    String key = tag + '\u0000' + kind + '\u0000' + method;
    SensorMeters meters = sensors.get(key);
    if (meters != null) {
      return meters;
    }
    if (sensors.size() >= MAX_SENSORS) {
      return sensors.computeIfAbsent(OVERFLOW_SENSOR + '\u0000' + kind + '\u0000' + method,
          k -> new SensorMeters(this, OVERFLOW_SENSOR, kind, method));
    }
    return sensors.computeIfAbsent(key, k -> new SensorMeters(this, tag, kind, method));
  }

  /**
   * A sensor topic runs {@code method}: its CPU-fallback counter exists at 0 from now on, so a dashboard or an
   * alert on it has a series (and a step from 0) before the first fallback. Classical methods run on the CPU by
   * design and stay at 0.
   */
  public void methodConfigured(String method) {
    cpuFallbackCounter(method);
  }

  /** A model was asked to run on CUDA and runs on the CPU instead (logged by the inference module too). */
  public void cpuFallback(String method) {
    cpuFallbackCounter(method).increment();
  }

  private Counter cpuFallbackCounter(String method) {
    return Counter.builder(CPU_FALLBACK).tag("method", method)
        .description("model sessions that asked for CUDA and fell back to the CPU").register(registry);
  }

  /** {@code records} of raw {@code topic} were moved past at start-up as older than the real-time budget. */
  public void staleAtStart(String topic, long records) {
    Counter.builder(START_STALE_RECORDS).tag("topic", topic)
        .description("raw records moved past at start-up as older than the real-time budget, never fetched")
        .register(registry).increment(records);
  }

  /** The producer failed to write a record to {@code topic}; {@code error} is the exception's simple class name. */
  public void productionError(String topic, String error) {
    Counter.builder(PRODUCTION_ERRORS).tag("topic", topic).tag("error", error)
        .description("records the producer could not write; each is counted once and skipped")
        .register(registry).increment();
  }

  Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).tags(tags).description(description).register(registry);
  }

  Timer latencyTimer(String name, String description, String... tags) {
    return Timer.builder(name)
        .tags(tags)
        .description(description)
        .publishPercentiles(0.5, 0.9, 0.99)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /** The meters of one sensor on one topic; thread-safe (Micrometer meters are). */
  public static final class SensorMeters {
    private final NodeMetrics metrics;
    private final String sensor;
    private final Counter in;
    private final Counter out;
    private final Counter skipped;
    private final Counter overloaded;
    private final Counter saturated;
    private final Timer decode;
    private final Timer reconstruct;
    private final Timer guidance;
    private final Timer encode;
    private final Timer endToEnd;
    /** Every reason the node gives, registered at 0 up front; read-only after the constructor. */
    private final Map<DeadLetterReason, Counter> deadLettered = new EnumMap<>(DeadLetterReason.class);

    SensorMeters(NodeMetrics metrics, String sensor, String kind, String method) {
      this.metrics = metrics;
      this.sensor = sensor;
      in = metrics.counter(FRAMES_IN, "frames received", "sensor", sensor, "kind", kind);
      out = metrics.counter(FRAMES_OUT, "dense frames published", "sensor", sensor, "method", method);
      skipped = metrics.counter(FRAMES_SKIPPED,
          "frames older than the real-time budget that a newer frame of the same sensor superseded",
          "sensor", sensor);
      overloaded = metrics.counter(FRAMES_OVERLOADED,
          "frames that reached the processor later than the overload age and got the overload method", "sensor",
          sensor);
      saturated = metrics.counter(SATURATED_PIXELS,
          "output pixels beyond the range of the output encoding, clamped to its largest value", "sensor", sensor);
      decode = stage("decode");
      reconstruct = stage("reconstruct");
      guidance = stage("guidance");
      encode = stage("encode");
      endToEnd = metrics.latencyTimer(END_TO_END_LATENCY, "capture time to hand-over to the producer",
          "sensor", sensor);
      for (DeadLetterReason reason : DeadLetterReason.nodeReasons()) {
        deadLettered.put(reason, deadLetterCounter(reason));
      }
    }

    private Counter deadLetterCounter(DeadLetterReason reason) {
      return metrics.counter(FRAMES_DEAD_LETTERED, "frames sent to the dead-letter topic", "sensor", sensor,
          "reason", reason.name());
    }

    private Timer stage(String stage) {
      return metrics.latencyTimer(STAGE_LATENCY, "per-stage processing time", "sensor", sensor, "stage", stage);
    }

    public void in() {
      in.increment();
    }

    public void skipped() {
      skipped.increment();
    }

    /** A late frame was reconstructed by the overload method (it still counts as out when published). */
    public void overloaded() {
      overloaded.increment();
    }

    public void deadLettered(DeadLetterReason reason) {
      Counter counter = deadLettered.get(reason);
      // A connector's reason never reaches the node; should one, it is still counted (Micrometer reuses meters).
      (counter != null ? counter : deadLetterCounter(reason)).increment();
    }

    /**
     * One frame published: its stage durations, its capture-to-publish latency in nanoseconds (negative values,
     * from clock skew, are recorded as zero) and its count of saturated pixels.
     */
    public void out(FrameTimings timings, long endToEndNanos, int saturatedPixels) {
      decode.record(timings.decodeNanos(), TimeUnit.NANOSECONDS);
      reconstruct.record(timings.reconstructNanos(), TimeUnit.NANOSECONDS);
      guidance.record(timings.guidanceNanos(), TimeUnit.NANOSECONDS);
      encode.record(timings.encodeNanos(), TimeUnit.NANOSECONDS);
      endToEnd.record(Math.max(0, endToEndNanos), TimeUnit.NANOSECONDS);
      if (saturatedPixels > 0) {
        saturated.increment(saturatedPixels);
      }
      out.increment();
    }
  }
}
