package io.depthstream.streams.topology;

import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.topology.Routed.Route;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The largest value each output route may carry, and the producer's request limit that lets them through.
 *
 * <p>A record over its topic's {@code max.message.bytes} is refused by the broker and lost (counted by the
 * production error handler); one over the producer's {@code max.request.size} is refused before it is sent. The node
 * checks every frame-sized output against its route's limit first and dead-letters a frame whose output would not
 * fit, with a reason that names the limit. Where the topics' limits are known (read from the cluster at start-up,
 * {@link #learn}), each route gets its own topic's limit, and the producer's limit is raised to the largest of them
 * unless it was set. Where they are not, every route gets the producer's limit as {@link
 * DepthTopology#streamsProperties} sets it: Kafka's 1 MiB default, or 16 MiB when an output is known to need it.
 */
public final class OutputLimits {
  private final Map<Route, Integer> valueBytes;
  private final Map<Route, String> source;
  private final Set<Route> routes;
  private final int producerRequestBytes;

  private OutputLimits(Map<Route, Integer> valueBytes, Map<Route, String> source, Set<Route> routes,
      int producerRequestBytes) {
    this.valueBytes = valueBytes;
    this.source = source;
    this.routes = routes;
    this.producerRequestBytes = producerRequestBytes;
  }

  /** Every route limited by the producer's {@code max.request.size} of {@code streamsProperties}, topics unknown. */
  public static OutputLimits assumed(Properties streamsProperties) {
    return of(streamsProperties, false, Map.of(), Map.of());
  }

  /**
   * The limits of the node's output topics as the cluster reports them through {@code admin}
   * ({@link TopicProvisioner#maxMessageBytes}); a topic it could not describe keeps {@link #assumed}'s limit.
   */
  public static OutputLimits learn(NodeConfig config, Properties streamsProperties, Admin admin) {
    Map<Route, String> topics = DepthTopology.outputTopics(config);
    return of(streamsProperties, producerLimitSet(config), topics,
        TopicProvisioner.maxMessageBytes(admin, topics.values()));
  }

  /**
   * @param producerLimitSet whether the node's settings name the producer's max.request.size (it is then kept)
   * @param topics the topic of each route
   * @param maxMessageBytes the max.message.bytes of the topics that are known
   */
  static OutputLimits of(Properties streamsProperties, boolean producerLimitSet, Map<Route, String> topics,
      Map<String, Integer> maxMessageBytes) {
    int producerBytes = DepthTopology.maxRequestBytes(streamsProperties);
    int largestTopic = 0;
    Map<Route, Integer> valueBytes = new EnumMap<>(Route.class);
    Map<Route, String> source = new EnumMap<>(Route.class);
    for (Route route : Route.values()) {
      String topic = topics.get(route);
      Integer topicBytes = topic == null ? null : maxMessageBytes.get(topic);
      if (topicBytes != null) {
        int usable = Math.min(topicBytes, TopicLimits.FLOAT32_MAX_BYTES);
        largestTopic = Math.max(largestTopic, usable);
        if (!producerLimitSet || producerBytes >= usable) {
          valueBytes.put(route, value(usable));
          source.put(route, "topic " + topic + "'s max.message.bytes (" + topicBytes + ")");
          continue;
        }
      }
      // The topic's limit is unknown, or a producer limit set below it is what holds.
      valueBytes.put(route, value(producerBytes));
      source.put(route, "the producer's max.request.size (" + producerBytes + ")");
    }
    int request = producerLimitSet ? producerBytes : Math.max(producerBytes, largestTopic);
    return new OutputLimits(valueBytes, source, topics.isEmpty() ? EnumSet.allOf(Route.class) : topics.keySet(),
        request);
  }

  private static int value(int recordBytes) {
    return Math.max(TopicLimits.MIN_VALUE_BYTES, recordBytes - DepthTopology.RECORD_HEADROOM_BYTES);
  }

  private static boolean producerLimitSet(NodeConfig config) {
    Properties kafka = config.kafkaProperties();
    return kafka.containsKey(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))
        || kafka.containsKey(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
  }

  /** The largest value {@code route} may carry: its limit less the record's headroom. */
  int valueBytes(Route route) {
    return valueBytes.get(route);
  }

  /** Where {@code route}'s limit comes from, for a dead letter's message. */
  String source(Route route) {
    return source.get(route);
  }

  /** The producer's max.request.size that lets every route's largest value through. */
  public int producerRequestBytes() {
    return producerRequestBytes;
  }

  /** The producer's limit and each route's value limit, with where it comes from. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("producer max.request.size ").append(producerRequestBytes);
    routes.forEach(route -> s.append("; ").append(route.branch()).append(' ').append(valueBytes.get(route))
        .append(" from ").append(source.get(route)));
    return s.toString();
  }
}
