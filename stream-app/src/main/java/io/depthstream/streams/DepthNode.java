package io.depthstream.streams;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.focus.FocalStackEstimator;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.inference.ModelLoadException;
import io.depthstream.inference.ResidualCorrection;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeHealth;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.metrics.PrometheusEndpoint;
import io.depthstream.streams.metrics.RuntimeMeters;
import io.depthstream.streams.topology.DepthTopology;
import io.depthstream.streams.topology.FocalStackFactory;
import io.depthstream.streams.topology.OutputLimits;
import io.depthstream.streams.topology.PathWarmUp;
import io.depthstream.streams.topology.ProductionErrorHandler;
import io.depthstream.streams.topology.ReconstructorFactory;
import io.depthstream.streams.topology.TopicProvisioner;
import io.depthstream.streams.view.LiveView;
import io.depthstream.streams.view.ViewHandler;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the Kafka Streams topology, its meters and the Prometheus endpoint, with one owner.
 * {@link #start} validates everything that can be validated before connecting, so a bad setting fails at
 * start-up with the key named; then it connects once ({@link ClusterCheck}), so wrong credentials or an
 * unreachable cluster fail at start-up too, with one message.
 */
public final class DepthNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DepthNode.class);

  private final KafkaStreams streams;
  private final PrometheusMeterRegistry registry;
  private final KafkaStreamsMetrics streamsMetrics;
  private final RuntimeMeters runtimeMeters;
  private final NodeHealth health;
  private final PrometheusEndpoint endpoint;
  private final LiveView view;
  private final List<DepthReconstructor> warmedUp;
  private final FocalStackEstimator warmedUpFocal;
  private final CompletableFuture<String> stoppedByCluster;
  private final AssignmentWait assignmentWait;
  private final CloseOptions.GroupMembershipOperation onClose;
  private boolean closed;

  private DepthNode(KafkaStreams streams, PrometheusMeterRegistry registry, KafkaStreamsMetrics streamsMetrics,
      RuntimeMeters runtimeMeters, NodeHealth health, PrometheusEndpoint endpoint, LiveView view,
      List<DepthReconstructor> warmedUp,
      FocalStackEstimator warmedUpFocal, CompletableFuture<String> stoppedByCluster, AssignmentWait assignmentWait,
      CloseOptions.GroupMembershipOperation onClose) {
    this.runtimeMeters = runtimeMeters;
    this.health = health;
    this.stoppedByCluster = stoppedByCluster;
    this.streams = streams;
    this.onClose = onClose;
    this.assignmentWait = assignmentWait;
    this.warmedUp = warmedUp;
    this.warmedUpFocal = warmedUpFocal;
    this.registry = registry;
    this.streamsMetrics = streamsMetrics;
    this.endpoint = endpoint;
    this.view = view;
  }

  /**
   * The method catalog of a configuration: the classical methods and the ONNX models of
   * {@value NodeConfig#MODELS_DIR} by role, with the inference.* settings and the fast models' density fallback
   * ({@value NodeConfig#FAST_FALLBACK_DENSITY}) and residual correction ({@value NodeConfig#FAST_RESIDUAL}). Every
   * instance of one model that it creates (one per stream task) shares one ONNX Runtime session.
   *
   * @throws ConfigException naming the inference setting that is invalid
   */
  static MethodCatalog catalog(NodeConfig config) {
    return new MethodCatalog(config.modelsDir(), inference(config), config.getDouble(NodeConfig.FAST_FALLBACK_DENSITY),
        ResidualCorrection.Settings.parse(config.getString(NodeConfig.FAST_RESIDUAL)));
  }

  /**
   * The depth-method factory of a configuration ({@link MethodCatalog#createDepth}): classical methods by name and
   * the fast-interpolation and super-resolution models of {@value NodeConfig#MODELS_DIR} by file stem.
   *
   * @throws ConfigException naming the inference setting that is invalid
   */
  public static ReconstructorFactory methods(NodeConfig config) {
    return catalog(config)::createDepth;
  }

  /**
   * Refuses a configuration whose {@code depthstream.method.*} names no method, without loading any model: what a
   * command checks before it starts anything else (the demo before it renders its drive). {@link #start} still
   * loads and warms up every method, and so finds a model of the wrong role or a file that is no model.
   *
   * @throws ConfigException naming the key and listing the methods of each role
   */
  public static void checkMethodNames(NodeConfig config) {
    MethodCatalog catalog = catalog(config);
    List<String> keys = new java.util.ArrayList<>(
        List.of(NodeConfig.METHOD_LIDAR, NodeConfig.METHOD_RGBD, NodeConfig.METHOD_VSLAM));
    if (config.focalStacksEnabled()) {
      keys.add(NodeConfig.METHOD_FOCAL);
    }
    if (config.getLong(NodeConfig.REALTIME_OVERLOAD_MS) > 0) {
      keys.add(NodeConfig.REALTIME_OVERLOAD_METHOD);
    }
    for (String key : keys) {
      String name = config.getString(key);
      try {
        catalog.requireKnown(name, key.equals(NodeConfig.METHOD_FOCAL) ? MethodCatalog.Role.FOCAL_STACK
            : MethodCatalog.Role.DEPTH);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, name, e.getMessage());
      }
    }
  }

  /**
   * The focal-stack estimator factory of a configuration ({@link MethodCatalog#openFocalStack}): the classical
   * depth from focus and the focal-stack models of {@value NodeConfig#MODELS_DIR} by file stem.
   *
   * @throws ConfigException naming the inference setting that is invalid
   */
  public static FocalStackFactory focalStacks(NodeConfig config) {
    return catalog(config)::openFocalStack;
  }

  /** The ONNX Runtime settings of a configuration (threads, provider, CUDA, spinning, micro-batching). */
  static InferenceSettings inference(NodeConfig config) {
    try {
      return new InferenceSettings(
          config.getInt(NodeConfig.INFERENCE_THREADS_INTRA),
          config.getInt(NodeConfig.INFERENCE_THREADS_INTER),
          InferenceSettings.ExecutionProvider.parse(NodeConfig.INFERENCE_PROVIDER,
              config.getString(NodeConfig.INFERENCE_PROVIDER)),
          config.getInt(NodeConfig.INFERENCE_CUDA_DEVICE),
          config.getLong(NodeConfig.INFERENCE_GPU_MEM_LIMIT_BYTES),
          InferenceSettings.ArenaStrategy.parse(NodeConfig.INFERENCE_ARENA_STRATEGY,
              config.getString(NodeConfig.INFERENCE_ARENA_STRATEGY)),
          InferenceSettings.OptimizationLevel.parse(NodeConfig.INFERENCE_OPTIMIZATION,
              config.getString(NodeConfig.INFERENCE_OPTIMIZATION)),
          config.getBoolean(NodeConfig.INFERENCE_SPINNING),
          config.getInt(NodeConfig.INFERENCE_BATCH_MAX),
          config.getLong(NodeConfig.INFERENCE_BATCH_LINGER_MS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /**
   * Checks the method names, then that the cluster accepts the node's client settings, then loads and warms up every
   * configured method, runs synthetic frames through the whole frame path ({@link PathWarmUp}), creates missing
   * topics when enabled, and starts the topology.
   *
   * @throws ConfigException naming the key of a bad setting, or saying that authentication or the TLS handshake
   *     failed or that no broker answered (with the user and {@code bootstrap.servers})
   */
  public static DepthNode start(NodeConfig config, ReconstructorFactory factory) {
    return start(config, factory, focalStacks(config));
  }

  /** As {@link #start(NodeConfig, ReconstructorFactory)}, with the focal-stack estimators from {@code focalFactory}. */
  public static DepthNode start(NodeConfig config, ReconstructorFactory factory, FocalStackFactory focalFactory) {
    // Method names first (no network needed to reject one), then the cluster, before the models load: an
    // unreachable broker is then one line, not a screen of model warm-up logs ending in the error.
    checkMethodNames(config);
    ClusterCheck.verify(config);
    // Before the warm-ups make the Kafka clients hot: the directive only affects compilations after it (the cluster
    // check's few requests compile nothing with C2). After the check, so a start that fails there says one line.
    JitDirectives.compileWithC1Only(config.getList(NodeConfig.JIT_C1_PACKAGES));
    // The Kafka client warm-up shares nothing with the models' and the frame path's: it runs beside them, so a
    // (re)started node is ready sooner by the shorter of the two instead of after their sum.
    // The warm-up reads these; the node adds its own entries only after awaiting it (awaitClientWarmUp).
    Properties props = DepthTopology.streamsProperties(config);
    FutureTask<ClientPathWarmUp.Result> clientWarmUp = new FutureTask<>(() -> ClientPathWarmUp.run(config, props));
    Thread clientWarmUpThread = new Thread(clientWarmUp, "depthstream-client-warmup");
    clientWarmUpThread.setDaemon(true);
    clientWarmUpThread.start();
    List<DepthReconstructor> warmedUp = List.of();
    FocalStackEstimator focal = null;
    try {
      warmedUp = checkMethods(config, factory);
      focal = checkFocalMethod(config, focalFactory);
      List<PathWarmUp.Result> pathWarmUp = PathWarmUp.run(config, factory);
      if (!pathWarmUp.isEmpty()) {
        LOG.info("frame path warmed up ({} = {} synthetic frames per size, nothing published): {}",
            NodeConfig.WARMUP_FRAMES, config.getInt(NodeConfig.WARMUP_FRAMES), pathWarmUp);
      }
      return start(config, props, factory, focalFactory, warmedUp, focal, clientWarmUp);
    } catch (RuntimeException e) {
      clientWarmUp.cancel(true);
      warmedUp.forEach(DepthReconstructor::close);
      if (focal != null) {
        focal.close();
      }
      throw e;
    }
  }

  private static DepthNode start(NodeConfig config, Properties props, ReconstructorFactory factory,
      FocalStackFactory focalFactory, List<DepthReconstructor> warmedUp, FocalStackEstimator focal,
      FutureTask<ClientPathWarmUp.Result> clientWarmUp) {
    // Each output is checked against its own topic's limit, and the producer lets the largest through: a 1280x720
    // RGB-D frame (1.8 MB in uint16) reaches a topic made for it instead of being refused at Kafka's 1 MiB default.
    OutputLimits limits;
    try (Admin admin = TopicProvisioner.admin(config)) {
      if (config.getBoolean(NodeConfig.TOPICS_CREATE)) {
        TopicProvisioner.createMissing(config, admin);
      }
      limits = OutputLimits.learn(config, props, admin);
    }
    awaitClientWarmUp(config, clientWarmUp);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        Integer.toString(limits.producerRequestBytes()));
    LOG.info("output limits (bytes per value): {}", limits);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeMetrics metrics = new NodeMetrics(registry);
    props.put(ProductionErrorHandler.METRICS_CONFIG, metrics);
    // The builder gets the same properties, so topology-level settings apply (and Streams does not build and
    // warn about a default configuration of its own).
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    int port = config.getInt(NodeConfig.METRICS_PORT);
    // The view is served on the endpoint's port, so without the endpoint there is no view.
    LiveView view = port != 0 && config.getBoolean(NodeConfig.VIEW_ENABLED)
        ? LiveView.create(config.getInt(NodeConfig.VIEW_RATE_HZ), System::nanoTime)
        : LiveView.OFF;
    DepthTopology.buildTopology(builder, config, factory, focalFactory, metrics, view, limits);
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    CompletableFuture<String> stoppedByCluster = new CompletableFuture<>();
    streams.setUncaughtExceptionHandler(e -> {
      // Frame-level errors never get here (they are dead-lettered); this is infrastructure failing.
      Throwable refused = ClusterCheck.accessRefused(e);
      if (refused != null) {
        // A missing ACL or revoked credentials: a new thread would fail the same way, several times a second.
        String reason = ClusterCheck.refusedAfterStart(config, refused);
        LOG.error("stopping the node: {}", reason);
        stoppedByCluster.complete(reason);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      LOG.error("stream thread failed, replacing it", e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    // The Kafka Streams clients' own metrics (consumer lag, fetch and produce rates, per thread and task).
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    RuntimeMeters runtimeMeters = RuntimeMeters.bindTo(registry);
    NodeHealth health = new NodeHealth(streams::state, loadedMethods(config, warmedUp, focal));
    health.bindTo(registry);
    PrometheusEndpoint endpoint;
    try {
      endpoint = port == 0 ? null : PrometheusEndpoint.start(registry, health, port,
          view.enabled() ? new ViewHandler(view, registry, System::nanoTime).contexts() : Map.of());
    } catch (RuntimeException e) {
      runtimeMeters.close();
      streamsMetrics.close();
      streams.close();
      throw e;
    }
    String group = "group " + props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + " ("
        + membership(props) + ")";
    AssignmentWait assignmentWait = new AssignmentWait(group, ASSIGNMENT_WAIT_LOG_INTERVAL);
    streams.setStateListener(assignmentWait);
    skipStaleBacklog(config, props, metrics);
    streams.start();
    LOG.info("depthstream node started: inputs {}, metrics {}, live view {}; waiting for partition assignment of {}",
        config.rawTopics(), endpoint == null ? "off" : "http://localhost:" + endpoint.port() + "/metrics",
        endpoint == null || !view.enabled() ? "off" : "http://localhost:" + endpoint.port() + "/view/", group);
    CloseOptions.GroupMembershipOperation onClose = config.getBoolean(NodeConfig.LEAVE_GROUP_ON_CLOSE)
        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
    return new DepthNode(streams, registry, streamsMetrics, runtimeMeters, health, endpoint, view, warmedUp, focal,
        stoppedByCluster, assignmentWait, onClose);
  }

  /**
   * Moves the group past the raw records already older than the real-time budget ({@link StaleBacklogSkip}), as late
   * as possible before the stream threads fetch: after the warm-ups, so a restart's backlog is not served late.
   */
  private static void skipStaleBacklog(NodeConfig config, Properties streamsProperties, NodeMetrics metrics) {
    StaleBacklogSkip.Result result = StaleBacklogSkip.run(config, streamsProperties, System::currentTimeMillis);
    if (result == null) {
      return; // off, or no real-time budget
    }
    if (result.notDone() != null) {
      LOG.info("starting at the group's committed positions ({} not done: {})",
          NodeConfig.REALTIME_START_SKIP_STALE, result.notDone());
      return;
    }
    result.skippedByTopic().forEach(metrics::staleAtStart);
    if (result.total() > 0) {
      LOG.info("starting past the stale backlog: {} raw records older than the real-time budget moved past, never "
          + "fetched ({})", result.total(), result.skippedByTopic());
    }
  }

  /**
   * Waits for the Kafka clients' start-up warm-up ({@link ClientPathWarmUp}), which ran beside the models' and the frame
   * path's; it ends by itself within its time limit and never fails a start.
   */
  private static void awaitClientWarmUp(NodeConfig config, FutureTask<ClientPathWarmUp.Result> clientWarmUp) {
    ClientPathWarmUp.Result clients;
    try {
      clients = clientWarmUp.get();
    } catch (InterruptedException e) {
      clientWarmUp.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the Kafka clients warmed up", e);
    } catch (ExecutionException e) {
      LOG.warn("Kafka client warm-up failed, the node starts with cold clients: {}", e.getCause().toString());
      return;
    }
    if (clients != null) {
      LOG.info("Kafka clients warmed up ({} = {}, nothing of it reaches the node's topics): {}",
          NodeConfig.WARMUP_RECORDS, config.getInt(NodeConfig.WARMUP_RECORDS), clients);
    }
  }

  /**
   * What /ready lists: each depth kind's method (in {@link #checkMethods}' order, which is the order of
   * {@code warmedUp}) and the focal-stack method when focal stacks are on, with their model versions.
   */
  private static List<NodeHealth.Method> loadedMethods(NodeConfig config, List<DepthReconstructor> warmedUp,
      FocalStackEstimator focal) {
    List<NodeHealth.Method> methods = new ArrayList<>();
    for (int i = 0; i < warmedUp.size(); i++) {
      String key = DEPTH_METHOD_KEYS.get(i);
      methods.add(new NodeHealth.Method(key, config.getString(key), warmedUp.get(i).modelVersion()));
    }
    if (focal != null) {
      methods.add(new NodeHealth.Method(NodeConfig.METHOD_FOCAL, config.getString(NodeConfig.METHOD_FOCAL),
          focal.version()));
    }
    return methods;
  }

  /** The depth kinds' method settings, in the order {@link #checkMethods} opens them. */
  private static final List<String> DEPTH_METHOD_KEYS =
      List.of(NodeConfig.METHOD_LIDAR, NodeConfig.METHOD_RGBD, NodeConfig.METHOD_VSLAM);

  /** How often a node that has no partitions yet says that it is still waiting for them. */
  private static final Duration ASSIGNMENT_WAIT_LOG_INTERVAL = Duration.ofSeconds(5);

  private static String membership(Properties props) {
    String protocol = props.getProperty(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
    String instance = props.getProperty(StreamsConfig.consumerPrefix("group.instance.id"),
        props.getProperty("group.instance.id"));
    // Kafka Streams gives each stream thread's consumer the id <group.instance.id>-<thread index>.
    return "group.protocol=" + protocol
        + (instance == null ? ", dynamic membership" : ", group.instance.id=" + instance);
  }

  /**
   * Creates each configured method once, so an unknown name fails now and names its key, and runs it on a
   * synthetic frame a few times so the JIT has compiled its hot loops before the first real frame arrives.
   *
   * @return the warmed-up instances, open: the node holds them until it closes, so a model's shared ONNX Runtime
   *     session (one per model file, reference-counted) stays loaded for the stream tasks instead of being
   *     released here and loaded again when the first frame arrives
   */
  static List<DepthReconstructor> checkMethods(NodeConfig config, ReconstructorFactory factory) {
    DepthMap input = warmUpFrame();
    DepthMap verySparse = verySparseWarmUpFrame();
    DepthMap output = DepthMap.allocate(input.width(), input.height());
    List<DepthReconstructor> open = new ArrayList<>();
    for (String key : DEPTH_METHOD_KEYS) {
      String name = config.getString(key);
      try {
        DepthReconstructor method = factory.create(name);
        open.add(method);
        int f = method.scaleFactor();
        DepthMap in = f == 1 ? input : DepthMap.allocate(input.width() / f, input.height() / f);
        if (f != 1) {
          fillSparse(in);
        }
        DepthMap out = f == 1 ? output : DepthMap.allocate(in.width() * f, in.height() * f);
        long start = System.nanoTime();
        for (int i = 0; i < WARM_UP_RUNS; i++) {
          // Every other same-size run on a frame below the fast path's density fallback, so the linear
          // interpolation a fast model hands such frames to is compiled before the first sparse frame too.
          method.reconstruct(f == 1 && i % 2 == 1 ? verySparse : in, out);
        }
        LOG.info("{} = {}{}: ready (warm-up {} ms)", key, name,
            method.modelVersion().isEmpty() ? "" : " (model " + method.modelVersion() + ")",
            (System.nanoTime() - start) / 1_000_000);
      } catch (IllegalArgumentException | ModelLoadException e) {
        open.forEach(DepthReconstructor::close);
        throw new ConfigException(key, name, e.getMessage());
      } catch (RuntimeException e) {
        open.forEach(DepthReconstructor::close);
        throw e;
      }
    }
    return open;
  }

  private static final int WARM_UP_RUNS = 12;

  /** Focal-stack warm-up: a small stack (the cost grows with the pixels and the slices). */
  private static final int FOCAL_WARM_UP_W = 64;

  private static final int FOCAL_WARM_UP_H = 48;
  private static final int FOCAL_WARM_UP_T = 3;
  private static final int FOCAL_WARM_UP_RUNS = 3;

  /**
   * Opens the configured focal-stack estimator ({@value NodeConfig#METHOD_FOCAL}) once, so a missing or
   * incompatible model fails now and names its key, and runs it a few times on a small synthetic stack.
   *
   * @return the warmed-up estimator, open (held by the node so a model's shared session stays loaded), or null
   *     when focal stacks are off
   */
  static FocalStackEstimator checkFocalMethod(NodeConfig config, FocalStackFactory factory) {
    if (!config.focalStacksEnabled()) {
      return null;
    }
    String name = config.getString(NodeConfig.METHOD_FOCAL);
    FocalStackEstimator runner;
    try {
      runner = factory.open(name);
    } catch (IllegalArgumentException | ModelLoadException e) {
      throw new ConfigException(NodeConfig.METHOD_FOCAL, name, e.getMessage());
    }
    try {
      int plane = FOCAL_WARM_UP_W * FOCAL_WARM_UP_H;
      float[] stack = new float[FOCAL_WARM_UP_T * 3 * plane];
      for (int i = 0; i < stack.length; i++) {
        stack[i] = (i % 97) / 96f; // a texture with edges, in [0, 1]
      }
      float[] focus = {0.5f, 1.5f, 4f};
      DepthMap out = DepthMap.allocate(FOCAL_WARM_UP_W, FOCAL_WARM_UP_H);
      long start = System.nanoTime();
      for (int i = 0; i < FOCAL_WARM_UP_RUNS; i++) {
        runner.estimate(stack, focus, FOCAL_WARM_UP_T, FOCAL_WARM_UP_H, FOCAL_WARM_UP_W, out);
      }
      LOG.info("{} = {}{}: ready (warm-up {} ms)", NodeConfig.METHOD_FOCAL, name,
          runner.version().isEmpty() ? " (classical)" : " (model " + runner.version() + ")",
          (System.nanoTime() - start) / 1_000_000);
      return runner;
    } catch (RuntimeException e) {
      runner.close();
      throw new ConfigException(NodeConfig.METHOD_FOCAL, name, "warm-up failed: " + e.getMessage());
    }
  }

  /** A 320x240 slanted plane sampled on every 7th pixel: sparse enough to exercise every filling stage. */
  private static DepthMap warmUpFrame() {
    DepthMap frame = DepthMap.allocate(320, 240);
    fillSparse(frame);
    return frame;
  }

  /** 0.2 % of the pixels measured: below the default {@value NodeConfig#FAST_FALLBACK_DENSITY} of 1 %. */
  private static DepthMap verySparseWarmUpFrame() {
    DepthMap frame = DepthMap.allocate(320, 240);
    float[] d = frame.data();
    for (int i = 0; i < d.length; i += 499) {
      d[i] = 2f + (i % frame.width()) * 0.01f;
    }
    return frame;
  }

  private static void fillSparse(DepthMap frame) {
    float[] d = frame.data();
    int w = frame.width();
    for (int i = 0; i < d.length; i += 7) {
      d[i] = 2f + (i % w) * 0.01f + (i / w) * 0.02f;
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Completes with the reason (one line) when the node stopped itself because the cluster refused its principal
   * after start-up: a missing ACL or credentials no longer valid. Other infrastructure failures replace the stream
   * thread instead and never complete it.
   */
  public CompletionStage<String> stoppedByCluster() {
    return stoppedByCluster.minimalCompletionStage();
  }

  /** Completes when Kafka Streams first reaches RUNNING: the node owns its partitions and serves. */
  public CompletionStage<Void> firstRunning() {
    return assignmentWait.firstRunning();
  }

  /** Liveness and readiness, as {@code /health} and {@code /ready} answer them. */
  public NodeHealth health() {
    return health;
  }

  /**
   * The live view's address on this host ({@code http://localhost:<port>/view/}), or null when the view is off
   * ({@value NodeConfig#VIEW_ENABLED} false or the endpoint off).
   */
  public String viewUrl() {
    return endpoint == null || !view.enabled() ? null : "http://localhost:" + endpoint.port() + "/view/";
  }

  /** The metrics port actually bound, or -1 when the endpoint is off. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /**
   * Stops the topology (committing its progress; leaving the group unless {@value NodeConfig#LEAVE_GROUP_ON_CLOSE}
   * is false), the endpoint and the meters; safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.closing();
    streams.close(CloseOptions.groupMembershipOperation(onClose).withTimeout(Duration.ofSeconds(30)));
    assignmentWait.close();
    warmedUp.forEach(DepthReconstructor::close);
    if (warmedUpFocal != null) {
      warmedUpFocal.close();
    }
    streamsMetrics.close();
    runtimeMeters.close();
    if (endpoint != null) {
      endpoint.close();
    }
    registry.close();
  }
}
