package io.depthstream.streams.fault;

import io.depthstream.streams.config.NodeConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The topics and node settings one fault scenario uses, all named after the scenario so runs never mix. */
record FaultSetup(String name, String bootstrapServers, String guarantee) {
  /** Partitions of the raw topic: two, so that two nodes can share the work. */
  static final int RAW_PARTITIONS = 2;

  String raw() {
    return name + ".raw.lidar";
  }

  String dense() {
    return name + ".dense";
  }

  String dlq() {
    return name + ".dlq";
  }

  /**
   * One sensor id per raw partition (by Kafka's default partitioner, murmur2 of the key), so that each of two
   * nodes has a sensor of its own and a node that stops shows as one silent sensor.
   */
  static List<String> sensorsOnePerPartition() {
    List<String> sensors = new java.util.ArrayList<>();
    for (int p = 0; p < RAW_PARTITIONS; p++) {
      for (int i = 0;; i++) {
        String id = "velo-" + i;
        byte[] key = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key))
            % RAW_PARTITIONS == p) {
          sensors.add(id);
          break;
        }
      }
    }
    return List.copyOf(sensors);
  }

  /** Every topic the node reads or writes, for the test to create with replication 3 before the node starts. */
  List<String> topics() {
    return List.of(raw(), name + ".raw.rgbd", name + ".raw.vslam", dense(), name + ".guidance", dlq());
  }

  /**
   * Settings of a node: real-time budget off (no frame is skipped, so every frame must come out), focal stacks off
   * and classical methods (start-up in a second), one stream thread, no metrics port (several nodes per host).
   */
  Map<String, String> nodeSettings(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>();
    s.put("bootstrap.servers", bootstrapServers);
    s.put("application.id", name);
    s.put("processing.guarantee", guarantee);
    s.put("commit.interval.ms", "100");
    s.put("num.stream.threads", "1");
    s.put("replication.factor", "3");
    s.put(NodeConfig.TOPIC_RAW_LIDAR, raw());
    s.put(NodeConfig.TOPIC_RAW_RGBD, name + ".raw.rgbd");
    s.put(NodeConfig.TOPIC_RAW_VSLAM, name + ".raw.vslam");
    s.put(NodeConfig.TOPIC_DENSE, dense());
    s.put(NodeConfig.TOPIC_GUIDANCE, name + ".guidance");
    s.put(NodeConfig.TOPIC_DLQ, dlq());
    s.put(NodeConfig.TOPICS_CREATE, "false");
    s.put(NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE);
    s.put(NodeConfig.METHOD_LIDAR, "nearest-fill");
    s.put(NodeConfig.METHOD_RGBD, "nearest-fill");
    s.put(NodeConfig.METHOD_VSLAM, "nearest-fill");
    s.put(NodeConfig.REALTIME_BUDGET_MS, "0");
    s.put(NodeConfig.METRICS_PORT, "0");
    s.putAll(extra);
    return s;
  }
}
