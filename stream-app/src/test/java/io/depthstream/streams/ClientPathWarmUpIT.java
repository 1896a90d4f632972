package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.topology.DepthTopology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** The Kafka clients' start-up warm-up against a real broker: a round trip of its own, through a topic of its own. */
class ClientPathWarmUpIT {
  private static NodeConfig config(String bootstrap, String applicationId, int records) {
    return NodeConfig.from(Map.of("bootstrap.servers", bootstrap, "application.id", applicationId,
        NodeConfig.WARMUP_RECORDS, Integer.toString(records)));
  }

  @Test
  void everyRecordComesBackThroughTheApplicationsOwnShortLivedTopicOnEveryStart() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      NodeConfig config = config(broker.bootstrapServers(), "warm-it", 25);

      ClientPathWarmUp.Result first = ClientPathWarmUp.run(config, DepthTopology.streamsProperties(config));
      // a second start finds the topic and reads back only its own records, not the first start's
      ClientPathWarmUp.Result second = ClientPathWarmUp.run(config, DepthTopology.streamsProperties(config));

      assertThat(first.topic()).isEqualTo("warm-it-warmup");
      assertThat(first.received()).isEqualTo(25);
      assertThat(second.received()).isEqualTo(25);
      assertThat(first.recordBytes()).isEqualTo(ClientPathWarmUp.RECORD_BYTES);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        TopicDescription topic = admin.describeTopics(List.of("warm-it-warmup")).allTopicNames()
            .get(30, TimeUnit.SECONDS).get("warm-it-warmup");
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "warm-it-warmup");
        Config topicConfig = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertThat(topic.partitions()).hasSize(1);
        assertThat(topicConfig.get("retention.ms").value()).isEqualTo("60000");
      }
    }
  }

  @Test
  void zeroTurnsItOffAndTouchesNoCluster() {
    // nothing listens on port 9 (discard): a warm-up that tried to connect would wait 30 s for its topic list
    NodeConfig config = config("127.0.0.1:9", "cold", 0);

    assertThat(ClientPathWarmUp.run(config, DepthTopology.streamsProperties(config))).isNull();
  }
}
