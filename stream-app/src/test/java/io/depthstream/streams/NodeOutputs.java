package io.depthstream.streams;

import io.depthstream.proto.kafka.Topic;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.topology.DepthTopology;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The node's three outputs on a {@link TopologyTestDriver}, typed, and the other pieces every topology test needs:
 * a configuration from key=value overrides, the driver of the node's topology and raw input topics fed bytes (so tests can send what no serializer
 * would produce).
 */
public record NodeOutputs(TestOutputTopic<String, DenseDepth> dense,
    TestOutputTopic<String, NavigationGuidance> guidance,
    TestOutputTopic<String, byte[]> deadLetters) {

  public static NodeOutputs of(TopologyTestDriver driver, NodeConfig config) {
    Topic<String, DenseDepth> dense = Wire.denseDepth(config.getString(NodeConfig.TOPIC_DENSE));
    Topic<String, NavigationGuidance> nav = Wire.guidance(config.getString(NodeConfig.TOPIC_GUIDANCE));
    Topic<String, byte[]> dead = Wire.deadLetters(config.getString(NodeConfig.TOPIC_DLQ));
    return new NodeOutputs(
        driver.createOutputTopic(dense.name(), dense.keySerde().deserializer(), dense.valueSerde().deserializer()),
        driver.createOutputTopic(nav.name(), nav.keySerde().deserializer(), nav.valueSerde().deserializer()),
        driver.createOutputTopic(dead.name(), dead.keySerde().deserializer(), dead.valueSerde().deserializer()));
  }

  /**
   * A test driver of the node's whole topology for {@code config}, with the methods and focal-stack estimators the
   * configuration names and the node's meters in {@code registry}.
   */
  public static TopologyTestDriver driver(NodeConfig config, MeterRegistry registry) {
    Properties props = DepthTopology.streamsProperties(config);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    DepthTopology.buildTopology(builder, config, DepthNode.methods(config), DepthNode.focalStacks(config),
        new NodeMetrics(registry));
    return new TopologyTestDriver(builder.build(), props);
  }

  /** A raw topic fed bytes. */
  public static TestInputTopic<String, byte[]> rawInput(TopologyTestDriver driver, String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  /** A node configuration for tests: a dummy broker, an application id, then the key=value overrides. */
  public static NodeConfig config(String... overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "dummy:9092");
    props.put("application.id", "depthstream-test");
    for (String o : overrides) {
      String[] kv = o.split("=", 2);
      props.put(kv[0], kv[1]);
    }
    return NodeConfig.from(props);
  }
}
