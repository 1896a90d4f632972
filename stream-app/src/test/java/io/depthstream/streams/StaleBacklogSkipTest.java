package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.StaleBacklogSkip.Members;
import io.depthstream.streams.codec.OutputEncoding;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.config.SensorStreamSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The start-up skip's rules: whose group may be moved, which topics, and where each partition moves. */
class StaleBacklogSkipTest {
  private static final TopicPartition P0 = new TopicPartition("lidar", 0);
  private static final TopicPartition P1 = new TopicPartition("lidar", 1);
  private static final TopicPartition Q0 = new TopicPartition("rgbd", 0);

  @Test
  void onlyAnEmptyGroupOrThisInstancesOwnLeftoverMembersMayBeMoved() {
    assertThat(StaleBacklogSkip.members(List.of(), "node-a")).isEqualTo(Members.NONE);
    assertThat(StaleBacklogSkip.members(List.of(Optional.of("node-a-1"), Optional.of("node-a-12")), "node-a"))
        .isEqualTo(Members.OWN_ONLY);
    // Another instance whose id starts with ours, a dynamic member, or any member when we have no instance id.
    assertThat(StaleBacklogSkip.members(List.of(Optional.of("node-a-1"), Optional.of("node-a-1-1")), "node-a"))
        .isEqualTo(Members.OTHERS);
    assertThat(StaleBacklogSkip.members(List.of(Optional.of("node-a-1"), Optional.empty()), "node-a"))
        .isEqualTo(Members.OTHERS);
    assertThat(StaleBacklogSkip.members(List.of(Optional.of("node-a")), "node-a")).isEqualTo(Members.OTHERS);
    assertThat(StaleBacklogSkip.members(List.of(Optional.of("node-a-1")), null)).isEqualTo(Members.OTHERS);
    // The id is matched literally, not as a pattern.
    assertThat(StaleBacklogSkip.members(List.of(Optional.of("nodeXa-1")), "node.a")).isEqualTo(Members.OTHERS);
  }

  @Test
  void aTopicIsSkippedWithTheLargestBudgetOfItsKindsAndNotAtAllWhenAnyOfThemHasThePolicyOff() {
    List<SensorStreamSettings> streams = List.of(
        stream(SensorKind.SENSOR_KIND_LIDAR, "lidar", 250),
        stream(SensorKind.SENSOR_KIND_RGBD, "shared", 100),
        stream(SensorKind.SENSOR_KIND_VSLAM, "shared", 400),
        stream(SensorKind.SENSOR_KIND_FOCAL_STACK, "focal", 0),
        stream(SensorKind.SENSOR_KIND_VSLAM, "mixed", 300),
        stream(SensorKind.SENSOR_KIND_RGBD, "mixed", 0));

    assertThat(StaleBacklogSkip.budgetsByTopic(streams)).containsExactly(Map.entry("lidar", 250L),
        Map.entry("shared", 400L));
  }

  @Test
  void aPartitionMovesForwardToItsFirstFreshRecordOrElseItsNewestOne() {
    Map<TopicPartition, Long> positions = Map.of(P0, 10L, P1, 50L, Q0, 7L);
    // P0: fresh records from 40 on; P1: fresh from 30 (behind its position: stays); Q0: none fresh, log ends at 20.
    Map<TopicPartition, Long> firstFresh = Map.of(P0, 40L, P1, 30L, Q0, -1L);
    Map<TopicPartition, Long> end = Map.of(P0, 45L, P1, 60L, Q0, 20L);

    Map<TopicPartition, Long> moves = StaleBacklogSkip.moves(positions, firstFresh, end);

    assertThat(moves).containsOnly(Map.entry(P0, 40L), Map.entry(Q0, 19L));
    assertThat(StaleBacklogSkip.skippedByTopic(List.of("lidar", "rgbd", "vslam"), moves, positions))
        .containsExactly(Map.entry("lidar", 30L), Map.entry("rgbd", 12L), Map.entry("vslam", 0L));
  }

  @Test
  void anEmptyOrAlreadyFreshPartitionDoesNotMove() {
    // Empty log (end 0), a position at the newest record, a position already past the first fresh record.
    Map<TopicPartition, Long> positions = Map.of(P0, 0L, P1, 59L, Q0, 25L);
    Map<TopicPartition, Long> firstFresh = Map.of(P0, -1L, P1, -1L, Q0, 20L);
    Map<TopicPartition, Long> end = Map.of(P0, 0L, P1, 60L, Q0, 30L);

    assertThat(StaleBacklogSkip.moves(positions, firstFresh, end)).isEmpty();
  }

  @Test
  void doesNothingAndAsksNoBrokerWithoutABudgetOrWithTheSettingOff() {
    // Nothing listens on port 9: any request would fail or hang, and the answer is null before any is made.
    Map<String, String> base = Map.of("bootstrap.servers", "127.0.0.1:9", "application.id", "off-test");
    NodeConfig noBudget = NodeConfig.from(base);
    Map<String, String> settingOff = new java.util.HashMap<>(base);
    settingOff.put(NodeConfig.REALTIME_BUDGET_MS, "250");
    settingOff.put(NodeConfig.REALTIME_START_SKIP_STALE, "false");
    Map<String, String> on = new java.util.HashMap<>(settingOff);
    on.put(NodeConfig.REALTIME_START_SKIP_STALE, "true");

    assertThat(StaleBacklogSkip.run(noBudget, props(noBudget), () -> 0L)).isNull();
    assertThat(StaleBacklogSkip.run(NodeConfig.from(settingOff), props(NodeConfig.from(settingOff)), () -> 0L))
        .isNull();
    assertThat(StaleBacklogSkip.budgetsByTopic(NodeConfig.from(on).sensorStreams())).as("on: every raw topic")
        .containsOnlyKeys(NodeConfig.from(on).rawTopics());
  }

  private static java.util.Properties props(NodeConfig config) {
    return io.depthstream.streams.topology.DepthTopology.streamsProperties(config);
  }

  private static SensorStreamSettings stream(SensorKind kind, String topic, long budgetMs) {
    return new SensorStreamSettings(kind, topic, "nearest-fill", budgetMs * 1_000_000L, OutputEncoding.UINT16_MM);
  }
}
