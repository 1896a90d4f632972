package io.depthstream.streams.topology;

import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.codec.DenseDepthEncoder;
import io.depthstream.streams.codec.FocalStackDecoder;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.guidance.GuidanceComputer;
import io.depthstream.streams.guidance.GuidanceSettings;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.topology.Routed.Route;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The node's topology: raw frames from each of the LiDAR, RGB-D and vSLAM topics go through a reconstruct
 * processor of their own, whose outputs are routed to the shared dense-depth, guidance and dead-letter topics.
 *
 * <pre>
 *  depth.raw.<kind> ─▶ reconstruct-<kind> ─┬─▶ depth.dense          (one sub-topology per raw topic)
 *                                          ├─▶ nav.guidance
 *                                          └─▶ depth.dlq            (original bytes + depthstream.error.* headers)
 *  focalstack.raw ─▶ reconstruct-focalstack.raw ─▶ (the same three routes; FocalStack in, focal-stack model)
 * </pre>
 *
 * Values are read as bytes so that no record can fail in a deserializer: corrupt frames reach the processor and
 * are dead-lettered with a reason instead of stopping the stream.
 */
public final class DepthTopology {
  private DepthTopology() {}

  /**
   * Adds the topology to {@code builder}: one sub-topology per depth-frame topic and, when focal stacks are
   * enabled ({@value NodeConfig#METHOD_FOCAL} is not none), one for the focal-stack topic.
   */
  public static void buildTopology(StreamsBuilder builder, NodeConfig config, ReconstructorFactory factory,
      FocalStackFactory focalFactory, NodeMetrics metrics) {
    Map<SensorKind, String> methods = methodsByKind(config);
    Map<SensorKind, Long> budgets = budgetsByKind(config);
    GuidanceSettings guidanceSettings = guidanceSettings(config);
    boolean float32 = NodeConfig.ENCODING_FLOAT32_M.equals(config.getString(NodeConfig.OUTPUT_ENCODING));
    int maxPixels = config.getInt(NodeConfig.FRAME_MAX_PIXELS);
    double maxDepth = config.getDouble(NodeConfig.FRAME_MAX_DEPTH_M);

    // One sub-topology (so one task per partition) per raw topic: a slow LiDAR frame never holds back the
    // Kinect frames behind it, and the stream threads share the sensors out between them.
    for (String topic : config.depthFrameTopics()) {
      route(builder, config, topic, () -> new ReconstructProcessor(methods, budgets, factory,
          new FrameDecoder(maxPixels, maxDepth), new DenseDepthEncoder(float32),
          new GuidanceComputer(guidanceSettings), metrics));
    }
    if (config.focalStacksEnabled()) {
      String model = config.getString(NodeConfig.METHOD_FOCAL);
      long budget = budgetNanos(config.getLong(NodeConfig.REALTIME_BUDGET_MS_FOCAL),
          config.getLong(NodeConfig.REALTIME_BUDGET_MS));
      route(builder, config, config.getString(NodeConfig.TOPIC_RAW_FOCAL), () -> new FocalStackProcessor(model,
          budget, focalFactory, new FocalStackDecoder(maxPixels), new DenseDepthEncoder(float32),
          new GuidanceComputer(guidanceSettings), metrics));
    }
  }

  /** raw topic -> processor -> dense / guidance / dead-letter topics. */
  private static void route(StreamsBuilder builder, NodeConfig config, String topic,
      ProcessorSupplier<String, byte[], String, Routed> processor) {
    Produced<String, byte[]> bytes = Produced.with(Serdes.String(), Serdes.ByteArray());
    KStream<String, byte[]> raw =
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-" + topic));
    Map<String, KStream<String, Routed>> routes = raw
        .process(processor, Named.as("reconstruct-" + topic))
        .split(Named.as("route-" + topic + "-"))
        .branch((k, v) -> v.route() == Route.DENSE, Branched.as("dense"))
        .branch((k, v) -> v.route() == Route.GUIDANCE, Branched.as("guidance"))
        .branch((k, v) -> v.route() == Route.DEAD_LETTER, Branched.as("dead-letter"))
        .noDefaultBranch();
    routes.get("route-" + topic + "-dense").mapValues(Routed::value)
        .to(config.getString(NodeConfig.TOPIC_DENSE), bytes);
    routes.get("route-" + topic + "-guidance").mapValues(Routed::value)
        .to(config.getString(NodeConfig.TOPIC_GUIDANCE), bytes);
    routes.get("route-" + topic + "-dead-letter").mapValues(Routed::value)
        .to(config.getString(NodeConfig.TOPIC_DLQ), bytes);
  }

