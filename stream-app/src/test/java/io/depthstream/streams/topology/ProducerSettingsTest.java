package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.streams.config.NodeConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's producer defaults: latency and CPU first, every one overridable by a pass-through setting. */
class ProducerSettingsTest {
  private static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "broker:9092");
    props.put("application.id", "depthstream");
    return props;
  }

  @Test
  void outputIsSentUncompressedAtOnceByDefault() {
    var props = DepthTopology.streamsProperties(NodeConfig.from(minimal()));
    assertThat(props.getProperty("producer.compression.type")).isEqualTo("none");
    assertThat(props.getProperty("producer.linger.ms")).isEqualTo("0");
  }

  @Test
  void theClientsUseTheOperatingSystemsSocketBuffersUnlessConfigured() {
    var props = DepthTopology.streamsProperties(NodeConfig.from(minimal()));
    assertThat(props.getProperty("consumer.receive.buffer.bytes")).isEqualTo("-1");
    assertThat(props.getProperty("producer.send.buffer.bytes")).isEqualTo("-1");
    Map<String, String> settings = minimal();
    settings.put("consumer.receive.buffer.bytes", "65536");
    assertThat(DepthTopology.streamsProperties(NodeConfig.from(settings)).getProperty("consumer.receive.buffer.bytes"))
        .isEqualTo("65536");
  }

  @Test
  void aConfiguredCompressionWins() {
    Map<String, String> settings = minimal();
    settings.put("producer.compression.type", "lz4");
    assertThat(DepthTopology.streamsProperties(NodeConfig.from(settings)).getProperty("producer.compression.type"))
        .isEqualTo("lz4");
  }
}
