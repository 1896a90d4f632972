package io.depthstream.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.streams.topology.DepthTopology;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** How the node joins its consumer group: static by default (fast restarts), dynamic on request. */
class GroupMembershipTest {
  private static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "broker:9092");
    props.put("application.id", "depth/stream");
    return props;
  }

  @Test
  void byDefaultTheNodeIsAStaticMemberNamedAfterItsHostAndApplication() {
    NodeConfig config = NodeConfig.from(minimal());
    Properties props = DepthTopology.streamsProperties(config);
    String id = props.getProperty("group.instance.id");
    // The '/' of the application id is not allowed in a group.instance.id: replaced, the rest kept.
    assertThat(id).endsWith("-depth_stream").matches("[a-zA-Z0-9._-]+");
    assertThat(id).isEqualTo(config.instanceId());
    // A crashed member's partitions move after 10 s instead of the consumer default 45 s.
    assertThat(props.getProperty("session.timeout.ms")).isEqualTo("10000");
  }

  @Test
  void aConfiguredInstanceIdIsUsedAndExplicitKafkaSettingsWin() {
    Map<String, String> settings = minimal();
    settings.put(NodeConfig.INSTANCE_ID, "robot-7.front");
    assertThat(DepthTopology.streamsProperties(NodeConfig.from(settings)).getProperty("group.instance.id"))
        .isEqualTo("robot-7.front");
    settings.put("group.instance.id", "chosen-by-hand");
    settings.put("session.timeout.ms", "30000");
    Properties props = DepthTopology.streamsProperties(NodeConfig.from(settings));
    assertThat(props.getProperty("group.instance.id")).isEqualTo("chosen-by-hand");
    assertThat(props.getProperty("session.timeout.ms")).isEqualTo("30000");
  }

  @Test
  void dynamicMembershipSetsNoInstanceId() {
    Map<String, String> settings = minimal();
    settings.put(NodeConfig.GROUP_MEMBERSHIP, "dynamic");
    assertThat(DepthTopology.streamsProperties(NodeConfig.from(settings))).doesNotContainKey("group.instance.id");
  }

  @Test
  void badMembershipSettingsFailAndNameTheKey() {
    Map<String, String> membership = minimal();
    membership.put(NodeConfig.GROUP_MEMBERSHIP, "sticky");
    assertThatThrownBy(() -> NodeConfig.from(membership)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.GROUP_MEMBERSHIP).hasMessageContaining("sticky");
    Map<String, String> id = minimal();
    id.put(NodeConfig.INSTANCE_ID, "robot 7");
    assertThatThrownBy(() -> NodeConfig.from(id)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.INSTANCE_ID).hasMessageContaining("robot 7");
    Map<String, String> leave = minimal();
    leave.put(NodeConfig.LEAVE_GROUP_ON_CLOSE, "maybe");
    assertThatThrownBy(() -> NodeConfig.from(leave)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.LEAVE_GROUP_ON_CLOSE);
  }

  @Test
  void theStreamsProtocolNeedsDynamicMembershipInKafka43() {
    Map<String, String> settings = minimal();
    settings.put("group.protocol", "streams");
    assertThatThrownBy(() -> NodeConfig.from(settings)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.GROUP_MEMBERSHIP).hasMessageContaining("dynamic");
    settings.put(NodeConfig.GROUP_MEMBERSHIP, "dynamic");
    assertThat(NodeConfig.from(settings).staticMembership()).isFalse();
  }
}
