package io.depthstream.streams.topology;

import static io.depthstream.streams.topology.DepthTopologyTest.header;
import static io.depthstream.streams.topology.DepthTopologyTest.uint16;
import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.NearestValidFill;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.view.LiveView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The frame path under what happens on a robot: overload, clocks that disagree, oversized records, REP-117
 * infinities and long LiDAR ranges. Every record must end in exactly one of out, skipped or dead-lettered, and the
 * next good frame must always come out.
 */
class FramePathTrustTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static NodeConfig config(String... overrides) {
    String[] all = java.util.Arrays.copyOf(overrides, overrides.length + 1);
    all[overrides.length] = NodeConfig.METHOD_FOCAL + "=" + NodeConfig.METHOD_NONE;
    return NodeOutputs.config(all);
  }

  private final class Harness implements AutoCloseable {
    final TopologyTestDriver driver;
    final Map<SensorKind, TestInputTopic<String, byte[]>> raw = new HashMap<>();
    final TestOutputTopic<String, byte[]> dense;
    final TestOutputTopic<String, byte[]> guidance;
    final TestOutputTopic<String, byte[]> dlq;

    Harness(NodeConfig config, ReconstructorFactory methods, VirtualClock clock) {
      Properties props = DepthTopology.streamsProperties(config);
      StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
      DepthTopology.buildTopology(builder, config, methods, DepthNode.focalStacks(config), new NodeMetrics(registry),
          LiveView.OFF, clock == null ? () -> System.currentTimeMillis() * 1_000_000L : () -> clock.nanos);
      driver = new TopologyTestDriver(builder.build(), props);
      config.sensorStreams().forEach(s -> raw.put(s.kind(), NodeOutputs.rawInput(driver, s.topic())));
      dense = output(config.getString(NodeConfig.TOPIC_DENSE));
      guidance = output(config.getString(NodeConfig.TOPIC_GUIDANCE));
      dlq = output(config.getString(NodeConfig.TOPIC_DLQ));
    }

    Harness(NodeConfig config) {
      this(config, DepthNode.methods(config), null);
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
      return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Pipes a frame as producers do: keyed by sensor id, timestamped with its capture time. */
    void pipe(DepthFrame frame) {
      raw.get(frame.getId().getKind()).pipeInput(frame.getId().getSensorId(), frame.toByteArray(),
          frame.getId().getCaptureTimeNs() / 1_000_000L);
    }

    List<DenseDepth> denseOut() {
      return dense.readValuesToList().stream().map(FramePathTrustTest::parseDense).toList();
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  private static DenseDepth parseDense(byte[] bytes) {
    try {
      return Wire.DENSE_DEPTH.deserializer().deserialize("", bytes);
    } catch (RuntimeException e) {
      throw new AssertionError(e);
    }
  }

  private static DepthFrame capturedAt(DepthFrame frame, long captureNanos) {
    return frame.toBuilder().setId(frame.getId().toBuilder().setCaptureTimeNs(captureNanos)).build();
  }

  private static long nowNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  private double count(String meter, String sensor) {
    return registry.find(meter).tag("sensor", sensor).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Test
  void aCaptureTimeInTheFutureIsDeadLetteredAndTheNextFrameStillComesOut() {
    try (Harness h = new Harness(config("depthstream.realtime.budget.ms=250"))) {
      h.pipe(capturedAt(TestFrames.flat("cam", 1, 2, 2, 1500), nowNanos() + 10_000_000_000L));
      h.pipe(capturedAt(TestFrames.flat("cam", 2, 2, 2, 1500), nowNanos()));
      TestRecord<String, byte[]> dead = h.dlq.readRecord();
      assertThat(header(dead, Wire.ERROR_REASON_HEADER)).isEqualTo("FUTURE_CAPTURE_TIME");
      assertThat(header(dead, Wire.ERROR_MESSAGE_HEADER)).contains("in the future");
      assertThat(h.denseOut()).extracting(d -> d.getId().getSequence()).containsExactly(2L);
    }
  }

  @Test
  void aLateFrameIsServedByTheOverloadMethodAndAFreshOneByItsSensorsOwn() {
    // Ages far from the threshold (2 s late, 1 s threshold, 5 s budget), so a slow test machine cannot flip them.
    try (Harness h = new Harness(config("depthstream.realtime.budget.ms=5000", NodeConfig.REALTIME_OVERLOAD_MS
        + "=1000", NodeConfig.METHOD_RGBD + "=nearest-fill", NodeConfig.REALTIME_OVERLOAD_METHOD + "=inpaint"))) {
      h.pipe(capturedAt(TestFrames.flat("cam", 1, 4, 4, 1500), nowNanos() - 2_000_000_000L));
      h.pipe(capturedAt(TestFrames.flat("cam", 2, 4, 4, 1500), nowNanos()));
      assertThat(h.denseOut()).extracting(d -> d.getId().getSequence() + " " + d.getMethod())
          .containsExactly("1 inpaint", "2 nearest-fill");
      assertThat(count(NodeMetrics.FRAMES_OVERLOADED, "cam")).isEqualTo(1.0);
    }
  }

  @Test
  void withoutTheRealTimePolicyNoFrameCountsAsLate() {
    // A replay (budget 0) keeps its recorded capture times: every frame is old, none may be degraded.
    try (Harness h = new Harness(config("depthstream.realtime.budget.ms=0", NodeConfig.REALTIME_OVERLOAD_MS
        + "=1000", NodeConfig.METHOD_RGBD + "=nearest-fill", NodeConfig.REALTIME_OVERLOAD_METHOD + "=inpaint"))) {
      h.pipe(capturedAt(TestFrames.flat("cam", 1, 4, 4, 1500), nowNanos() - 60_000_000_000L));
      assertThat(h.denseOut()).extracting(DenseDepth::getMethod).containsExactly("nearest-fill");
    }
  }

  @Test
  void aStaleFrameThatNothingNewerReplacesIsServedAtTheNextCheck() {
    // A sensor whose clock lags the node by more than the budget: every frame is "stale" on arrival. It must still be
    // served (as its newest frame), not skipped forever.
    try (Harness h = new Harness(config("depthstream.realtime.budget.ms=200"))) {
      h.pipe(capturedAt(TestFrames.flat("cam", 1, 2, 2, 1500), nowNanos() - 5_000_000_000L));
      assertThat(h.dense.isEmpty()).as("held, not decoded on arrival").isTrue();
      h.driver.advanceWallClockTime(Duration.ofMillis(40));
      h.driver.advanceWallClockTime(Duration.ofMillis(40));
      assertThat(h.denseOut()).extracting(d -> d.getId().getSequence()).containsExactly(1L);
      assertThat(count(NodeMetrics.FRAMES_SKIPPED, "cam")).isZero();
    }
  }

  @Test
  void aTenMegabyteGarbageValueIsDeadLetteredAsATruncatedCopyAndTheTopicKeepsFlowing() {
    // uint16 output everywhere: the producer keeps Kafka's default 1 MiB request limit.
    try (Harness h = new Harness(config("depthstream.output.encoding=uint16-mm"))) {
      byte[] garbage = new byte[10_000_000];
      new Random(1).nextBytes(garbage);
      h.raw.get(SensorKind.SENSOR_KIND_RGBD).pipeInput("cam", garbage);
      h.pipe(TestFrames.flat("cam", 2, 2, 2, 1500));
      TestRecord<String, byte[]> dead = h.dlq.readRecord();
      assertThat(header(dead, Wire.ERROR_REASON_HEADER)).isEqualTo("CORRUPT_BYTES");
      assertThat(header(dead, Wire.ERROR_ORIGINAL_BYTES_HEADER)).isEqualTo("10000000");
      assertThat(dead.value()).hasSize(DeadLetters.TRUNCATED_BYTES)
          .isEqualTo(java.util.Arrays.copyOf(garbage, DeadLetters.TRUNCATED_BYTES));
      assertThat(h.denseOut()).extracting(d -> d.getId().getSequence()).containsExactly(2L);
    }
  }

  @Test
  void aValidFrameWhoseOutputCannotFitIsDeadLetteredItsGuidanceStillGoesOutAndTheNextFrameComesOut() {
    try (Harness h = new Harness(config("depthstream.output.encoding=uint16-mm"))) {
      float[] metres = new float[1600 * 1600];
      java.util.Arrays.fill(metres, 3f);
      h.pipe(TestFrames.metres("big", 1, 1600, 1600, metres));
      h.pipe(TestFrames.flat("cam", 2, 2, 2, 1500));

      TestRecord<String, byte[]> dead = h.dlq.readRecord();
      assertThat(header(dead, Wire.ERROR_REASON_HEADER)).isEqualTo("OUTPUT_TOO_LARGE");
      assertThat(header(dead, Wire.ERROR_MESSAGE_HEADER)).contains("1600x1600").contains("5120000 bytes");
      assertThat(dead.value().length).isLessThanOrEqualTo(OutputLimits.assumed(
          DepthTopology.streamsProperties(config())).valueBytes(Routed.Route.DEAD_LETTER));
      assertThat(h.guidance.readValuesToList()).hasSize(2);
      assertThat(h.denseOut()).extracting(d -> d.getId().getSensorId()).containsExactly("cam");
      assertThat(count(NodeMetrics.FRAMES_DEAD_LETTERED, "big")).isEqualTo(1.0);
    }
  }

  @Test
  void infinitePixelsAreProcessedPerRep117() {
    try (Harness h = new Harness(config("depthstream.method.rgbd=nearest-fill"))) {
      h.pipe(TestFrames.metres("cam", 1, 3, 1, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
      assertThat(h.dlq.isEmpty()).isTrue();
      DenseDepth dense = h.denseOut().get(0);
      // +Inf and -Inf are no measurement for reconstruction: nearest-fill gives them the measured 2 m.
      assertThat(uint16(dense)).containsExactly(2000, 2000, 2000);
    }
  }

  @Test
  void an80MetreLidarReturnSurvivesEndToEndInFloat32AndScaledUint16AndSaturationIsCounted() {
    DepthFrame far = TestFrames.sparse("velo", 1, 4, 2, new int[] {0, 7}, new float[] {80f, 70.5f});
    try (Harness h = new Harness(config("depthstream.output.encoding.lidar=float32-m"))) {
      h.pipe(far);
      DenseDepth dense = h.denseOut().get(0);
      assertThat(dense.hasDenseM()).isTrue();
      float[] m = new float[8];
      dense.getDenseM().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(m);
      assertThat(m[0]).isEqualTo(80f);
      assertThat(m[7]).isEqualTo(70.5f);
      assertThat(dense.getSaturatedPixels()).isZero();
    }
    try (Harness h = new Harness(config())) { // auto: uint16 in 1/256 m for LiDAR
      h.pipe(far);
      DenseDepth dense = h.denseOut().get(0);
      assertThat(dense.getDenseScaled().getUnitsPerMetre()).isEqualTo(256f);
      assertThat(dense.getSaturatedPixels()).isZero();
      ByteBuffer bb = dense.getDenseScaled().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      assertThat((bb.getShort(0) & 0xFFFF) / 256f).isEqualTo(80f);
      assertThat((bb.getShort(14) & 0xFFFF) / 256f).isEqualTo(70.5f);
    }
    try (Harness h = new Harness(config("depthstream.output.encoding.lidar=uint16-mm"))) {
      h.pipe(far);
      DenseDepth dense = h.denseOut().get(0);
      assertThat(uint16(dense)).containsOnly(65535);
      assertThat(dense.getSaturatedPixels()).as("every filled pixel is beyond 65.535 m").isEqualTo(8);
      assertThat(count(NodeMetrics.SATURATED_PIXELS, "velo")).isEqualTo(8.0);
    }
  }

  @Test
  void aLidarReturnBeyond256MetresSaturatesInTheDefaultEncodingAndIsCounted() {
    // LiDAR's default (auto) output is uint16 in 1/256 m: 255.996 m at most. A longer return is clamped, never
    // wrapped, and counted in the message and the meter.
    DepthFrame far = TestFrames.sparse("velo", 1, 4, 2, new int[] {0, 7}, new float[] {300f, 80f});
    try (Harness h = new Harness(config())) {
      h.pipe(far);
      DenseDepth dense = h.denseOut().get(0);
      ByteBuffer bb = dense.getDenseScaled().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      assertThat(bb.getShort(0) & 0xFFFF).as("the 300 m return, clamped").isEqualTo(65535);
      assertThat((bb.getShort(14) & 0xFFFF) / 256f).as("the 80 m return, exact").isEqualTo(80f);
      assertThat(dense.getSaturatedPixels()).isPositive();
      assertThat(count(NodeMetrics.SATURATED_PIXELS, "velo")).isEqualTo(dense.getSaturatedPixels());
    }
  }

  /**
   * A virtual wall clock, so overload is simulated exactly: the test driver's own overhead (milliseconds a record on a
   * loaded machine) would otherwise be the bottleneck instead of the node.
   */
  private static final class VirtualClock {
    long nanos = 1_800_000_000_000_000_000L;

    void advanceTo(long t) {
      nanos = Math.max(nanos, t);
    }
  }

  @Test
  void aProducerLimitThatIsNoNumberFailsNamingTheKey() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputLimits.assumed(
        DepthTopology.streamsProperties(config("producer.max.request.size=lots"))))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("producer.max.request.size").hasMessageContaining("lots");
    assertThat(OutputLimits.assumed(DepthTopology.streamsProperties(config("depthstream.output.encoding=uint16-mm")))
        .valueBytes(Routed.Route.DENSE)).isEqualTo(1024 * 1024 - DepthTopology.RECORD_HEADROOM_BYTES);
  }

  /** nearest-fill that takes {@code millis} of virtual time per frame, like a model on a busy CPU. */
  private static ReconstructorFactory slowMethod(VirtualClock clock, long millis) {
    return name -> new DepthReconstructor() {
      private final NearestValidFill fill = new NearestValidFill();

      @Override
      public String name() {
        return name;
      }

      @Override
      public void reconstruct(DepthMap input, DepthMap output) {
        clock.nanos += millis * 1_000_000L;
        fill.reconstruct(input, output);
      }
    };
  }

  private Harness overloadHarness(VirtualClock clock, long budgetMs, long processMs) {
    NodeConfig config = config("depthstream.realtime.budget.ms=" + budgetMs,
        "depthstream.realtime.future.tolerance.ms=-1");
    return new Harness(config, slowMethod(clock, processMs), clock);
  }

  /**
   * Offers frames of {@code sensors} at {@code periodMs} each (all on the RGB-D topic, one task, interleaved) for
   * {@code seconds} of virtual time; the method's cost makes the task fall behind. Returns the outputs.
   */
  private List<DenseDepth> overload(Harness h, VirtualClock clock, List<String> sensors, double periodMs,
      double seconds) {
    long start = clock.nanos;
    long mock = start;
    int n = (int) (seconds * 1000 / periodMs);
    for (int i = 0; i < n; i++) {
      long capture = start + (long) (i * periodMs * 1e6); // the sensor stamps when it captures
      clock.advanceTo(capture); // the node is idle until the frame exists, or busy past it
      for (String sensor : sensors) {
        h.pipe(capturedAt(TestFrames.flat(sensor, i, 64, 48, 1500), capture));
      }
      // The driver's punctuation clock follows the virtual one.
      if (clock.nanos - mock >= 5_000_000L) {
        h.driver.advanceWallClockTime(Duration.ofNanos(clock.nanos - mock));
        mock = clock.nanos;
      }
    }
    return h.denseOut();
  }

  @Test
  void underTenTimesTheRateOfOneSensorAndThreeTimesOfThreeEverySensorKeepsGettingFreshOutput() {
    long budgetMs = 150;
    long processMs = 20;
    // One sensor at 10x: a 30 fps camera offered at 300 fps to a method that manages 50 fps.
    VirtualClock clock = new VirtualClock();
    try (Harness h = overloadHarness(clock, budgetMs, processMs)) {
      List<DenseDepth> out = overload(h, clock, List.of("cam"), 1000.0 / 300, 2.0);
      assertFreshAndFlowing(out, List.of("cam"), budgetMs, processMs, 2.0);
    }
    // Three sensors at 3x: 90 fps each offered on one task, 270 frames/s against 50.
    List<String> sensors = List.of("a", "b", "c");
    VirtualClock clock3 = new VirtualClock();
    try (Harness h = overloadHarness(clock3, budgetMs, processMs)) {
      List<DenseDepth> out = overload(h, clock3, sensors, 1000.0 / 90, 2.0);
      assertFreshAndFlowing(out, sensors, budgetMs, processMs, 2.0);
    } // the frames still held at the end are counted as skipped when the task closes
    for (String s : sensors) {
      assertThat(count(NodeMetrics.FRAMES_OUT, s) + count(NodeMetrics.FRAMES_SKIPPED, s))
          .as("every frame of %s is out or skipped", s)
          .isEqualTo(count(NodeMetrics.FRAMES_IN, s)).isEqualTo(2.0 * 90, org.assertj.core.data.Offset.offset(1.0));
    }
  }

  private static void assertFreshAndFlowing(List<DenseDepth> out, List<String> sensors, long budgetMs,
      long processMs, double seconds) {
    Map<String, List<DenseDepth>> bySensor = out.stream().collect(Collectors.groupingBy(d -> d.getId().getSensorId()));
    for (String s : sensors) {
      List<DenseDepth> frames = bySensor.getOrDefault(s, List.of());
      // The task manages 1000 / processMs frames a second; skipping is nearly free, so each sensor gets its share.
      assertThat(frames.size()).as("outputs of %s in %.1f s", s, seconds)
          .isGreaterThanOrEqualTo((int) (0.8 * seconds * 1000 / processMs / sensors.size()));
      long worstAgeNs = frames.stream()
          .mapToLong(d -> d.getPublishTimeNs() - d.getId().getCaptureTimeNs()).max().orElseThrow();
      // Admitted within the budget, then one processing time.
      System.out.printf("overload: sensor %s: %d outputs in %.1f s (%.1f fps), worst age %.1f ms (budget %d + "
          + "processing %d)%n", s, frames.size(), seconds, frames.size() / seconds, worstAgeNs / 1e6, budgetMs,
          processMs);
      assertThat(worstAgeNs).as("worst age of an output of %s", s)
          .isLessThanOrEqualTo((budgetMs + processMs) * 1_000_000L);
      assertThat(frames).extracting(d -> d.getId().getSequence()).isSorted();
    }
  }
}
