package io.depthstream.streams.topology;

import io.depthstream.streams.config.NodeConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
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

  /**
   * An Admin client with the node's Kafka settings (SASL/SSL included) less the producer's and consumer's own: the
   * start-up creates the missing topics and reads the output topics' limits through one.
   */
  public static Admin admin(NodeConfig config) {
    Properties adminProps = new Properties();
    adminProps.putAll(config.kafkaProperties());
    adminProps.keySet().removeIf(k -> ((String) k).startsWith("producer.") || ((String) k).startsWith("consumer."));
    return Admin.create(adminProps);
  }

  /**
   * The {@code max.message.bytes} of each of {@code topics} that the cluster describes within 10 s: missing topics,
   * topics the node's principal may not describe the configuration of (DescribeConfigs) and an unreachable
   * cluster leave theirs out, so their outputs keep the producer's limit ({@link OutputLimits}).
   */
  static Map<String, Integer> maxMessageBytes(Admin admin, Collection<String> topics) {
    Map<String, Integer> limits = new HashMap<>();
    Map<String, String> unknown = new TreeMap<>();
    List<ConfigResource> resources = topics.stream().distinct()
        .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    try {
      Map<ConfigResource, KafkaFuture<Config>> described = admin.describeConfigs(resources,
          new DescribeConfigsOptions().timeoutMs(DESCRIBE_TIMEOUT_MS)).values();
      for (var result : described.entrySet()) {
        String topic = result.getKey().name();
        try {
          ConfigEntry entry = result.getValue().get(DESCRIBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
          if (entry != null && entry.value() != null) {
            limits.put(topic, Integer.parseInt(entry.value()));
          }
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
          unknown.put(topic, e instanceof ExecutionException ? e.getCause().toString() : e.toString());
        }
      }
      if (!unknown.isEmpty()) {
        LOG.info("max.message.bytes not known for {}: their outputs keep the producer's max.request.size", unknown);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topics", e);
    }
    return limits;
  }

  private static final int DESCRIBE_TIMEOUT_MS = 10_000;

  /** Creates the missing topics of {@code config} through {@code admin} ({@link #admin}). */
  public static void createMissing(NodeConfig config, Admin admin) {
    try {
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
      throw new IllegalStateException("cannot list topics on " + config.kafkaProperties().get("bootstrap.servers")
          + ": " + e, e);
    }
  }
}