  /** The consumer group session timeout the node uses unless session.timeout.ms is set (milliseconds). */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  /** Kafka Streams properties: the pass-through Kafka settings plus what the topology needs. */
  public static Properties streamsProperties(NodeConfig config) {
    Properties props = new Properties();
    // Latency first: a robot wants each frame as soon as it is ready, not batched.
    props.put(StreamsConfig.producerPrefix("linger.ms"), "0");
    props.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
    props.put("processing.exception.handler.global.enabled", "true");
    if (config.staticMembership()) {
      // A restarted node with the same group.instance.id takes its partitions back at once; a new dynamic member
      // waits until the coordinator expires the old member's session (30-45 s of no output, RELIABILITY.md).
      // Kafka Streams appends -<thread index> per stream thread. An explicit group.instance.id still wins.
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
    }
    // How long a crashed member keeps its partitions before the group gives them to another instance: 10 s instead
    // of the consumer's 45 s. A static member that restarts within it takes them back without any rebalance.
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
    if (NodeConfig.ENCODING_FLOAT32_M.equals(config.getString(NodeConfig.OUTPUT_ENCODING))) {
      // float32 640x480 is 1.2 MB: raise the producer's limit (checked before compression) to match the topics.
      props.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(TopicLimits.FLOAT32_MAX_BYTES));
    }
    props.putAll(config.kafkaProperties());
    return props;
  }

  /** Sensor kind to method name, from the method.* settings. */
  public static Map<SensorKind, String> methodsByKind(NodeConfig config) {
    Map<SensorKind, String> methods = new EnumMap<>(SensorKind.class);
    methods.put(SensorKind.SENSOR_KIND_LIDAR, config.getString(NodeConfig.METHOD_LIDAR));
    methods.put(SensorKind.SENSOR_KIND_RGBD, config.getString(NodeConfig.METHOD_RGBD));
    methods.put(SensorKind.SENSOR_KIND_VSLAM, config.getString(NodeConfig.METHOD_VSLAM));
    return methods;
  }

  /** Sensor kind to real-time budget in nanoseconds (0 = no budget), from the realtime.budget.ms settings. */
  static Map<SensorKind, Long> budgetsByKind(NodeConfig config) {
    long fallback = config.getLong(NodeConfig.REALTIME_BUDGET_MS);
    Map<SensorKind, Long> budgets = new EnumMap<>(SensorKind.class);
    budgets.put(SensorKind.SENSOR_KIND_LIDAR, budgetNanos(config.getLong(NodeConfig.REALTIME_BUDGET_MS_LIDAR), fallback));
    budgets.put(SensorKind.SENSOR_KIND_RGBD, budgetNanos(config.getLong(NodeConfig.REALTIME_BUDGET_MS_RGBD), fallback));
    budgets.put(SensorKind.SENSOR_KIND_VSLAM, budgetNanos(config.getLong(NodeConfig.REALTIME_BUDGET_MS_VSLAM), fallback));
    return budgets;
  }

  private static long budgetNanos(long kindMs, long fallbackMs) {
    return (kindMs >= 0 ? kindMs : fallbackMs) * 1_000_000L;
  }

  static GuidanceSettings guidanceSettings(NodeConfig config) {
    return new GuidanceSettings(
        config.getInt(NodeConfig.GUIDANCE_SECTORS),
        config.getDouble(NodeConfig.GUIDANCE_ROW_BEGIN),
        config.getDouble(NodeConfig.GUIDANCE_ROW_END),
        config.getDouble(NodeConfig.GUIDANCE_RANGE_MIN_M),
        config.getDouble(NodeConfig.GUIDANCE_RANGE_MAX_M),
        config.getDouble(NodeConfig.GUIDANCE_CORRIDOR_HALF_WIDTH_M),
        config.getDouble(NodeConfig.GUIDANCE_ALERT_DISTANCE_M));
  }
}
