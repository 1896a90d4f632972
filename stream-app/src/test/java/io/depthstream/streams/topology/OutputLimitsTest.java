package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.topology.Routed.Route;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OutputLimitsTest {
  private static final int MIB = 1024 * 1024;
  private static final int HEADROOM = DepthTopology.RECORD_HEADROOM_BYTES;
  /** Kafka's default max.message.bytes of a topic. */
  private static final int KAFKA_TOPIC_DEFAULT = 1_048_588;

  private static NodeConfig config(String... settings) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "broker:9092");
    props.put("application.id", "test");
    // uint16 mm everywhere: the producer keeps Kafka's 1 MiB unless a topic says more.
    props.put(NodeConfig.OUTPUT_ENCODING, NodeConfig.ENCODING_UINT16_MM);
    for (String s : settings) {
      props.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
    }
    return NodeConfig.from(props);
  }

  private static OutputLimits learned(NodeConfig config, Map<String, Integer> maxMessageBytes) {
    Properties props = DepthTopology.streamsProperties(config);
    boolean set = config.kafkaProperties().containsKey("producer.max.request.size");
    return OutputLimits.of(props, set, DepthTopology.outputTopics(config), maxMessageBytes);
  }

  @Test
  void withoutTheTopicsLimitsEveryRouteHasTheProducersLimit() {
    OutputLimits limits = OutputLimits.assumed(DepthTopology.streamsProperties(config()));
    for (Route route : Route.values()) {
      assertThat(limits.valueBytes(route)).as(route.name()).isEqualTo(MIB - HEADROOM);
      assertThat(limits.source(route)).contains("max.request.size (1048576)");
    }
    assertThat(limits.producerRequestBytes()).isEqualTo(MIB);
  }

  @Test
  void aDenseTopicMadeForLargeFramesLetsAnHdCameraThroughAndTheProducerFollows() {
    // The topics the node creates allow 16 MiB; a 1280x720 uint16 frame is 1.84 MB.
    NodeConfig config = config();
    OutputLimits limits = learned(config, Map.of(
        "depth.dense", TopicLimits.FLOAT32_MAX_BYTES, "nav.guidance", KAFKA_TOPIC_DEFAULT, "depth.dlq",
        KAFKA_TOPIC_DEFAULT));
    assertThat(limits.valueBytes(Route.DENSE)).isEqualTo(TopicLimits.FLOAT32_MAX_BYTES - HEADROOM)
        .isGreaterThan(1280 * 720 * 2);
    assertThat(limits.source(Route.DENSE)).isEqualTo("topic depth.dense's max.message.bytes (16842752)");
    assertThat(limits.valueBytes(Route.DEAD_LETTER)).isEqualTo(KAFKA_TOPIC_DEFAULT - HEADROOM);
    assertThat(limits.producerRequestBytes()).isEqualTo(TopicLimits.FLOAT32_MAX_BYTES);
    assertThat(limits.toString()).as("the start-up log line: the routes this node writes")
        .startsWith("producer max.request.size 16842752; dense 16826368 from topic depth.dense's")
        .contains("dead-letter 1032204 from topic depth.dlq's").doesNotContain("points");
  }

  @Test
  void aTopicBelowTheProducersLimitLowersItsRouteSoTheNodeDeadLettersInsteadOfTheBrokerRefusing() {
    // LiDAR's default uint16-256 raises the producer to 16 MiB; the operator's dense topic kept Kafka's 1 MiB.
    NodeConfig config = config(NodeConfig.OUTPUT_ENCODING_LIDAR + "=uint16-256");
    OutputLimits limits = learned(config, Map.of("depth.dense", KAFKA_TOPIC_DEFAULT));
    assertThat(limits.valueBytes(Route.DENSE)).isEqualTo(KAFKA_TOPIC_DEFAULT - HEADROOM);
    assertThat(limits.valueBytes(Route.GUIDANCE)).as("not described: the producer's")
        .isEqualTo(TopicLimits.FLOAT32_MAX_BYTES - HEADROOM);
    assertThat(limits.producerRequestBytes()).isEqualTo(TopicLimits.FLOAT32_MAX_BYTES);
  }

  @Test
  void aProducerLimitTheUserSetIsKeptAndBoundsEveryRoute() {
    NodeConfig config = config("producer.max.request.size=2097152");
    OutputLimits limits = learned(config, Map.of("depth.dense", TopicLimits.FLOAT32_MAX_BYTES, "depth.dlq",
        500_000));
    assertThat(limits.valueBytes(Route.DENSE)).isEqualTo(2 * MIB - HEADROOM);
    assertThat(limits.source(Route.DENSE)).contains("producer's max.request.size (2097152)");
    assertThat(limits.valueBytes(Route.DEAD_LETTER)).isEqualTo(500_000 - HEADROOM);
    assertThat(limits.producerRequestBytes()).isEqualTo(2 * MIB);
  }

  @Test
  void aTopicAllowingMoreThanTheNodeEverSendsIsCappedAndATinyOneKeepsTheFloor() {
    OutputLimits limits = learned(config(), Map.of("depth.dense", 100 * MIB, "depth.dlq", 1000));
    assertThat(limits.valueBytes(Route.DENSE)).isEqualTo(TopicLimits.FLOAT32_MAX_BYTES - HEADROOM);
    assertThat(limits.producerRequestBytes()).isEqualTo(TopicLimits.FLOAT32_MAX_BYTES);
    assertThat(limits.valueBytes(Route.DEAD_LETTER)).isEqualTo(TopicLimits.MIN_VALUE_BYTES);
  }
}
