package io.depthstream.streams.topology;

import io.depthstream.proto.kafka.WallClock;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.codec.DecodedFrame;
import io.depthstream.streams.codec.DenseDepthEncoder;
import io.depthstream.streams.codec.FocalStackDecoder;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.codec.PointCloudEncoder;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.config.SensorStreamSettings;
import io.depthstream.streams.guidance.GuidanceComputer;
import io.depthstream.streams.guidance.GuidanceSettings;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.topology.Routed.Route;
import io.depthstream.streams.view.LiveView;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The node's topology: raw frames from each of the LiDAR, RGB-D and vSLAM topics (and focal stacks) go through a
 * frame processor of their own ({@link FrameProcessor}: admit, decode, estimate, emit), whose outputs are routed
 * to the shared dense-depth, guidance and dead-letter topics.
 *
 * <pre>
 *  depth.raw.<kind> ─▶ reconstruct-<topic> ┬─▶ depth.dense          (one sub-topology per raw topic)
 *                                          ├─▶ nav.guidance
 *                                          ├─▶ depth.dlq            (original bytes + depthstream.error.* headers)
 *                                          ├─▶ depth.points         (only when depthstream.points.enabled)
 *                                          └─▶ foxglove.depth.image, foxglove.depth.calibration, foxglove.nav.scan
 *                                                                   (only when depthstream.foxglove.enabled)
 *  focalstack.raw ─▶ reconstruct-focalstack.raw ─▶ (the same three routes; FocalStack in, focal-stack model)
 * </pre>
 *
 * Values are read as bytes so that no record can fail in a deserializer: corrupt frames reach the processor and
 * are dead-lettered with a reason instead of stopping the stream.
 */
public final class DepthTopology {
  private DepthTopology() {}

  /**
   * Adds the topology to {@code builder}: one sub-topology per sensor kind's raw topic (LiDAR, RGB-D, vSLAM, and
   * focal stacks when {@value NodeConfig#METHOD_FOCAL} is not none), each running the frame path with its kind's
   * method, budget and output encoding.
   */
  public static void buildTopology(StreamsBuilder builder, NodeConfig config, ReconstructorFactory factory,
      FocalStackFactory focalFactory, NodeMetrics metrics) {
    buildTopology(builder, config, factory, focalFactory, metrics, LiveView.OFF);
  }

  /**
   * As {@link #buildTopology(StreamsBuilder, NodeConfig, ReconstructorFactory, FocalStackFactory, NodeMetrics)},
   * offering every published frame to {@code view} (the live view; {@link LiveView#OFF} for none).
   */
  public static void buildTopology(StreamsBuilder builder, NodeConfig config, ReconstructorFactory factory,
      FocalStackFactory focalFactory, NodeMetrics metrics, LiveView view) {
    buildTopology(builder, config, factory, focalFactory, metrics, view, WallClock::nanos);
  }

  /**
   * As {@link #buildTopology(StreamsBuilder, NodeConfig, ReconstructorFactory, FocalStackFactory, NodeMetrics,
   * LiveView)}, with the wall clock (nanoseconds since the epoch) that the real-time policy and publish times read:
   * tests simulate overload in virtual time with it.
   */
  static void buildTopology(StreamsBuilder builder, NodeConfig config, ReconstructorFactory factory,
      FocalStackFactory focalFactory, NodeMetrics metrics, LiveView view, LongSupplier wallClock) {
    buildTopology(builder, config, factory, focalFactory, metrics, view, wallClock,
        OutputLimits.assumed(streamsProperties(config)));
  }

  /**
   * As {@link #buildTopology(StreamsBuilder, NodeConfig, ReconstructorFactory, FocalStackFactory, NodeMetrics,
   * LiveView)}, checking each output against {@code limits} (the output topics' own limits where the node read them
   * from the cluster).
   */
  public static void buildTopology(StreamsBuilder builder, NodeConfig config, ReconstructorFactory factory,
      FocalStackFactory focalFactory, NodeMetrics metrics, LiveView view, OutputLimits limits) {
    buildTopology(builder, config, factory, focalFactory, metrics, view, WallClock::nanos, limits);
  }

