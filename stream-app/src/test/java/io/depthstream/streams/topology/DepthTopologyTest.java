package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.classical.SparseBlend;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DepthTopologyTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static NodeConfig config(String... overrides) {
    return NodeOutputs.config(overrides);
  }

  /** The driver with its topics, closed together. */
  private final class Harness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> lidar;
    final TestInputTopic<String, byte[]> rgbd;
    final TestOutputTopic<String, DenseDepth> dense;
    final TestOutputTopic<String, NavigationGuidance> guidance;
    final TestOutputTopic<String, byte[]> dlq;

    Harness(NodeConfig config) {
      driver = NodeOutputs.driver(config, registry);
      lidar = NodeOutputs.rawInput(driver, config.getString(NodeConfig.TOPIC_RAW_LIDAR));
      rgbd = NodeOutputs.rawInput(driver, config.getString(NodeConfig.TOPIC_RAW_RGBD));
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

  @Test
  void fillsHolesOfAnRgbdFrameAndKeepsItsIdentityAndCaptureTime() {
    try (Harness h = new Harness(config("depthstream.method.rgbd=nearest-fill"))) {
      // 3x2 frame with two holes (0 mm); nearest-fill gives each hole its nearest measured neighbour.
      DepthFrame frame = TestFrames.millimetres("kinect-1", 7, 3, 2, 1000, 0, 3000, 0, 2000, 3000);
      h.rgbd.pipeInput("kinect-1", frame.toByteArray(), 99L);

      TestRecord<String, DenseDepth> out = h.dense.readRecord();
      assertThat(out.key()).isEqualTo("kinect-1");
      assertThat(out.timestamp()).isEqualTo(frame.getId().getCaptureTimeNs() / 1_000_000L);
      DenseDepth dense = out.value();
      assertThat(dense.getId()).isEqualTo(frame.getId());
      assertThat(dense.getIntrinsics()).isEqualTo(frame.getIntrinsics());
      assertThat(dense.getMethod()).isEqualTo("nearest-fill");
      assertThat(dense.getWidth()).isEqualTo(3);
      // Pixel (1,0) has neighbours 1000 (left), 3000 (right) and 2000 (below) at distance 1; every output
      // pixel must be one of the measured values and the measured pixels must be kept.
      int[] mm = uint16(dense);
      assertThat(mm[0]).isEqualTo(1000);
      assertThat(mm[2]).isEqualTo(3000);
      assertThat(mm[4]).isEqualTo(2000);
      assertThat(mm[5]).isEqualTo(3000);
      assertThat(mm[1]).isIn(1000, 2000, 3000);
      assertThat(mm[3]).isIn(1000, 2000); // (0,1): 1000 above and 2000 right at distance 1
      assertThat(dense.getTimings().getReconstructNs()).isPositive();
      assertThat(dense.getPublishTimeNs()).isGreaterThan(frame.getId().getCaptureTimeNs());

      TestRecord<String, NavigationGuidance> nav = h.guidance.readRecord();
      assertThat(nav.key()).isEqualTo("kinect-1");
      assertThat(nav.timestamp()).isEqualTo(out.timestamp());
      assertThat(nav.value().getId()).isEqualTo(frame.getId());
      assertThat(h.dlq.isEmpty()).isTrue();
      assertThat(registry.counter(NodeMetrics.FRAMES_OUT, "sensor", "kinect-1", "method", "nearest-fill").count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void densifiesSparseLidarAndWritesFloat32WhenAsked() {
    try (Harness h = new Harness(config("depthstream.output.encoding=float32-m",
        "depthstream.method.lidar=nearest-fill"))) {
      DepthFrame frame = TestFrames.sparse("velo", 1, 4, 4, new int[] {0, 15}, new float[] {2.0f, 6.0f});
      h.lidar.pipeInput("velo", frame.toByteArray());
      DenseDepth dense = h.dense.readValue();
      assertThat(dense.hasDenseM()).isTrue();
      ByteBuffer bb = dense.getDenseM().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] m = new float[16];
      bb.asFloatBuffer().get(m);
      assertThat(m[0]).isEqualTo(2.0f);
      assertThat(m[15]).isEqualTo(6.0f);
      assertThat(m[1]).isEqualTo(2.0f); // (1,0) is nearest to (0,0)
      assertThat(m[14]).isEqualTo(6.0f); // (2,3) is nearest to (3,3)
    }
  }

  static Stream<Arguments> badFrames() {
    DepthFrame good = TestFrames.flat("cam", 1, 2, 2, 1500);
    Function<DepthFrame.Builder, byte[]> bytes = b -> b.build().toByteArray();
    return Stream.of(
        Arguments.of("corrupt bytes", "cam", new byte[] {(byte) 0xFF, 0x01, 0x02, 0x03}, "CORRUPT_BYTES"),
        Arguments.of("empty value", "cam", new byte[0], "EMPTY_VALUE"),
        Arguments.of("payload shorter than width*height", "cam",
            bytes.apply(good.toBuilder().setWidth(3).setIntrinsics(TestFrames.intrinsics(3, 2))),
            "PAYLOAD_SIZE_MISMATCH"),
        Arguments.of("absurd dimensions", "cam",
            bytes.apply(good.toBuilder().setWidth(100_000).setHeight(100_000)
                .setIntrinsics(TestFrames.intrinsics(100_000, 100_000))),
            "ABSURD_DIMENSIONS"),
        Arguments.of("NaN sparse depth", "cam",
            rgbd(TestFrames.sparse("cam", 1, 2, 2, new int[] {1}, new float[] {Float.NaN})),
            "INVALID_DEPTH"),
        Arguments.of("negative float32 depth", "cam",
            TestFrames.metres("cam", 1, 2, 1, 1.0f, -2.0f).toByteArray(), "INVALID_DEPTH"),
        Arguments.of("unknown encoding", "cam", bytes.apply(good.toBuilder().clearPayload()), "UNKNOWN_ENCODING"),
        Arguments.of("sparse index outside the image", "cam",
            rgbd(TestFrames.sparse("cam", 1, 2, 2, new int[] {4}, new float[] {1f})),
            "SPARSE_INDEX_OUT_OF_RANGE"),
        Arguments.of("missing intrinsics", "cam", bytes.apply(good.toBuilder().clearIntrinsics()),
            "INVALID_INTRINSICS"),
        Arguments.of("key differs from sensor id", "other", good.toByteArray(), "KEY_MISMATCH"),
        Arguments.of("a LiDAR frame on the RGB-D topic", "cam",
            bytes.apply(good.toBuilder().setId(good.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_LIDAR))),
            "KIND_MISMATCH"),
        Arguments.of("an unknown kind number", "cam",
            bytes.apply(good.toBuilder().setId(good.getId().toBuilder().setKindValue(42))), "KIND_MISMATCH"),
        Arguments.of("principal point a million pixels left of the image", "cam",
            bytes.apply(good.toBuilder().setIntrinsics(good.getIntrinsics().toBuilder().setCx(-1e6))),
            "INVALID_INTRINSICS"),
        Arguments.of("finite float32 depth beyond the maximum", "cam",
            TestFrames.metres("cam", 1, 2, 1, 1.0f, 5000f).toByteArray(), "INVALID_DEPTH"));
  }

  /** The frame as an RGB-D frame, for the RGB-D topic (the topic decides the kind). */
  private static byte[] rgbd(DepthFrame frame) {
    return frame.toBuilder().setId(frame.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_RGBD)).build()
        .toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFrames")
  void deadLettersABadFrameWithItsReasonAndKeepsGoing(String what, String key, byte[] value, String reason) {
    try (Harness h = new Harness(config())) {
      h.rgbd.pipeInput(key, value);
      DepthFrame next = TestFrames.flat("cam", 2, 2, 2, 1500);
      h.rgbd.pipeInput("cam", next.toByteArray());

      TestRecord<String, byte[]> dead = h.dlq.readRecord();
      assertThat(dead.value()).as("original bytes are kept").isEqualTo(value);
      assertThat(header(dead, "depthstream.error.reason")).isEqualTo(reason);
      assertThat(header(dead, "depthstream.error.message")).isNotBlank();
      assertThat(header(dead, "depthstream.error.topic")).isEqualTo("depth.raw.rgbd");
      assertThat(header(dead, "depthstream.error.offset")).isEqualTo("0");
      assertThat(h.dlq.isEmpty()).isTrue();
      // The stream keeps running: the good frame after the bad one is reconstructed.
      List<DenseDepth> dense = h.dense.readValuesToList();
      assertThat(dense).extracting(d -> d.getId().getSequence()).containsExactly(2L);
      assertThat(registry.find(NodeMetrics.FRAMES_DEAD_LETTERED).tag("reason", reason).counter().count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void aFastModelsFrameBelowTheFallbackDensityIsTheClassicalBlendsAndSaysSo() {
    String models = Path.of(System.getProperty("depthstream.root", "..")).resolve("test-models").toString();
    try (Harness h = new Harness(config("depthstream.models.dir=" + models,
        "depthstream.method.lidar=fast_interp_x4_smoke", "depthstream.inference.threads.intra=1"))) {
      // 20 samples in 64x48 (0.65 % < the default 1 %): linear interpolation, inpainting and nearest-fill; the full
      // frame: the model.
      int[] index = new int[20];
      float[] depth = new float[20];
      for (int k = 0; k < 20; k++) {
        index[k] = k * 151;
        depth[k] = 2f + 0.05f * k;
      }
      h.lidar.pipeInput("lidar-1", TestFrames.sparse("lidar-1", 1, 64, 48, index, depth).toByteArray());
      DenseDepth sparse = h.dense.readValue();
      assertThat(sparse.getMethod()).isEqualTo(SparseBlend.NAME);
      assertThat(sparse.getModelVersion()).isEmpty();

      int[] every = java.util.stream.IntStream.range(0, 64 * 48).toArray();
      float[] all = new float[every.length];
      java.util.Arrays.fill(all, 2f);
      h.lidar.pipeInput("lidar-1", TestFrames.sparse("lidar-1", 2, 64, 48, every, all).toByteArray());
      DenseDepth full = h.dense.readValue();
      assertThat(full.getMethod()).isEqualTo("fast_interp_x4_smoke");
      assertThat(full.getModelVersion()).matches("[0-9a-f]{12}");
      assertThat(h.dlq.isEmpty()).isTrue();
      // The meters count the configured method's frames, whichever served them.
      assertThat(registry.counter(NodeMetrics.FRAMES_OUT, "sensor", "lidar-1", "method", "fast_interp_x4_smoke")
          .count()).isEqualTo(2.0);
    }
  }

  @Test
  void aSuperResolutionModelFromTheModelsDirectoryScalesTheFrameAndItsIntrinsics() {
    String models = Path.of(System.getProperty("depthstream.root", "..")).resolve("test-models").toString();
    try (Harness h = new Harness(config("depthstream.models.dir=" + models, "depthstream.method.rgbd=sr_x4_smoke",
        "depthstream.inference.threads.intra=1"))) {
      DepthFrame low = TestFrames.flat("cam", 1, 16, 12, 2000);
      h.rgbd.pipeInput("cam", low.toByteArray());
      DenseDepth dense = h.dense.readValue();
      assertThat(dense.getWidth()).isEqualTo(64);
      assertThat(dense.getHeight()).isEqualTo(48);
      assertThat(dense.getDenseMm().getData().size()).isEqualTo(64 * 48 * 2);
      assertThat(dense.getMethod()).isEqualTo("sr_x4_smoke");
      assertThat(dense.getModelVersion()).matches("[0-9a-f]{12}");
      // fx scales with the factor; with pixel centres at integers, cx' = (cx + 0.5) * 4 - 0.5.
      assertThat(dense.getIntrinsics().getFx()).isEqualTo(low.getIntrinsics().getFx() * 4);
      assertThat(dense.getIntrinsics().getCx()).isEqualTo((low.getIntrinsics().getCx() + 0.5) * 4 - 0.5);
      assertThat(dense.getIntrinsics().getWidth()).isEqualTo(64);
      assertThat(h.guidance.readValue().getScan().getRowEnd()).isLessThanOrEqualTo(48);
    }
  }

  @Test
  void framesOlderThanTheRealTimeBudgetAreSkippedAndCounted() {
    try (Harness h = new Harness(config("depthstream.realtime.budget.ms=1000",
        "depthstream.realtime.budget.ms.lidar=0"))) {
      // TestFrames capture times are in 2023: far older than 1 s, so the RGB-D frame is stale on arrival. It is held
      // as the sensor's newest, and the fresh frame that follows supersedes it: it is skipped, never decoded.
      DepthFrame stale = TestFrames.flat("cam", 1, 2, 2, 1500);
      pipe(h.rgbd, stale);
      long nowNs = System.currentTimeMillis() * 1_000_000L;
      DepthFrame fresh = TestFrames.flat("cam", 2, 2, 2, 1500).toBuilder()
          .setId(TestFrames.flat("cam", 2, 2, 2, 1500).getId().toBuilder().setCaptureTimeNs(nowNs)).build();
      pipe(h.rgbd, fresh);
      // LiDAR has its budget turned off (0), so its old frame is still processed.
      pipe(h.lidar, TestFrames.sparse("velo", 1, 2, 2, new int[] {0}, new float[] {1f}));

      assertThat(h.dense.readValuesToList()).extracting(d -> d.getId().getSensorId() + "#" + d.getId().getSequence())
          .containsExactly("cam#2", "velo#1");
      assertThat(h.dlq.isEmpty()).isTrue();
      assertThat(registry.counter(NodeMetrics.FRAMES_SKIPPED, "sensor", "cam").count()).isEqualTo(1.0);
    }
  }

  @Test
  void dimensionsCheckNamesTheSize() {
    try (Harness h = new Harness(config())) {
      DepthFrame huge = TestFrames.flat("cam", 1, 2, 2, 1500).toBuilder().setWidth(100_000).setHeight(100_000)
          .setIntrinsics(TestFrames.intrinsics(100_000, 100_000)).build();
      h.rgbd.pipeInput("cam", huge.toByteArray());
      assertThat(header(h.dlq.readRecord(), "depthstream.error.message")).contains("100000x100000");
    }
  }

  /** Pipes a frame the way producers do: keyed by sensor id, timestamped with its capture time. */
  static void pipe(TestInputTopic<String, byte[]> topic, DepthFrame frame) {
    topic.pipeInput(frame.getId().getSensorId(), frame.toByteArray(), frame.getId().getCaptureTimeNs() / 1_000_000L);
  }

  /** A header's value as text, or null. */
  static String header(TestRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The uint16 millimetres of a dense frame. */
  static int[] uint16(DenseDepth dense) {
    ByteBuffer bb = dense.getDenseMm().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[dense.getWidth() * dense.getHeight()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bb.getShort() & 0xFFFF;
    }
    return out;
  }
}
