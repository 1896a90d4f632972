package io.depthstream.streams.topology;

import io.depthstream.streams.config.NodeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the node's topics when they are missing ({@value NodeConfig#TOPICS_CREATE}). Existing topics are left
 * as they are. All topics get a raised {@code max.message.bytes} so float32 frames and large sensors fit.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  /** The input, output (the points and Foxglove export topics when on) and dead-letter topic names. */
  public static List<String> topicNames(NodeConfig config) {
    List<String> names = new ArrayList<>(config.rawTopics());
    names.addAll(DepthTopology.outputTopics(config).values());
    return names;
  }

  /** Creates missing topics, using the Kafka client settings of {@code config} (SASL/SSL included). */
  public static void createMissing(NodeConfig config) {
    Properties adminProps = new Properties();
    adminProps.putAll(config.kafkaProperties());
    adminProps.keySet().removeIf(k -> ((String) k).startsWith("producer.") || ((String) k).startsWith("consumer."));
    try (Admin admin = Admin.create(adminProps)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = topicNames(config).stream()
          .filter(name -> !existing.contains(name))
          .distinct()
          .map(name -> new NewTopic(name, config.getInt(NodeConfig.TOPICS_PARTITIONS),
              config.getShort(NodeConfig.TOPICS_REPLICATION))
              .configs(Map.of("max.message.bytes", Integer.toString(TopicLimits.FLOAT32_MAX_BYTES))))
          .toList();
      for (var result : admin.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get(60, TimeUnit.SECONDS);
          LOG.info("created topic {}", result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + result.getKey() + ": " + e.getCause(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list topics on " + adminProps.get("bootstrap.servers") + ": " + e, e);
    }
  }
}
