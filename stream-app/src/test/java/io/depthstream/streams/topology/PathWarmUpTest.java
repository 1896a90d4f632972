package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.config.FrameSize;
import io.depthstream.streams.config.NodeConfig;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The start-up warm-up of the frame path: every configured kind and size runs the whole path, and nothing else. */
class PathWarmUpTest {
  private static NodeConfig config(String... overrides) {
    List<String> all = new java.util.ArrayList<>(List.of(NodeConfig.METHOD_LIDAR + "=nearest-fill",
        NodeConfig.METHOD_RGBD + "=inpaint", NodeConfig.METHOD_VSLAM + "=nearest-fill",
        NodeConfig.METHOD_FOCAL + "=none", NodeConfig.WARMUP_FRAMES + "=3",
        NodeConfig.WARMUP_SIZES_LIDAR + "=64x48,32x16", NodeConfig.WARMUP_SIZES_RGBD + "=40x30",
        NodeConfig.WARMUP_SIZES_VSLAM + "=48x36"));
    all.addAll(List.of(overrides));
    return NodeOutputs.config(all.toArray(String[]::new));
  }

  @Test
  void runsEachConfiguredSizeOfEachDepthKindThroughTheWholePathToADenseOutput() {
    NodeConfig config = config();

    List<PathWarmUp.Result> results = PathWarmUp.run(config, DepthNode.methods(config));

    assertThat(results).extracting(r -> r.kind() + " " + r.size() + " " + r.frames() + " -> " + r.dense())
        .containsExactly("lidar 64x48 3 -> 3", "lidar 32x16 3 -> 3", "rgbd 40x30 3 -> 3", "vslam 48x36 3 -> 3");
  }

  @Test
  void withTheOverloadMethodOnAQuarterMoreFramesArriveLateAndStillComeOut() {
    // 3 frames per size plus max(1, 3 / 4) late ones, aged halfway between the overload age and the budget.
    NodeConfig config = config("depthstream.realtime.budget.ms=1000", NodeConfig.REALTIME_OVERLOAD_MS + "=100");

    List<PathWarmUp.Result> results = PathWarmUp.run(config, DepthNode.methods(config));

    assertThat(results).extracting(r -> r.kind() + " " + r.size() + " " + r.frames() + " -> " + r.dense())
        .containsExactly("lidar 64x48 4 -> 4", "lidar 32x16 4 -> 4", "rgbd 40x30 4 -> 4", "vslam 48x36 4 -> 4");
  }

  @Test
  void zeroFramesTurnsItOff() {
    NodeConfig config = config(NodeConfig.WARMUP_FRAMES + "=0");

    assertThat(PathWarmUp.run(config, DepthNode.methods(config))).isEmpty();
  }

  @Test
  void aKindWithoutSizesIsLeftOut() {
    NodeConfig config = config(NodeConfig.WARMUP_SIZES_LIDAR + "=");

    assertThat(PathWarmUp.run(config, DepthNode.methods(config))).extracting(PathWarmUp.Result::kind)
        .containsExactly("rgbd", "vslam");
  }

  @Test
  void aSizeThePathRefusesStopsTheStartNamingTheKey() {
    NodeConfig config = config(NodeConfig.FRAME_MAX_PIXELS + "=1000");

    assertThatThrownBy(() -> PathWarmUp.run(config, DepthNode.methods(config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.WARMUP_SIZES_LIDAR)
        .hasMessageContaining("64x48")
        .hasMessageContaining("1000 pixels");
  }

  @ParameterizedTest
  @ValueSource(strings = {"640by480", "640x", "0x480", "640x480x3"})
  void aMalformedSizeStopsTheStartNamingTheKey(String size) {
    assertThatThrownBy(() -> config(NodeConfig.WARMUP_SIZES_RGBD + "=" + size))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.WARMUP_SIZES_RGBD);
  }

  @Test
  void syntheticFramesArriveAsTheirKindsSendThem() throws Exception {
    FrameSize size = new FrameSize(1242, 375);
    int[] measured = new int[3];
    SensorKind[] kinds = {SensorKind.SENSOR_KIND_LIDAR, SensorKind.SENSOR_KIND_VSLAM, SensorKind.SENSOR_KIND_RGBD};
    for (int k = 0; k < kinds.length; k++) {
      byte[] bytes = PathWarmUp.syntheticFrame(kinds[k], "warm-up", size, 1, 1_700_000_000_000_000_000L);
      DepthFrame frame = DepthFrame.parseFrom(bytes);
      assertThat(frame.getPayloadCase()).isEqualTo(kinds[k] == SensorKind.SENSOR_KIND_RGBD
          ? DepthFrame.PayloadCase.DENSE_MM : DepthFrame.PayloadCase.SPARSE);
      float[] depth = new FrameDecoder(kinds[k], 1 << 22, 1000).decode("warm-up", bytes).depth().data();
      for (float d : depth) {
        measured[k] += d > 0 ? 1 : 0;
      }
    }
    int pixels = size.pixels();
    // LiDAR: every 6th row, every 2nd column (1/12); vSLAM: a tenth; RGB-D: all but a hole of 1/100.
    assertThat(measured[0]).isBetween(pixels / 13, pixels / 11);
    assertThat(measured[1]).isBetween(pixels / 11, pixels / 9);
    assertThat(measured[2]).isBetween(pixels * 98 / 100, pixels * 995 / 1000);
  }

  @Test
  void theContextDropsWhatIsForwardedAndKeepsTheFirstDeadLettersMessage() {
    WarmUpContext context = new WarmUpContext();
    org.apache.kafka.common.header.internals.RecordHeaders headers =
        new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add(io.depthstream.proto.kafka.Wire.ERROR_MESSAGE_HEADER, "too big".getBytes());

    context.forward(new org.apache.kafka.streams.processor.api.Record<>("s", new Routed(Routed.Route.DENSE,
        new byte[1]), 0L));
    context.forward(new org.apache.kafka.streams.processor.api.Record<>("s", new Routed(Routed.Route.DEAD_LETTER,
        new byte[1]), 0L, headers));

    assertThat(context.forwarded(Routed.Route.DENSE)).isEqualTo(1);
    assertThat(context.forwarded(Routed.Route.GUIDANCE)).isZero();
    assertThat(context.firstDeadLetter()).isEqualTo("too big");
  }
}