  private static void buildTopology(StreamsBuilder builder, NodeConfig config, ReconstructorFactory factory,
      FocalStackFactory focalFactory, NodeMetrics metrics, LiveView view, LongSupplier wallClock,
      OutputLimits limits) {
    Function<SensorStreamSettings, FrameProcessor<?>> processors =
        processors(config, factory, focalFactory, metrics, view, wallClock, limits);
    // One sub-topology (so one task per partition) per raw topic: a slow LiDAR frame never holds back the
    // Kinect frames behind it, and the stream threads share the sensors out between them.
    for (SensorStreamSettings sensor : config.sensorStreams()) {
      metrics.methodConfigured(sensor.method());
      route(builder, config, sensor.topic(), () -> processors.apply(sensor));
    }
  }

  /**
   * The frame processor of a sensor kind, as the topology runs it (one per stream task): its method, decoder,
   * output encoding, guidance, real-time policy and dead-letter route, from the node's settings. The start-up's
   * {@link PathWarmUp} runs the same processors on synthetic frames.
   */
  static Function<SensorStreamSettings, FrameProcessor<?>> processors(NodeConfig config,
      ReconstructorFactory factory, FocalStackFactory focalFactory, NodeMetrics metrics, LiveView view,
      LongSupplier wallClock, OutputLimits limits) {
    GuidanceSettings guidanceSettings = guidanceSettings(config);
    int maxPixels = config.getInt(NodeConfig.FRAME_MAX_PIXELS);
    double maxDepth = config.getDouble(NodeConfig.FRAME_MAX_DEPTH_M);
    long futureToleranceMs = config.getLong(NodeConfig.REALTIME_FUTURE_TOLERANCE_MS);
    boolean support = NodeConfig.SUPPORT_DISTANCE.equals(config.getString(NodeConfig.OUTPUT_SUPPORT));
    long overloadNanos = config.getLong(NodeConfig.REALTIME_OVERLOAD_MS) * 1_000_000L;
    String overloadMethod = config.getString(NodeConfig.REALTIME_OVERLOAD_METHOD);
    return sensor -> {
      // Late frames get the overload method only under the real-time policy: a replay (budget 0) keeps old capture
      // times, and every one of its frames would look late.
      FramePath<? extends DecodedFrame> path = sensor.kind() == SensorKind.SENSOR_KIND_FOCAL_STACK
          ? new FocalStackPath(sensor.method(), focalFactory, new FocalStackDecoder(maxPixels))
          : new DepthFramePath(sensor.method(), factory, new FrameDecoder(sensor.kind(), maxPixels, maxDepth),
              overloadMethod, sensor.budgetNanos() > 0 ? overloadNanos : 0);
      DeadLetters deadLetters = new DeadLetters(limits.valueBytes(Route.DEAD_LETTER));
      DenseOutput out = new DenseOutput(new DenseDepthEncoder(sensor.encoding(), support),
          pointCloudEncoder(config), config.foxgloveEnabled() ? new FoxgloveExport() : null,
          new GuidanceComputer(guidanceSettings), deadLetters, limits, view, wallClock);
      RealtimePolicy policy = new RealtimePolicy(sensor.budgetNanos(),
          futureToleranceMs < 0 ? -1L : futureToleranceMs * 1_000_000L);
      return new FrameProcessor<>(sensor.kind(), sensor.topic(), path, policy, out, deadLetters, metrics,
          wallClock);
    };
  }

  /** The point cloud encoder of {@value NodeConfig#POINTS_ENABLED}'s settings, or null when point clouds are off. */
  static PointCloudEncoder pointCloudEncoder(NodeConfig config) {
    return config.pointsEnabled()
        ? new PointCloudEncoder(config.getInt(NodeConfig.POINTS_DECIMATION),
            config.getInt(NodeConfig.POINTS_SUPPORT_MAX_PX), config.getDouble(NodeConfig.POINTS_RANGE_MAX_M))
        : null;
  }

