package io.depthstream.streams.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.proto.kafka.Wire;
import com.google.protobuf.InvalidProtocolBufferException;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real topology in a {@link TopologyTestDriver}, fed one record at a time, with the accounting every fuzz case
 * must satisfy checked after each record: exactly one dense record and one guidance record (processed), or exactly
 * one dead letter with a known reason code, its message, its source topic and (up to {@link #KEEPS_BYTES_UP_TO})
 * the original bytes, or nothing emitted and the skipped counter up by one. The driver runs the processor on the
 * calling thread, so any exception escaping the processor surfaces from {@link #run} and fails the case.
 *
 * <p>Configuration: every depth kind on nearest-fill (cheap and total), focal stacks on the classical depth from
 * focus (no model file), and a real-time budget for the vSLAM kind only (budgets follow id.kind, not the topic),
 * so stale vSLAM frames exercise the skip path while the fixed 2023 capture times of the other corpus frames do
 * not make everything stale.
 */
final class FuzzHarness implements AutoCloseable {
  /** vSLAM budget: generous, so a fresh frame stays fresh on a loaded 2-core machine. */
  static final long VSLAM_BUDGET_MS = 60_000;
  /**
   * Dead letters keep the original bytes; oversized records will be dead-lettered as a truncated copy (issue 11),
   * so the byte-for-byte check stops at this size.
   */
  static final int KEEPS_BYTES_UP_TO = 1024 * 1024;

  /** The raw input topics (default names). */
  enum Input {
    LIDAR("depth.raw.lidar", SensorKind.SENSOR_KIND_LIDAR),
    RGBD("depth.raw.rgbd", SensorKind.SENSOR_KIND_RGBD),
    VSLAM("depth.raw.vslam", SensorKind.SENSOR_KIND_VSLAM),
    FOCAL("focalstack.raw", SensorKind.SENSOR_KIND_FOCAL_STACK);

    final String topic;
    private final SensorKind kind;

    Input(String topic, SensorKind kind) {
      this.topic = topic;
      this.kind = kind;
    }

    /** The kind this topic decides. */
    SensorKind kind() {
      return kind;
    }
  }

  /**
   * One record's result: the outcome, the bytes the calling thread allocated while the driver processed it, and
   * the dense output (null unless processed).
   */
  record Result(Outcome outcome, long allocatedBytes, DenseDepth dense) {
    Result(Outcome outcome, long allocatedBytes) {
      this(outcome, allocatedBytes, null);
    }
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TopologyTestDriver driver;
  private final Map<Input, TestInputTopic<String, byte[]>> inputs = new EnumMap<>(Input.class);
  private final TestOutputTopic<String, DenseDepth> dense;
  private final TestOutputTopic<String, NavigationGuidance> guidance;
  private final TestOutputTopic<String, byte[]> dlq;
  private int lastDeadLetterValueLength = -1;

  FuzzHarness() {
    this(Map.of());
  }

  /** @param overrides node settings replacing the defaults described on the class (e.g. ONNX methods) */
  FuzzHarness(Map<String, String> overrides) {
    Map<String, String> settings = new java.util.HashMap<>(Map.of(
        // uint16 output everywhere, so the producer keeps Kafka's default 1 MiB limit and oversized records show
        NodeConfig.OUTPUT_ENCODING, NodeConfig.ENCODING_UINT16_MM,
        "bootstrap.servers", "dummy:9092",
        "application.id", "depthstream-fuzz",
        NodeConfig.METHOD_FOCAL, "depth-from-focus",
        NodeConfig.REALTIME_BUDGET_MS_VSLAM, Long.toString(VSLAM_BUDGET_MS)));
    settings.putAll(overrides);
    NodeConfig config = NodeConfig.from(settings);
    driver = NodeOutputs.driver(config, registry);
    for (Input in : Input.values()) {
      inputs.put(in, NodeOutputs.rawInput(driver, in.topic));
    }
    NodeOutputs outputs = NodeOutputs.of(driver, config);
    dense = outputs.dense();
    guidance = outputs.guidance();
    dlq = outputs.deadLetters();
  }

  /** Pipes one record and returns what became of it, after checking the accounting described on the class. */
  Result run(Input input, String key, byte[] value) {
    double skippedBefore = skippedTotal();
    long allocatedBefore = allocatedBytes();
    // As producers do: the record timestamp is the capture time, which the real-time policy reads before decoding.
    inputs.get(input).pipeInput(key, value, captureMillis(input, value));
    long allocated = allocatedBytes() - allocatedBefore;
    List<TestRecord<String, DenseDepth>> denseOut = dense.readRecordsToList();
    List<TestRecord<String, NavigationGuidance>> guidanceOut = guidance.readRecordsToList();
    List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
    long skipped = Math.round(skippedTotal() - skippedBefore);
    if (denseOut.isEmpty() && guidanceOut.isEmpty() && dead.isEmpty() && skipped == 0) {
      // Stale on arrival: held as its sensor's newest frame, and served at the check after next (no newer frame).
      driver.advanceWallClockTime(Duration.ofMillis(60));
      driver.advanceWallClockTime(Duration.ofMillis(60));
      denseOut = dense.readRecordsToList();
      guidanceOut = guidance.readRecordsToList();
      dead = dlq.readRecordsToList();
      skipped = Math.round(skippedTotal() - skippedBefore);
    }
    String counts = "dense=" + denseOut.size() + " guidance=" + guidanceOut.size() + " dead letters=" + dead.size()
        + " skipped=" + skipped;
    int emitted = denseOut.size() + guidanceOut.size() + dead.size();
    if (dead.size() == 1) {
      assertThat(emitted + skipped).as("a dead-lettered record emits nothing else: %s", counts).isEqualTo(1);
      lastDeadLetterValueLength = dead.get(0).value() == null ? 0 : dead.get(0).value().length;
      return new Result(checkedDeadLetter(dead.get(0), input, value), allocated);
    }
    if (skipped == 1) {
      assertThat(emitted).as("a skipped record emits nothing: %s", counts).isZero();
      return new Result(Outcome.SKIPPED, allocated);
    }
    assertThat(denseOut.size() == 1 && guidanceOut.size() == 1 && dead.isEmpty() && skipped == 0)
        .as("each record gives exactly one of {dense + guidance, one dead letter, one skip}: %s", counts).isTrue();
    DenseDepth out = denseOut.get(0).value();
    assertThat(guidanceOut.get(0).value().getId()).as("guidance belongs to the dense frame").isEqualTo(out.getId());
    assertThat(denseOut.get(0).key()).isEqualTo(out.getId().getSensorId());
    long pixels = (long) out.getWidth() * out.getHeight();
    assertThat(pixels).as("dense output size").isPositive();
    long payload = switch (out.getPayloadCase()) {
      case DENSE_MM -> out.getDenseMm().getData().size();
      case DENSE_M -> out.getDenseM().getData().size() / 2; // float32: 4 bytes a pixel
      case DENSE_SCALED -> out.getDenseScaled().getData().size();
      case PAYLOAD_NOT_SET -> -1;
    };
    assertThat(payload).as("payload of %dx%d (%s)", out.getWidth(), out.getHeight(), out.getPayloadCase())
        .isEqualTo(2 * pixels);
    return new Result(Outcome.PROCESSED, allocated, out);
  }

  /** The record timestamp a producer would give {@code value}: its capture time, or now if it has none. */
  private static long captureMillis(Input input, byte[] value) {
    long captureNs = -1;
    try {
      if (value != null) {
        captureNs = input == Input.FOCAL ? FocalStack.parseFrom(value).getId().getCaptureTimeNs()
            : DepthFrame.parseFrom(value).getId().getCaptureTimeNs();
      }
    } catch (InvalidProtocolBufferException e) {
      captureNs = -1; // garbage: the producer's send time
    }
    return captureNs > 0 ? captureNs / 1_000_000L : System.currentTimeMillis();
  }

  /** The value size of the last dead letter {@link #run} saw, -1 before the first. */
  int lastDeadLetterValueLength() {
    return lastDeadLetterValueLength;
  }

  private static Outcome checkedDeadLetter(TestRecord<String, byte[]> dead, Input input, byte[] value) {
    String reason = header(dead, Wire.ERROR_REASON_HEADER);
    assertThat(Arrays.stream(DeadLetterReason.values()).map(Enum::name))
        .as("dead-letter reason is a known code").contains(reason);
    assertThat(header(dead, Wire.ERROR_MESSAGE_HEADER)).as("dead-letter message").isNotBlank();
    assertThat(header(dead, Wire.ERROR_TOPIC_HEADER)).as("dead-letter source topic").isEqualTo(input.topic);
    if (value == null || value.length <= KEEPS_BYTES_UP_TO) {
      assertThat(dead.value()).as("dead letter keeps the original bytes").isEqualTo(value);
    }
    return Outcome.deadLettered(reason);
  }

  private double skippedTotal() {
    return registry.find(NodeMetrics.FRAMES_SKIPPED).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Bytes allocated so far by this thread (HotSpot's per-thread allocation counter). */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
  }
}
