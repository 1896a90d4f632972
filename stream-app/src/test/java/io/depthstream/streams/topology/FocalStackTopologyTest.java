package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.inference.FocalStackRunner;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.OnnxModels;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.TestStacks;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Focal stacks through the topology with the tiny focal_smoke model and the classical depth from focus. */
class FocalStackTopologyTest {
  private static final Path MODELS = Path.of(System.getProperty("depthstream.root", "..")).resolve("test-models");
  private static final int W = 16;
  private static final int H = 12;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static NodeConfig config(String... overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "dummy:9092");
    props.put("application.id", "depthstream-test");
    props.put(NodeConfig.MODELS_DIR, MODELS.toString());
    props.put(NodeConfig.METHOD_FOCAL, "focal_smoke");
    props.put(NodeConfig.INFERENCE_THREADS_INTRA, "1");
    for (String o : overrides) {
      String[] kv = o.split("=", 2);
      props.put(kv[0], kv[1]);
    }
    return NodeConfig.from(props);
  }

  private final class Harness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> focal;
    final TestOutputTopic<String, DenseDepth> dense;
    final TestOutputTopic<String, NavigationGuidance> guidance;
    final TestOutputTopic<String, byte[]> dlq;

    Harness(NodeConfig config) {
      driver = NodeOutputs.driver(config, registry);
      focal = NodeOutputs.rawInput(driver, config.getString(NodeConfig.TOPIC_RAW_FOCAL));
      NodeOutputs outputs = NodeOutputs.of(driver, config);
      dense = outputs.dense();
      guidance = outputs.guidance();
      dlq = outputs.deadLetters();
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  /** Three slices in three formats, far to near on the wire (the model wants near to far). */
  private static FocalStack goodStack(long sequence) {
    byte[] gray = new byte[W * H];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = (byte) (i * 7);
    }
    return TestStacks.header("focus-cam", sequence, W, H)
        .addSlices(TestStacks.rgb(4.0f, TestStacks.texture(W, H, 3)))
        .addSlices(TestStacks.png(1.5f, TestStacks.rgbPng(W, H, TestStacks.texture(W, H, 2))))
        .addSlices(TestStacks.gray(0.5f, gray))
        .build();
  }

  /** The model's output for goodStack, computed with the runner directly from a hand-built [T][3][H][W] input. */
  private static DepthMap expectedDepth() {
    int plane = W * H;
    float[] stack = new float[3 * 3 * plane];
    // slice 0: grey 0.5 m, replicated to R, G, B
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        stack[c * plane + i] = ((i * 7) & 0xFF) / 255f;
      }
    }
    // slice 1: texture 2 at 1.5 m (sent as PNG), slice 2: texture 3 at 4 m (sent as RGB8)
    fillPlanar(stack, 3 * plane, TestStacks.texture(W, H, 2));
    fillPlanar(stack, 6 * plane, TestStacks.texture(W, H, 3));
    DepthMap out = DepthMap.allocate(W, H);
    try (FocalStackRunner runner = OnnxModels.focalStack(MODELS, "focal_smoke",
        new InferenceSettings(1, 1, InferenceSettings.ExecutionProvider.CPU, 0, 0L,
            InferenceSettings.ArenaStrategy.NEXT_POWER_OF_TWO, InferenceSettings.OptimizationLevel.ALL, false, 1,
            InferenceSettings.DEFAULT_BATCH_LINGER_MS))) {
      runner.estimate(stack, new float[] {0.5f, 1.5f, 4.0f}, 3, H, W, out);
    }
    return out;
  }

  private static void fillPlanar(float[] stack, int base, byte[] rgb) {
    int plane = W * H;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        stack[base + c * plane + i] = (rgb[3 * i + c] & 0xFF) / 255f;
      }
    }
  }

  @Test
  void aValidStackBecomesOneDenseAndOneGuidanceRecordWithItsIdentityAndCaptureTime() {
    try (Harness h = new Harness(config("depthstream.output.encoding=float32-m"))) {
      FocalStack stack = goodStack(7);
      h.focal.pipeInput("focus-cam", stack.toByteArray(), 99L);

      TestRecord<String, DenseDepth> out = h.dense.readRecord();
      assertThat(out.key()).isEqualTo("focus-cam");
      assertThat(out.timestamp()).isEqualTo(stack.getId().getCaptureTimeNs() / 1_000_000L);
      DenseDepth dense = out.value();
      assertThat(dense.getId()).isEqualTo(stack.getId());
      assertThat(dense.getWidth()).isEqualTo(W);
      assertThat(dense.getHeight()).isEqualTo(H);
      assertThat(dense.getIntrinsics()).isEqualTo(stack.getIntrinsics());
      assertThat(dense.getMethod()).isEqualTo("focal_smoke");
      assertThat(dense.getModelVersion()).matches("[0-9a-f]{12}");
      // The depth is what the model gives for the slices sorted near to far, grey replicated, PNG decoded.
      assertThat(dense.getDenseM().getData().toByteArray()).isEqualTo(DepthWire.toFloat32Metres(expectedDepth()));
      assertThat(h.dense.isEmpty()).isTrue();

      TestRecord<String, NavigationGuidance> nav = h.guidance.readRecord();
      assertThat(nav.key()).isEqualTo("focus-cam");
      assertThat(nav.timestamp()).isEqualTo(out.timestamp());
      assertThat(nav.value().getId()).isEqualTo(stack.getId());
      assertThat(h.guidance.isEmpty()).isTrue();
      assertThat(h.dlq.isEmpty()).isTrue();
      assertThat(registry.counter(NodeMetrics.FRAMES_OUT, "sensor", "focus-cam", "method", "focal_smoke").count())
          .isEqualTo(1.0);
    }
  }

  private static final int DFF_W = 64;
  private static final int DFF_H = 24;

  /**
   * Grey {@code DFF_W x DFF_H} RGB8 (interleaved) with a textured 8 x 8 patch at columns [x0, x0 + 8), rows
   * [8, 16): the only texture of its slice, so the SML is > 0 there in this slice alone.
   */
  private static byte[] greyWithPatch(int x0) {
    byte[] rgb = new byte[DFF_W * DFF_H * 3];
    Arrays.fill(rgb, (byte) 100);
    byte[] texture = TestStacks.texture(DFF_W, DFF_H, 1);
    for (int y = 8; y < 16; y++) {
      for (int x = x0; x < x0 + 8; x++) {
        int i = (y * DFF_W + x) * 3;
        System.arraycopy(texture, i, rgb, i, 3);
      }
    }
    return rgb;
  }

  private static byte[] lumaOf(byte[] rgb) {
    byte[] gray = new byte[rgb.length / 3];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = rgb[3 * i + 1]; // the texture's green channel: textured where the patch is, 100 elsewhere
    }
    return gray;
  }

  @Test
  void depthFromFocusGivesEachPatchTheFocusDistanceOfTheSliceWhereItIsSharp() {
    try (Harness h = new Harness(config("depthstream.method.focal=depth-from-focus",
        "depthstream.output.encoding=float32-m"))) {
      // Sent far, near, middle in three formats; the patches are 26 px apart (> 2 x (1 + 4) px of Laplacian and
      // half-window), so each pixel's SML is > 0 in at most one slice.
      FocalStack stack = TestStacks.header("focus-cam", 3, DFF_W, DFF_H)
          .addSlices(TestStacks.rgb(3.0f, greyWithPatch(2)))
          .addSlices(TestStacks.gray(1.0f, lumaOf(greyWithPatch(28))))
          .addSlices(TestStacks.png(2.0f, TestStacks.rgbPng(DFF_W, DFF_H, greyWithPatch(54))))
          .build();
      h.focal.pipeInput("focus-cam", stack.toByteArray());

      DenseDepth dense = h.dense.readValue();
      assertThat(dense.getWidth()).isEqualTo(DFF_W);
      assertThat(dense.getHeight()).isEqualTo(DFF_H);
      assertThat(dense.getMethod()).isEqualTo("depth-from-focus");
      assertThat(dense.getModelVersion()).isEmpty();
      DepthMap depth = DepthMap.allocate(DFF_W, DFF_H);
      DepthWire.fromFloat32Metres(ByteBuffer.wrap(dense.getDenseM().getData().toByteArray()), depth);
      // Last (far) slice: its own distance. First (near): its own. Middle with flat neighbours on a uniform
      // spacing: the vertex of the symmetric parabola, its own distance up to round-off.
      assertThat(depth.get(5, 12)).isEqualTo(3.0f);
      assertThat(depth.get(31, 12)).isEqualTo(1.0f);
      assertThat(depth.get(57, 12)).isCloseTo(2.0f, within(1e-5f));
      // Rows 0 and 23 are beyond every patch's reach: textureless, so the nearest focus distance.
      assertThat(depth.get(18, 0)).isEqualTo(1.0f);
      assertThat(depth.get(45, 23)).isEqualTo(1.0f);
      assertThat(h.guidance.readValue().getId()).isEqualTo(stack.getId());
      assertThat(h.dlq.isEmpty()).isTrue();
      assertThat(registry.counter(NodeMetrics.FRAMES_OUT, "sensor", "focus-cam", "method", "depth-from-focus")
          .count()).isEqualTo(1.0);
    }
  }

  static Stream<Arguments> badStacks() {
    FocalStack good = goodStack(1);
    return Stream.of(
        Arguments.of("corrupt bytes", "focus-cam", new byte[] {(byte) 0xFF, 0x01, 0x02, 0x03}, "CORRUPT_BYTES"),
        Arguments.of("empty value", "focus-cam", new byte[0], "EMPTY_VALUE"),
        Arguments.of("no slices", "focus-cam", good.toBuilder().clearSlices().build().toByteArray(), "MISSING_FIELD"),
        Arguments.of("slice without focus distance", "focus-cam",
            good.toBuilder().setSlices(1, good.getSlices(1).toBuilder().clearFocusDistanceM()).build().toByteArray(),
            "INVALID_FOCUS_DISTANCE"),
        Arguments.of("NaN focus distance", "focus-cam",
            good.toBuilder().setSlices(0, good.getSlices(0).toBuilder().setFocusDistanceM(Float.NaN)).build()
                .toByteArray(),
            "INVALID_FOCUS_DISTANCE"),
        Arguments.of("pixels shorter than width*height", "focus-cam",
            good.toBuilder().setWidth(W + 1).setIntrinsics(TestFrames.intrinsics(W + 1, H)).build().toByteArray(),
            "PAYLOAD_SIZE_MISMATCH"),
        Arguments.of("absurd size", "focus-cam",
            good.toBuilder().setWidth(100_000).setHeight(100_000).setIntrinsics(TestFrames.intrinsics(100_000, 100_000))
                .build().toByteArray(),
            "ABSURD_DIMENSIONS"),
        Arguments.of("unknown pixel format", "focus-cam",
            good.toBuilder().setSlices(2, good.getSlices(2).toBuilder().setFormatValue(9)).build().toByteArray(),
            "UNKNOWN_ENCODING"),
        Arguments.of("undecodable PNG", "focus-cam",
            good.toBuilder().setSlices(1, TestStacks.png(1.5f, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2}))
                .build().toByteArray(),
            "CORRUPT_BYTES"),
        Arguments.of("chunked stack", "focus-cam",
            good.toBuilder().setChunkIndex(1).setChunkCount(3).build().toByteArray(), "CHUNKED_STACK_UNSUPPORTED"),
        Arguments.of("missing intrinsics", "focus-cam", good.toBuilder().clearIntrinsics().build().toByteArray(),
            "INVALID_INTRINSICS"),
        Arguments.of("key differs from sensor id", "other", good.toByteArray(), "KEY_MISMATCH"),
        Arguments.of("a depth-sensor kind", "focus-cam",
            good.toBuilder().setId(good.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_LIDAR)).build()
                .toByteArray(),
            "KIND_MISMATCH"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStacks")
  void deadLettersABadStackWithItsReasonAndKeepsGoing(String what, String key, byte[] value, String reason) {
    try (Harness h = new Harness(config())) {
      h.focal.pipeInput(key, value);
      h.focal.pipeInput("focus-cam", goodStack(2).toByteArray());

      TestRecord<String, byte[]> dead = h.dlq.readRecord();
      assertThat(dead.value()).as("original bytes are kept").isEqualTo(value);
      assertThat(header(dead, "depthstream.error.reason")).isEqualTo(reason);
      assertThat(header(dead, "depthstream.error.message")).isNotBlank();
      assertThat(header(dead, "depthstream.error.topic")).isEqualTo("focalstack.raw");
      assertThat(header(dead, "depthstream.error.offset")).isEqualTo("0");
      assertThat(h.dlq.isEmpty()).isTrue();
      assertThat(h.dense.readValuesToList()).extracting(d -> d.getId().getSequence()).containsExactly(2L);
      assertThat(registry.find(NodeMetrics.FRAMES_DEAD_LETTERED).tag("reason", reason).counter().count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void stacksOlderThanTheFocalBudgetAreSkippedAndCounted() {
    try (Harness h = new Harness(config("depthstream.realtime.budget.ms=0",
        "depthstream.realtime.budget.ms.focal=1000"))) {
      // TestStacks capture times are in 2023: far older than 1 s.
      h.focal.pipeInput("focus-cam", goodStack(1).toByteArray(), goodStack(1).getId().getCaptureTimeNs() / 1_000_000L);
      long nowMs = System.currentTimeMillis();
      FocalStack fresh = goodStack(2).toBuilder().setId(goodStack(2).getId().toBuilder()
          .setCaptureTimeNs(nowMs * 1_000_000L)).build();
      h.focal.pipeInput("focus-cam", fresh.toByteArray(), nowMs);

      assertThat(h.dense.readValuesToList()).extracting(d -> d.getId().getSequence()).containsExactly(2L);
      assertThat(h.dlq.isEmpty()).isTrue();
      assertThat(registry.counter(NodeMetrics.FRAMES_SKIPPED, "sensor", "focus-cam").count()).isEqualTo(1.0);
    }
  }

  @Test
  void aMissingModelDeadLettersAsReconstructionFailed() {
    // Start-up rejects this (DepthNode.checkFocalMethod); a topology built without that check still never stops.
    try (Harness h = new Harness(config("depthstream.method.focal=no_such_model"))) {
      byte[] value = goodStack(1).toByteArray();
      h.focal.pipeInput("focus-cam", value);
      TestRecord<String, byte[]> dead = h.dlq.readRecord();
      assertThat(dead.value()).isEqualTo(value);
      assertThat(header(dead, "depthstream.error.reason")).isEqualTo("RECONSTRUCTION_FAILED");
      assertThat(header(dead, "depthstream.error.message")).contains("no_such_model");
      assertThat(h.dense.isEmpty()).isTrue();
    }
  }

  @Test
  void focalStacksOffMeansNoFocalSubTopology() {
    NodeConfig off = config("depthstream.method.focal=none");
    Properties props = DepthTopology.streamsProperties(off);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    DepthTopology.buildTopology(builder, off, DepthNode.methods(off), DepthNode.focalStacks(off),
        new NodeMetrics(registry));
    String described = builder.build().describe().toString();
    assertThat(described).doesNotContain("focalstack.raw").contains("depth.raw.lidar");
    NodeConfig on = config();
    StreamsBuilder withFocal = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    DepthTopology.buildTopology(withFocal, on, DepthNode.methods(on), DepthNode.focalStacks(on),
        new NodeMetrics(registry));
    assertThat(withFocal.build().describe().subtopologies()).hasSize(4);
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