  /**
   * Headroom between the producer's max.request.size and the largest value the node sends: the key, headers and the
   * record batch's own bytes.
   */
  static final int RECORD_HEADROOM_BYTES = 16 * 1024;

  /** The producer's max.request.size in {@code streamsProperties}, or Kafka's default. */
  static int maxRequestBytes(Properties streamsProperties) {
    String key = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    Object limit = streamsProperties.get(key);
    if (limit == null) {
      key = ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
      limit = streamsProperties.get(key);
    }
    int bytes;
    try {
      bytes = limit == null ? PRODUCER_DEFAULT_MAX_REQUEST_BYTES : Integer.parseInt(limit.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, limit, "must be a whole number of bytes");
    }
    return bytes;
  }

  private static final int PRODUCER_DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

  /**
   * The output topic of each route the node writes, in topology order: dense, guidance and dead letters always, the
   * points topic and the Foxglove export topics when they are on.
   */
  static Map<Route, String> outputTopics(NodeConfig config) {
    Map<Route, String> topics = new EnumMap<>(Route.class);
    topics.put(Route.DENSE, config.getString(NodeConfig.TOPIC_DENSE));
    topics.put(Route.GUIDANCE, config.getString(NodeConfig.TOPIC_GUIDANCE));
    topics.put(Route.DEAD_LETTER, config.getString(NodeConfig.TOPIC_DLQ));
    if (config.pointsEnabled()) {
      topics.put(Route.POINTS, config.getString(NodeConfig.TOPIC_POINTS));
    }
    if (config.foxgloveEnabled()) {
      topics.put(Route.FOXGLOVE_IMAGE, config.getString(NodeConfig.TOPIC_FOXGLOVE_IMAGE));
      topics.put(Route.FOXGLOVE_CALIBRATION, config.getString(NodeConfig.TOPIC_FOXGLOVE_CALIBRATION));
      topics.put(Route.FOXGLOVE_SCAN, config.getString(NodeConfig.TOPIC_FOXGLOVE_SCAN));
    }
    return topics;
  }

  /** raw topic -> processor -> one branch and output topic per route of {@link #outputTopics}. */
  private static void route(StreamsBuilder builder, NodeConfig config, String topic,
      ProcessorSupplier<String, byte[], String, Routed> processor) {
    Produced<String, byte[]> bytes = Produced.with(Serdes.String(), Serdes.ByteArray());
    KStream<String, byte[]> raw =
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-" + topic));
    BranchedKStream<String, Routed> split = raw
        .process(processor, Named.as("reconstruct-" + topic))
        .split(Named.as("route-" + topic + "-"));
    Map<Route, String> outputs = outputTopics(config);
    for (Route route : outputs.keySet()) {
      split.branch((k, v) -> v.route() == route, Branched.as(route.branch()));
    }
    Map<String, KStream<String, Routed>> routes = split.noDefaultBranch();
    outputs.forEach((route, output) -> routes.get("route-" + topic + "-" + route.branch()).mapValues(Routed::value)
        .to(output, bytes));
  }

