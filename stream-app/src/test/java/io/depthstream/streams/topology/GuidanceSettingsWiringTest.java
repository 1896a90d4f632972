package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.guidance.GuidanceSettings;
import io.depthstream.streams.guidance.GuidanceSettings.GroundPlane;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuidanceSettingsWiringTest {
  private static NodeConfig config(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>(extra);
    props.put("bootstrap.servers", "broker:9092");
    props.put("application.id", "test");
    return NodeConfig.from(props);
  }

  @Test
  void theGroundPlaneIsOffUntilTheCameraHeightIsKnown() {
    GuidanceSettings defaults = DepthTopology.guidanceSettings(config(Map.of()));
    assertThat(defaults.supportMaxPixels()).isEqualTo(4);
    assertThat(defaults.groundPlane()).isEqualTo(GroundPlane.OFF);
    assertThat(defaults.groundPlane().enabled()).isFalse();
    GuidanceSettings mounted = DepthTopology.guidanceSettings(config(Map.of(
        NodeConfig.GUIDANCE_SUPPORT_MAX_PX, "2",
        NodeConfig.GUIDANCE_CAMERA_HEIGHT_M, "0.35",
        NodeConfig.GUIDANCE_CAMERA_PITCH_DEG, "5",
        NodeConfig.GUIDANCE_FLOOR_CLEARANCE_M, "0.05",
        NodeConfig.GUIDANCE_ROBOT_HEIGHT_M, "0.9")));
    assertThat(mounted.supportMaxPixels()).isEqualTo(2);
    assertThat(mounted.groundPlane()).isEqualTo(new GroundPlane(0.35, 5, 0.05, 0.9));
    assertThat(mounted.groundPlane().enabled()).isTrue();
  }

  @Test
  void theSupportChannelRaisesTheProducersMessageLimit() {
    String key = "producer.max.request.size";
    // uint16 mm everywhere (the default gives LiDAR uint16-256, which raises the limit by itself).
    Map<String, String> uint16 = Map.of(NodeConfig.OUTPUT_ENCODING, NodeConfig.ENCODING_UINT16_MM);
    assertThat(DepthTopology.streamsProperties(config(uint16))).doesNotContainKey(key);
    assertThat(DepthTopology.streamsProperties(config(Map.of(NodeConfig.OUTPUT_ENCODING, NodeConfig.ENCODING_UINT16_MM,
        NodeConfig.OUTPUT_SUPPORT, NodeConfig.SUPPORT_DISTANCE))))
        .containsEntry(key, Integer.toString(TopicLimits.FLOAT32_MAX_BYTES));
  }

  @Test
  void longRangeOutputRaisesTheProducersMessageLimitAsLidarProjectionsComeAtAnySize() {
    String key = "producer.max.request.size";
    String raised = Integer.toString(TopicLimits.FLOAT32_MAX_BYTES);
    assertThat(DepthTopology.streamsProperties(config(Map.of()))).as("auto: LiDAR in uint16-256")
        .containsEntry(key, raised);
    assertThat(DepthTopology.streamsProperties(config(Map.of(NodeConfig.OUTPUT_ENCODING_LIDAR, "float32-m"))))
        .containsEntry(key, raised);
    assertThat(DepthTopology.streamsProperties(config(Map.of(NodeConfig.OUTPUT_ENCODING, "uint16-mm",
        NodeConfig.OUTPUT_ENCODING_VSLAM, "uint16-256")))).containsEntry(key, raised);
  }
}