  /** The consumer group session timeout the node uses unless session.timeout.ms is set (milliseconds). */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  /** Kafka Streams properties: the pass-through Kafka settings plus what the topology needs. */
  public static Properties streamsProperties(NodeConfig config) {
    Properties props = new Properties();
    // Latency first: a robot wants each frame as soon as it is ready, not batched.
    props.put(StreamsConfig.producerPrefix("linger.ms"), "0");
    // No compression by default: lz4 (Kafka's level 9) cost 0.9 ms of stream-thread CPU per 640x480 uint16 frame,
    // 13 % of the fast path's own inference, plus the broker's and every consumer's decompression, to shrink a
    // dense TUM frame to 40 %. On a robot the consumers share the host or its switch; for a constrained link set
    // producer.compression.type=lz4 (or zstd) in the node configuration (BENCHMARKS.md, issue 16).
    props.put(StreamsConfig.producerPrefix("compression.type"), "none");
    // The OS's socket buffers, autotuned, instead of the clients' fixed 64 KB (consumer) and 128 KB (producer): a 0.2-
    // 1.9 MB frame then takes fewer reads, writes and wake-ups of the clients' network loops, 0.3-0.4 ms of the node's
    // CPU a frame in the whole-robot mix (BENCHMARKS.md, issue 16, session 9). It costs kernel socket memory only
    // (up to net.ipv4.tcp_rmem / tcp_wmem's maximum per connection); delivery, CRC checks and acks are unchanged.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.RECEIVE_BUFFER_CONFIG), "-1");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.SEND_BUFFER_CONFIG), "-1");
    props.put("processing.exception.handler.global.enabled", "true");
    // A record the producer cannot write is counted and skipped, never retried forever by replaced stream threads.
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionErrorHandler.class.getName());
    if (config.staticMembership()) {
      // A restarted node with the same group.instance.id takes its partitions back at once; a new dynamic member
      // waits until the coordinator expires the old member's session (30-45 s of no output, RELIABILITY.md).
      // Kafka Streams appends -<thread index> per stream thread. An explicit group.instance.id still wins.
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
    }
    // How long a crashed member keeps its partitions before the group gives them to another instance: 10 s instead
    // of the consumer's 45 s. A static member that restarts within it takes them back without any rebalance.
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
    if (config.anyLongRangeOutput() || NodeConfig.SUPPORT_DISTANCE.equals(config.getString(NodeConfig.OUTPUT_SUPPORT))
        || config.pointsEnabled() || config.foxgloveEnabled()) {
      // float32 640x480 is 1.2 MB, a 1280x720 LiDAR projection in uint16-256 1.8 MB, uint16 1242x375 plus the
      // support channel 1.4 MB, a 640x480 cloud at decimation 1 3.7 MB, a 1242x375 Foxglove 32FC1 image 1.9 MB:
      // raise the producer's limit (checked before compression) to match the topics.
      props.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(TopicLimits.FLOAT32_MAX_BYTES));
    }
    props.putAll(config.kafkaProperties());
    return props;
  }

  /** Sensor kind to method name, from the method.* settings. */
  public static Map<SensorKind, String> methodsByKind(NodeConfig config) {
    Map<SensorKind, String> methods = new EnumMap<>(SensorKind.class);
    config.sensorStreams().forEach(s -> methods.put(s.kind(), s.method()));
    return methods;
  }

  static GuidanceSettings guidanceSettings(NodeConfig config) {
    return new GuidanceSettings(
        config.getInt(NodeConfig.GUIDANCE_SECTORS),
        config.getDouble(NodeConfig.GUIDANCE_ROW_BEGIN),
        config.getDouble(NodeConfig.GUIDANCE_ROW_END),
        config.getDouble(NodeConfig.GUIDANCE_RANGE_MIN_M),
        config.getDouble(NodeConfig.GUIDANCE_RANGE_MAX_M),
        config.getDouble(NodeConfig.GUIDANCE_CORRIDOR_HALF_WIDTH_M),
        config.getDouble(NodeConfig.GUIDANCE_ALERT_DISTANCE_M),
        config.getInt(NodeConfig.GUIDANCE_SUPPORT_MAX_PX),
        config.getDouble(NodeConfig.GUIDANCE_CAMERA_HEIGHT_M) > 0
            ? new GuidanceSettings.GroundPlane(
                config.getDouble(NodeConfig.GUIDANCE_CAMERA_HEIGHT_M),
                config.getDouble(NodeConfig.GUIDANCE_CAMERA_PITCH_DEG),
                config.getDouble(NodeConfig.GUIDANCE_FLOOR_CLEARANCE_M),
                config.getDouble(NodeConfig.GUIDANCE_ROBOT_HEIGHT_M))
            : GuidanceSettings.GroundPlane.OFF);
  }
}
