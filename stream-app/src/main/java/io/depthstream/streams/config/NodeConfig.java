package io.depthstream.streams.config;

import io.depthstream.depth.classical.SparseBlend;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.inference.DensityFallback;
import io.depthstream.inference.ResidualCorrection;
import io.depthstream.inference.InferenceSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import io.depthstream.proto.kafka.Topics;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.codec.OutputEncoding;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The node's typed configuration.
 *
 * <p>Keys that start with {@value #PREFIX} are the node's own, defined here with a type, a default, a validator
 * and documentation; an unknown key under that prefix, or a value that fails its validator, fails start-up with
 * a {@link ConfigException} naming the key. Every other key is a Kafka Streams / client setting
 * ({@code bootstrap.servers}, {@code processing.guarantee}, {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}, {@code producer.*}, ...) and is passed to Kafka Streams untouched, so the node connects to any
 * cluster the way any Kafka client does.
 */
public final class NodeConfig extends AbstractConfig {
  public static final String PREFIX = "depthstream.";

  public static final String TOPIC_RAW_LIDAR = "depthstream.topic.raw.lidar";
  public static final String TOPIC_RAW_RGBD = "depthstream.topic.raw.rgbd";
  public static final String TOPIC_RAW_VSLAM = "depthstream.topic.raw.vslam";
  public static final String TOPIC_RAW_FOCAL = "depthstream.topic.raw.focal";
  public static final String TOPIC_DENSE = "depthstream.topic.dense";
  public static final String TOPIC_GUIDANCE = "depthstream.topic.guidance";
  public static final String TOPIC_DLQ = "depthstream.topic.dlq";
  public static final String TOPIC_POINTS = "depthstream.topic.points";
  public static final String TOPIC_FOXGLOVE_IMAGE = "depthstream.topic.foxglove.image";
  public static final String TOPIC_FOXGLOVE_CALIBRATION = "depthstream.topic.foxglove.calibration";
  public static final String TOPIC_FOXGLOVE_SCAN = "depthstream.topic.foxglove.scan";
  public static final String TOPICS_CREATE = "depthstream.topics.create";
  public static final String TOPICS_PARTITIONS = "depthstream.topics.partitions";
  public static final String TOPICS_REPLICATION = "depthstream.topics.replication.factor";
  public static final String STARTUP_CHECK_TIMEOUT_MS = "depthstream.startup.check.timeout.ms";
  public static final String METHOD_LIDAR = "depthstream.method.lidar";
  public static final String METHOD_RGBD = "depthstream.method.rgbd";
  public static final String METHOD_VSLAM = "depthstream.method.vslam";
  public static final String METHOD_FOCAL = "depthstream.method.focal";
  public static final String OUTPUT_ENCODING = "depthstream.output.encoding";
  public static final String OUTPUT_ENCODING_LIDAR = "depthstream.output.encoding.lidar";
  public static final String OUTPUT_ENCODING_RGBD = "depthstream.output.encoding.rgbd";
  public static final String OUTPUT_ENCODING_VSLAM = "depthstream.output.encoding.vslam";
  public static final String OUTPUT_ENCODING_FOCAL = "depthstream.output.encoding.focal";
  public static final String FRAME_MAX_PIXELS = "depthstream.frame.max.pixels";
  public static final String FRAME_MAX_DEPTH_M = "depthstream.frame.max.depth.m";
  public static final String GUIDANCE_SECTORS = "depthstream.guidance.sectors";
  public static final String GUIDANCE_ROW_BEGIN = "depthstream.guidance.rows.begin";
  public static final String GUIDANCE_ROW_END = "depthstream.guidance.rows.end";
  public static final String GUIDANCE_RANGE_MIN_M = "depthstream.guidance.range.min.m";
  public static final String GUIDANCE_RANGE_MAX_M = "depthstream.guidance.range.max.m";
  public static final String GUIDANCE_CORRIDOR_HALF_WIDTH_M = "depthstream.guidance.corridor.half.width.m";
  public static final String GUIDANCE_ALERT_DISTANCE_M = "depthstream.guidance.alert.distance.m";
  public static final String GUIDANCE_SUPPORT_MAX_PX = "depthstream.guidance.support.max.px";
  public static final String GUIDANCE_CAMERA_HEIGHT_M = "depthstream.guidance.camera.height.m";
  public static final String GUIDANCE_CAMERA_PITCH_DEG = "depthstream.guidance.camera.pitch.deg";
  public static final String GUIDANCE_FLOOR_CLEARANCE_M = "depthstream.guidance.floor.clearance.m";
  public static final String GUIDANCE_ROBOT_HEIGHT_M = "depthstream.guidance.robot.height.m";
  public static final String OUTPUT_SUPPORT = "depthstream.output.support";
  /** {@value #OUTPUT_SUPPORT} values: no support channel, or the per-pixel support distance. */
  public static final String SUPPORT_NONE = "none";
  public static final String SUPPORT_DISTANCE = "distance";
  public static final String METRICS_PORT = "depthstream.metrics.port";
  public static final String POINTS_ENABLED = "depthstream.points.enabled";
  public static final String FOXGLOVE_ENABLED = "depthstream.foxglove.enabled";
  public static final String POINTS_DECIMATION = "depthstream.points.decimation";
  public static final String POINTS_SUPPORT_MAX_PX = "depthstream.points.support.max.px";
  public static final String POINTS_RANGE_MAX_M = "depthstream.points.range.max.m";
  public static final String VIEW_ENABLED = "depthstream.view.enabled";
  public static final String VIEW_RATE_HZ = "depthstream.view.rate.hz";
  public static final String GROUP_MEMBERSHIP = "depthstream.group.membership";
  public static final String INSTANCE_ID = "depthstream.instance.id";
  public static final String LEAVE_GROUP_ON_CLOSE = "depthstream.group.leave.on.close";
  public static final String MODELS_DIR = "depthstream.models.dir";
  public static final String FAST_FALLBACK_DENSITY = "depthstream.fast.fallback.density";
  public static final String FAST_RESIDUAL = "depthstream.fast.residual";
  /**
   * The JVM system property naming the directory a node distribution is installed in; its start script
   * ({@code bin/depthstream-node}) sets it, so the shipped configuration's relative {@value #MODELS_DIR} finds the
   * distribution's {@code models/} from any working directory.
   */
  public static final String HOME_PROPERTY = "depthstream.home";
  public static final String INFERENCE_PROVIDER = "depthstream.inference.provider";
  public static final String INFERENCE_THREADS_INTRA = "depthstream.inference.threads.intra";
  public static final String INFERENCE_THREADS_INTER = "depthstream.inference.threads.inter";
  public static final String INFERENCE_CUDA_DEVICE = "depthstream.inference.cuda.device";
  public static final String INFERENCE_GPU_MEM_LIMIT_BYTES = "depthstream.inference.gpu.mem.limit.bytes";
  public static final String INFERENCE_ARENA_STRATEGY = "depthstream.inference.arena.strategy";
  public static final String INFERENCE_OPTIMIZATION = "depthstream.inference.optimization";
  public static final String INFERENCE_SPINNING = "depthstream.inference.spinning";
  public static final String INFERENCE_BATCH_MAX = "depthstream.inference.batch.max";
  public static final String INFERENCE_BATCH_LINGER_MS = "depthstream.inference.batch.linger.ms";
  public static final String REALTIME_BUDGET_MS = "depthstream.realtime.budget.ms";
  public static final String REALTIME_BUDGET_MS_LIDAR = "depthstream.realtime.budget.ms.lidar";
  public static final String REALTIME_BUDGET_MS_RGBD = "depthstream.realtime.budget.ms.rgbd";
  public static final String REALTIME_BUDGET_MS_VSLAM = "depthstream.realtime.budget.ms.vslam";
  public static final String REALTIME_BUDGET_MS_FOCAL = "depthstream.realtime.budget.ms.focal";
  public static final String REALTIME_FUTURE_TOLERANCE_MS = "depthstream.realtime.future.tolerance.ms";
  public static final String REALTIME_OVERLOAD_MS = "depthstream.realtime.overload.ms";
  public static final String REALTIME_START_SKIP_STALE = "depthstream.realtime.start.skip.stale";
  public static final String REALTIME_OVERLOAD_METHOD = "depthstream.realtime.overload.method";
  public static final String WARMUP_FRAMES = "depthstream.warmup.frames";
  public static final String WARMUP_SIZES_LIDAR = "depthstream.warmup.sizes.lidar";
  public static final String WARMUP_SIZES_RGBD = "depthstream.warmup.sizes.rgbd";
  public static final String WARMUP_SIZES_VSLAM = "depthstream.warmup.sizes.vslam";
  public static final String WARMUP_RECORDS = "depthstream.warmup.kafka.records";
  public static final String JIT_C1_PACKAGES = "depthstream.jit.c1.packages";

  /** The value of {@value #METHOD_FOCAL} that turns focal stacks off (no subscription, no model loaded). */
  public static final String METHOD_NONE = "none";

  /** Values of {@value #GROUP_MEMBERSHIP}. */
  public static final String MEMBERSHIP_STATIC = "static";

  public static final String MEMBERSHIP_DYNAMIC = "dynamic";

  /** Characters Kafka accepts in a group.instance.id (JoinGroupRequest.validateGroupInstanceId), at most 249. */
  private static final java.util.regex.Pattern INSTANCE_ID_CHARS = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]*");

  /** Dense output encodings; see dense_depth.proto and {@link OutputEncoding}. */
  public static final String ENCODING_UINT16_MM = OutputEncoding.UINT16_MM.configName();

  /**
   * {@value #OUTPUT_ENCODING} default: uint16 in 1/256 m for LiDAR (ranges beyond 65 m, 3.9 mm steps, KITTI's
   * convention: half float32's bytes), uint16 mm for the rest.
   */
  public static final String ENCODING_AUTO = "auto";

  /** A per-kind key's "use the general setting". */
  public static final String INHERIT = "";

  /** A Java package name: dot-separated identifiers ({@value #JIT_C1_PACKAGES}; before {@link #DEFINITION}). */
  public static final Pattern JAVA_PACKAGE = Pattern.compile("\\p{javaJavaIdentifierStart}"
      + "\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  private static final ConfigDef.Validator JIT_PACKAGES = (name, value) -> {
    if (value instanceof List<?> packages) {
      for (Object p : packages) {
        if (!JAVA_PACKAGE.matcher(p.toString()).matches()) {
          throw new ConfigException(name, value, "'" + p + "' is not a Java package name (e.g. org.apache.kafka)");
        }
      }
    }
  };

  /**
   * {@value #FAST_RESIDUAL}: what {@link ResidualCorrection.Settings#parse} takes, the key named when it is not
   * (before {@link #DEFINITION}, which uses it).
   */
  private static final ConfigDef.Validator RESIDUAL_CORRECTION = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        ResidualCorrection.Settings.parse(String.valueOf(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "on, off or scale=S[,edge=E]";
    }
  };

  private static final ConfigDef DEFINITION = definition();

  private NodeConfig(Map<String, String> own) {
    super(DEFINITION, own, false);
    checkConsistency();
  }

  private static ConfigDef definition() {
    ConfigDef.Validator topicName = new ConfigDef.NonEmptyStringWithoutControlChars();
    return new ConfigDef()
        .define(TOPIC_RAW_LIDAR, Type.STRING, Topics.RAW_LIDAR, topicName, Importance.HIGH,
            "Input topic of LiDAR frames (DepthFrame, keyed by sensor id, record timestamp = capture time); the topic "
                + "decides the sensor kind.")
        .define(TOPIC_RAW_RGBD, Type.STRING, Topics.RAW_RGBD, topicName, Importance.HIGH,
            "Input topic of Kinect / RGB-D frames.")
        .define(TOPIC_RAW_VSLAM, Type.STRING, Topics.RAW_VSLAM, topicName, Importance.HIGH,
            "Input topic of vSLAM semi-dense frames.")
        .define(TOPIC_RAW_FOCAL, Type.STRING, Topics.RAW_FOCAL, topicName, Importance.HIGH,
            "Input topic of focal stacks (FocalStack, keyed by sensor id), as the focal-stack source connector "
                + "writes them; read only when " + "depthstream.method.focal is not none.")
        .define(TOPIC_DENSE, Type.STRING, Topics.DENSE, topicName, Importance.HIGH,
            "Output topic of DenseDepth results, keyed by sensor id, timestamped with the capture time.")
        .define(TOPIC_GUIDANCE, Type.STRING, Topics.GUIDANCE, topicName, Importance.HIGH,
            "Output topic of NavigationGuidance (laser scan and proximity alert).")
        .define(TOPIC_DLQ, Type.STRING, Topics.DEAD_LETTERS, topicName, Importance.HIGH,
            "Dead-letter topic: the original bytes of every frame that could not be processed, with the reason "
                + "in the headers depthstream.error.*.")
        .define(TOPIC_POINTS, Type.STRING, Topics.POINTS, topicName, Importance.MEDIUM,
            "Output topic of PointCloud messages (the dense depth back-projected into the camera's optical frame), "
                + "keyed by sensor id, timestamped with the capture time; written only when "
                + "depthstream.points.enabled is true.")
        .define(TOPIC_FOXGLOVE_IMAGE, Type.STRING, Topics.FOXGLOVE_IMAGE, topicName, Importance.LOW,
            "Output topic of the dense depth as foxglove.RawImage (protobuf; 16UC1 millimetres or 32FC1 metres), "
                + "keyed by sensor id; written only when depthstream.foxglove.enabled is true.")
        .define(TOPIC_FOXGLOVE_CALIBRATION, Type.STRING, Topics.FOXGLOVE_CALIBRATION, topicName, Importance.LOW,
            "Output topic of each dense depth image's foxglove.CameraCalibration (protobuf), keyed by sensor id; "
                + "written only when depthstream.foxglove.enabled is true.")
        .define(TOPIC_FOXGLOVE_SCAN, Type.STRING, Topics.FOXGLOVE_SCAN, topicName, Importance.LOW,
            "Output topic of the guidance's laser scan as foxglove.LaserScan (protobuf), keyed by sensor id; "
                + "written only when depthstream.foxglove.enabled is true.")
        .define(TOPICS_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
            "Create missing topics at start-up with the partitions and replication factor below.")
        .define(TOPICS_PARTITIONS, Type.INT, 1, Range.between(1, 10_000), Importance.MEDIUM,
            "Partitions of topics created at start-up. More partitions allow more stream-app instances.")
        .define(TOPICS_REPLICATION, Type.SHORT, (short) 1, Range.between(1, 32), Importance.MEDIUM,
            "Replication factor of topics created at start-up.")
        .define(STARTUP_CHECK_TIMEOUT_MS, Type.LONG, 30_000L, Range.between(0, 600_000), Importance.MEDIUM,
            "Milliseconds the start-up check waits for the cluster (bootstrap.servers) to answer: before the "
                + "topology starts, the node connects once with its own client settings, so wrong credentials, "
                + "an untrusted broker certificate or an unreachable cluster stop it with one message instead of "
                + "endless retries. 0 skips the check; default 30000.")
        .define(METHOD_LIDAR, Type.STRING, "nearest-fill", Importance.HIGH,
            "Reconstruction method for LiDAR frames: a classical method (nearest-fill, morphological, inpaint, linear) or "
                + "the file stem of an ONNX model in " + "depthstream.models.dir (fast-path or super-resolution).")
        .define(METHOD_RGBD, Type.STRING, "nearest-fill", Importance.HIGH,
            "Reconstruction method for RGB-D frames.")
        .define(METHOD_VSLAM, Type.STRING, "nearest-fill", Importance.HIGH,
            "Reconstruction method for vSLAM frames.")
        .define(METHOD_FOCAL, Type.STRING, "focal_stack", new ConfigDef.NonEmptyStringWithoutControlChars(),
            Importance.HIGH,
            "Focal-stack depth method: the file stem of a focal-stack ONNX model in depthstream.models.dir "
                + "(default focal_stack), depth-from-focus for the classical method (sum-modified-Laplacian focus "
                + "measure + Gaussian interpolation; no model file), or none to not read focal stacks at all.")
        .define(MODELS_DIR, Type.STRING, "models", Importance.MEDIUM,
            "Directory of the ONNX models that method.* settings may name by file stem. A relative path is resolved "
                + "against the node distribution's directory when started by bin/depthstream-node, else against "
                + "the working directory.")
        .define(FAST_FALLBACK_DENSITY, Type.DOUBLE, DensityFallback.DEFAULT_MIN_DENSITY, Range.between(0.0, 1.0),
            Importance.MEDIUM,
            "Density fallback of the fast-interpolation models (share of the pixels, 0 to 1; default "
                + DensityFallback.DEFAULT_MIN_DENSITY + " = 1 %): a frame whose measured pixels are fewer than this "
                + "share of its pixels is reconstructed by linear interpolation (a Delaunay triangulation of the "
                + "samples, 1/2) blended with push-pull inpainting (3/8) and nearest-fill (1/8) of the same samples "
                + "instead of the model, and its DenseDepth says so (method " + SparseBlend.NAME
                + ", no model version). "
                + "The fast models interpolate at a quarter of the resolution and trail linear interpolation below "
                + "about 1 % of the pixels (synthetic validation, trainer/TRAINING.md, \"Fast path density fallback\"); at those "
                + "densities linear is also the cheaper of the two. 0 = the model serves every frame. "
                + "Super-resolution models and classical methods are not affected.")
        .define(FAST_RESIDUAL, Type.STRING, "off", RESIDUAL_CORRECTION, Importance.MEDIUM,
            "Residual correction of the fast-interpolation models' output: off (default), on, or "
                + "scale=S[,edge=E]. The network's error at each measured pixel (measurement minus prediction) is "
                + "spread to the pixels around it (a Gaussian of S times the mean sample spacing, default "
                + ResidualCorrection.Settings.DEFAULT.spacingScale() + "; a sample corrects only pixels the network "
                + "puts within E of its depth, default " + ResidualCorrection.Settings.DEFAULT.edgeTolerance()
                + " = 10 %) and added to the prediction, so the output follows the measurements around them, not "
                + "only at them. Chosen on the synthetic validation (trainer/TRAINING.md, \"Fast path residual "
                + "correction\"), where it lowered the RMSE by 0.5-9 % and the MAE by 1-21 %; it costs 3-5 "
                + "milliseconds per 640x480 frame (the fast path about 1.5 times its time per frame, below the 150 "
                + "frames per second the node aims at on 2 cores), hence off unless accuracy matters more. Frames "
                + "the density fallback serves are not corrected; super-resolution models and classical methods "
                + "are not affected.")
        .define(INFERENCE_PROVIDER, Type.STRING, "cpu", ValidString.in("cpu", "cuda"), Importance.MEDIUM,
            "ONNX Runtime execution provider. cuda needs the gpu build (mvn -Pgpu) and CUDA 12 + cuDNN 9; when it "
                + "cannot start, the node logs it, counts depthstream.inference.cpu_fallback and runs on the CPU.")
        .define(INFERENCE_THREADS_INTRA, Type.INT, InferenceSettings.DEFAULT_INTRA_OP_THREADS,
            Range.between(1, InferenceSettings.MAX_THREADS), Importance.MEDIUM,
            "ONNX Runtime intra-op threads of each model session (threads, 1 to 1024; default "
                + InferenceSettings.DEFAULT_INTRA_OP_THREADS + "). One session per model is shared by every "
                + "stream task that runs the model, so this is the pool all sensors' frames of that model use.")
        .define(INFERENCE_THREADS_INTER, Type.INT, 1, Range.between(1, InferenceSettings.MAX_THREADS),
            Importance.LOW, "ONNX Runtime inter-op threads per model session (threads, 1 to 1024; default 1: the "
                + "shipped graphs are chains).")
        .define(INFERENCE_SPINNING, Type.BOOLEAN, InferenceSettings.DEFAULT_SPINNING, Importance.MEDIUM,
            "Whether idle ONNX Runtime pool threads spin-wait for the next operator "
                + "(session.intra_op.allow_spinning / inter_op; default " + InferenceSettings.DEFAULT_SPINNING
                + "). Spinning saves a wake-up per operator on an idle machine but burns cores that other "
                + "sessions and stream threads need on a small one.")
        .define(INFERENCE_BATCH_MAX, Type.INT, 1, Range.between(1, InferenceSettings.MAX_BATCH), Importance.MEDIUM,
            "Micro-batching: most frames (1 to " + InferenceSettings.MAX_BATCH + "; default 1 = off) of one "
                + "model and one frame size, from concurrent stream tasks, stacked into one [N, C, H, W] run. "
                + "Pays on a GPU; on the CPU a batch of 2 takes as long as 2 single runs.")
        .define(INFERENCE_BATCH_LINGER_MS, Type.LONG, InferenceSettings.DEFAULT_BATCH_LINGER_MS,
            Range.between(0L, InferenceSettings.MAX_LINGER_MS), Importance.MEDIUM,
            "Micro-batching: milliseconds (0 to " + InferenceSettings.MAX_LINGER_MS + "; default "
                + InferenceSettings.DEFAULT_BATCH_LINGER_MS + ") the first frame of a batch waits for frames of "
                + "other sensors before it runs with what has arrived; a frame never waits longer. It adds to "
                + "every frame's latency when the sensors are not in step, so keep it well under the real-time "
                + "budget. Ignored when " + "depthstream.inference.batch.max is 1.")
        .define(INFERENCE_CUDA_DEVICE, Type.INT, 0, Range.atLeast(0), Importance.LOW,
            "CUDA device id (ordinal, >= 0; default 0); ignored on the CPU.")
        .define(INFERENCE_GPU_MEM_LIMIT_BYTES, Type.LONG, 0L, Range.atLeast(0L), Importance.LOW,
            "Cap of the CUDA memory arena in bytes (default 0 = no cap); ignored on the CPU.")
        .define(INFERENCE_ARENA_STRATEGY, Type.STRING, "kNextPowerOfTwo",
            ValidString.in("kNextPowerOfTwo", "kSameAsRequested"), Importance.LOW,
            "How the CUDA memory arena grows: kNextPowerOfTwo (default; fewer allocations, up to 2x over-allocation) "
                + "or kSameAsRequested (tighter); ignored on the CPU.")
        .define(INFERENCE_OPTIMIZATION, Type.STRING, "all", ValidString.in("none", "basic", "extended", "all"),
            Importance.LOW, "ONNX Runtime graph optimisation level (default all).")
        .define(OUTPUT_ENCODING, Type.STRING, ENCODING_AUTO, encodings(ENCODING_AUTO), Importance.HIGH,
            "Dense depth encoding of every sensor kind without a setting of its own: auto (default: uint16-256 for "
                + "LiDAR, whose returns reach beyond 65 m, uint16-mm for the others), uint16-mm (0 = invalid, "
                + "saturates at 65.535 m, fits Kafka's default 1 MiB up to ~500k pixels), float32-m (NaN = invalid, "
                + "4 bytes per pixel: needs raised message limits, which topics the node creates have) or uint16-256 "
                + "(1/256 m as KITTI's depth PNGs, 0 = invalid, up to 255.996 m). Saturated pixels are counted.")
        .define(OUTPUT_ENCODING_LIDAR, Type.STRING, INHERIT, encodings(INHERIT), Importance.MEDIUM,
            "Dense depth encoding of LiDAR frames; empty = " + OUTPUT_ENCODING + ".")
        .define(OUTPUT_ENCODING_RGBD, Type.STRING, INHERIT, encodings(INHERIT), Importance.MEDIUM,
            "Dense depth encoding of RGB-D frames; empty = " + OUTPUT_ENCODING + ".")
        .define(OUTPUT_ENCODING_VSLAM, Type.STRING, INHERIT, encodings(INHERIT), Importance.MEDIUM,
            "Dense depth encoding of vSLAM frames; empty = " + OUTPUT_ENCODING + ".")
        .define(OUTPUT_ENCODING_FOCAL, Type.STRING, INHERIT, encodings(INHERIT), Importance.MEDIUM,
            "Dense depth encoding of focal-stack depth; empty = " + OUTPUT_ENCODING + ".")
        .define(FRAME_MAX_PIXELS, Type.INT, 4_194_304, Range.between(1, 67_108_864), Importance.MEDIUM,
            "Largest accepted frame, width * height; larger frames are dead-lettered as absurd dimensions.")
        .define(FRAME_MAX_DEPTH_M, Type.DOUBLE, 1000.0, Range.between(0.001, 1.0e6), Importance.LOW,
            "Largest plausible depth in metres; a frame with a larger finite depth is dead-lettered.")
        .define(GUIDANCE_SECTORS, Type.INT, 64, Range.between(1, 4096), Importance.MEDIUM,
            "Angular sectors of the laser scan across the horizontal field of view.")
        .define(GUIDANCE_ROW_BEGIN, Type.DOUBLE, 0.35, Range.between(0.0, 1.0), Importance.MEDIUM,
            "First image row of the scan band, as a fraction of the height.")
        .define(GUIDANCE_ROW_END, Type.DOUBLE, 0.65, Range.between(0.0, 1.0), Importance.MEDIUM,
            "End (exclusive) of the scan band, as a fraction of the height; must exceed rows.begin.")
        .define(GUIDANCE_RANGE_MIN_M, Type.DOUBLE, 0.1, Range.between(0.0, 1.0e4), Importance.MEDIUM,
            "Scan range_min in metres; nearer returns are reported as -Inf.")
        .define(GUIDANCE_RANGE_MAX_M, Type.DOUBLE, 80.0, Range.between(0.0, 1.0e4), Importance.MEDIUM,
            "Scan range_max in metres; sectors with nothing nearer report +Inf.")
        .define(GUIDANCE_CORRIDOR_HALF_WIDTH_M, Type.DOUBLE, 0.6, Range.between(0.0, 100.0), Importance.MEDIUM,
            "Half width in metres of the straight corridor ahead checked for obstacles.")
        .define(GUIDANCE_ALERT_DISTANCE_M, Type.DOUBLE, 1.5, Range.between(0.0, 1.0e4), Importance.MEDIUM,
            "An obstacle alert is raised when anything in the corridor is nearer than this, in metres.")
        .define(GUIDANCE_SUPPORT_MAX_PX, Type.INT, 4, Range.between(0, 250), Importance.HIGH,
            "Pixels: the scan and the alert use a dense pixel only when it lies at most this many output pixels "
                + "from a measured input pixel (its support distance); depth a method filled in further away is "
                + "unknown (NaN sectors), never free space. 0 = measured pixels only. The default 4 bridges the "
                + "gaps of a KITTI-like 64-line LiDAR (beams 5-8 rows apart, every second column: a pixel between "
                + "two beams is at most about 4 px from one) and of scattered Kinect dropouts, while a hole wider "
                + "than 8 px stays unknown. Raise it for sparser inputs, or the scan reports them as unknown.")
        .define(GUIDANCE_CAMERA_HEIGHT_M, Type.DOUBLE, 0.0, Range.between(0.0, 100.0), Importance.MEDIUM,
            "Height in metres of the camera's optical centre above a flat floor, for the alert's ground plane: "
                + "points within " + GUIDANCE_FLOOR_CLEARANCE_M + " of the floor are not obstacles. 0 = unknown: "
                + "the ground plane is off and every supported point in the corridor counts, floor included.")
        .define(GUIDANCE_CAMERA_PITCH_DEG, Type.DOUBLE, 0.0, Range.between(-90.0, 90.0), Importance.MEDIUM,
            "Downward pitch of the camera's optical axis in degrees (negative = tilted up), for the ground plane; "
                + "needs " + GUIDANCE_CAMERA_HEIGHT_M + ".")
        .define(GUIDANCE_FLOOR_CLEARANCE_M, Type.DOUBLE, 0.1, Range.between(0.0, 10.0), Importance.MEDIUM,
            "Points at most this many metres above the floor are floor (or passable), not obstacles; must be "
                + "below " + GUIDANCE_CAMERA_HEIGHT_M + " when the ground plane is on.")
        .define(GUIDANCE_ROBOT_HEIGHT_M, Type.DOUBLE, 0.0, Range.between(0.0, 100.0), Importance.LOW,
            "Height of the robot in metres: points higher above the floor pass over it and do not alert. "
                + "0 = no limit; needs " + GUIDANCE_CAMERA_HEIGHT_M + ".")
        .define(OUTPUT_SUPPORT, Type.STRING, SUPPORT_NONE, ValidString.in(SUPPORT_NONE, SUPPORT_DISTANCE),
            Importance.MEDIUM,
            "Per-pixel support channel in DenseDepth.support (field 13): none, or distance (one byte per pixel: "
                + "0 measured, 1-250 output pixels to the nearest measured pixel, 254 +Inf, 255 -Inf). Off by "
                + "default: it adds width*height bytes, and a KITTI-size 1242x375 uint16-mm frame (931 kB) plus "
                + "the channel (466 kB) exceeds Kafka's default 1 MiB message limit. When on, the node raises its "
                + "producer's max.request.size as for float32-m and creates missing topics with a raised "
                + "max.message.bytes; a dense topic that already exists must allow the larger records.")
        .define(REALTIME_BUDGET_MS, Type.LONG, 0L, Range.between(0L, 3_600_000L), Importance.HIGH,
            "Real-time policy: a frame whose age (wall clock minus its record timestamp, the capture time) already "
                + "exceeds this many milliseconds when it reaches the processor is not decoded; it is held as its "
                + "sensor's newest frame and dropped (counted in depthstream.frames.skipped) as soon as a newer "
                + "frame of that sensor arrives, or served if none has come by the next check (every budget/5, "
                + "5 to 50 ms). So a robot gets the newest depth instead of a backlog, and every sensor keeps "
                + "getting output under any overload. 0 turns the policy off (replays that keep their original "
                + "capture times need 0).")
        .define(REALTIME_BUDGET_MS_LIDAR, Type.LONG, -1L, Range.between(-1L, 3_600_000L), Importance.MEDIUM,
            "Budget for LiDAR frames; -1 = use " + REALTIME_BUDGET_MS + ".")
        .define(REALTIME_BUDGET_MS_RGBD, Type.LONG, -1L, Range.between(-1L, 3_600_000L), Importance.MEDIUM,
            "Budget for RGB-D frames; -1 = use " + REALTIME_BUDGET_MS + ".")
        .define(REALTIME_BUDGET_MS_VSLAM, Type.LONG, -1L, Range.between(-1L, 3_600_000L), Importance.MEDIUM,
            "Budget for vSLAM frames; -1 = use " + REALTIME_BUDGET_MS + ".")
        .define(REALTIME_BUDGET_MS_FOCAL, Type.LONG, -1L, Range.between(-1L, 3_600_000L), Importance.MEDIUM,
            "Budget for focal stacks; -1 = use " + REALTIME_BUDGET_MS + ".")
        .define(REALTIME_FUTURE_TOLERANCE_MS, Type.LONG, 2_000L, Range.between(-1L, 86_400_000L),
            Importance.MEDIUM,
            "A frame whose capture time (record timestamp) lies more than this many milliseconds in the future of "
                + "the node's clock is dead-lettered as FUTURE_CAPTURE_TIME: it would never count as stale, and its "
                + "sensor's clock is wrong. -1 turns the check off (simulations with their own time).")
        .define(REALTIME_START_SKIP_STALE, Type.BOOLEAN, true, Importance.MEDIUM,
            "At start-up, with the real-time policy on (a budget > 0), move the group's position on each raw topic "
                + "past the records that are already older than the topic's budget, before the stream threads "
                + "fetch anything: a node restarted after a gap serves fresh frames at once instead of fetching "
                + "the gap's backlog only to skip it. Done only when no other instance is in the group (after a "
                + "clean stop, or a crash of this same instance: its leftover static members are removed first); "
                + "each partition keeps at least its newest record; the records moved past are counted in "
                + "depthstream.start.stale_records{topic}, never fetched or decoded. false: the policy skips the "
                + "backlog frame by frame.")
        .define(REALTIME_OVERLOAD_MS, Type.LONG, 0L, Range.between(0L, 3_600_000L), Importance.MEDIUM,
            "Overload method: a depth frame that reaches its processor more than this many milliseconds after its "
                + "capture (a node that has fallen behind, e.g. in its first seconds on a busy 2-core box) is "
                + "reconstructed by " + REALTIME_OVERLOAD_METHOD + " instead of its sensor's method, so the node "
                + "catches up with fresh frames instead of serving a backlog late; DenseDepth.method names the method "
                + "used. Only with the real-time policy on (a budget > 0), only for same-size methods (not "
                + "super-resolution) and not for focal stacks. 0 turns it off.")
        .define(REALTIME_OVERLOAD_METHOD, Type.STRING, "inpaint", Importance.LOW,
            "The depth method of late frames (" + REALTIME_OVERLOAD_MS + "): a cheap one; checked at start-up.")
        .define(WARMUP_FRAMES, Type.INT, 20, Range.between(0, 10_000), Importance.MEDIUM,
            "Start-up warm-up of the frame path: this many synthetic frames per sensor kind and size (the "
                + "depthstream.warmup.sizes.* settings) go through the real per-frame path (decode, reconstruct, "
                + "support, guidance, encode, serialise) before the node subscribes, and nothing of them is "
                + "published, so the JIT has compiled that path before the first real frame arrives (issue 16: "
                + "BENCHMARKS.md, \"Cold start\"). It adds about a second to start-up. 0 turns it off.")
        .define(WARMUP_SIZES_LIDAR, Type.LIST, "1242x375", FrameSize.LIST_VALIDATOR, Importance.MEDIUM,
            "Sizes (WIDTHxHEIGHT, comma-separated) of the LiDAR frames the start-up warm-up runs: the sizes "
                + "the LiDARs send. Empty = the LiDAR path is not warmed up.")
        .define(WARMUP_SIZES_RGBD, Type.LIST, "640x480", FrameSize.LIST_VALIDATOR, Importance.MEDIUM,
            "Sizes of the RGB-D frames the start-up warm-up runs (as " + WARMUP_SIZES_LIDAR + ").")
        .define(WARMUP_SIZES_VSLAM, Type.LIST, "640x480", FrameSize.LIST_VALIDATOR, Importance.MEDIUM,
            "Sizes of the vSLAM frames the start-up warm-up runs (as " + WARMUP_SIZES_LIDAR + ").")
        .define(WARMUP_RECORDS, Type.INT, 1000, Range.between(0, 100_000), Importance.MEDIUM,
            "Start-up warm-up of the Kafka clients: this many records of 64 KiB make a round trip, one at a "
                + "time, through the topic <application.id>-warmup (created when missing, also with "
                + "depthstream.topics.create=false, like Kafka Streams' internal topics: one partition, one minute "
                + "retention; the node's ACLs on its internal topics cover it) with a producer and a consumer "
                + "configured as the stream threads' own, before the node subscribes, so the clients' send and "
                + "fetch paths (and the broker's) have run before the first real frame (issue 16: BENCHMARKS.md, "
                + "\"Cold start\"). It adds 3-4 s to start-up on 2 cores. A topic that cannot be created or "
                + "written skips it with a warning. 0 turns it off.")
        .define(JIT_C1_PACKAGES, Type.LIST, "", JIT_PACKAGES, Importance.LOW,
            "Java packages (subpackages included) whose code the JIT compiles with C1 only, never C2: a compiler "
                + "directive the node adds to its JVM at start-up (HotSpot's Compiler.directives_add; no JVM option "
                + "needed; it holds for the whole JVM, so for an embedded broker's Java code too). org.apache.kafka "
                + "keeps the Kafka clients and Kafka Streams off the one C2 thread of a 2-core box, which otherwise "
                + "spends most of the node's first 20-30 s on them: 40 % less JIT and 15 % less CPU in the first "
                + "10 s, for about 1.5 % more stream-thread CPU per frame for good, and no lower p99 in those 10 s "
                + "(issue 16: BENCHMARKS.md, \"Issue 16, session 9\"), so it is off by default. A JVM without the "
                + "command logs a warning and runs without it. Empty = off.")
        .define(METRICS_PORT, Type.INT, 9464, Range.between(0, 65_535), Importance.LOW,
            "Port of the node's HTTP endpoint: Prometheus /metrics, /health, /ready and the live view /view; 0 "
                + "disables it.")
        .define(POINTS_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM,
            "Publish a point cloud per dense frame to depthstream.topic.points: every decimation-th pixel of the "
                + "dense depth back-projected through its intrinsics as depth_image_proc's point_cloud_xyz does "
                + "(organized, x right, y down, z forward, metres; NaN = no point). Off by default. When on, the "
                + "node raises its producer's max.request.size as for float32 output and creates a missing points "
                + "topic with a raised max.message.bytes.")
        .define(FOXGLOVE_ENABLED, Type.BOOLEAN, false, Importance.LOW,
            "Publish a live Foxglove export per dense frame: the dense depth as foxglove.RawImage, its calibration "
                + "as foxglove.CameraCalibration and the guidance's scan as foxglove.LaserScan, protobuf-encoded with "
                + "Foxglove's published schemas (the same conversion as the recorder's Foxglove views: frame id "
                + "<sensor>_optical_frame, timestamp = capture time in ns), to depthstream.topic.foxglove.image, "
                + ".calibration and .scan. Off by default. When on, the node raises its producer's max.request.size "
                + "as for float32 output and creates missing export topics with a raised max.message.bytes.")
        .define(POINTS_DECIMATION, Type.INT, 2, Range.between(1, 64), Importance.MEDIUM,
            "Point cloud decimation N (1 to 64; default 2): every Nth pixel in both directions, so "
                + "ceil(width/N) * ceil(height/N) points of 12 bytes (640x480 at 2: 0.9 MB; at 1: 3.7 MB). A cloud "
                + "over its topic's limit dead-letters its frame as OUTPUT_TOO_LARGE, like a dense output.")
        .define(POINTS_SUPPORT_MAX_PX, Type.INT, 4, Range.between(0, SupportMap.MAX_DISTANCE), Importance.MEDIUM,
            "Pixels (0 to 250; default 4): a point is published only where the dense depth lies at most this many "
                + "output pixels from a measured input pixel, as the guidance's support rule; depth a method "
                + "invented further away, or where the sensor reported +/-Inf, is no point (NaN). 0 = measured "
                + "pixels only; 250 = every pixel with depth except at +/-Inf.")
        .define(POINTS_RANGE_MAX_M, Type.DOUBLE, 0.0, Range.between(0.0, 1.0e4), Importance.LOW,
            "Metres: pixels whose depth z exceeds this are no point (NaN); 0 (default) = no limit.")
        .define(VIEW_ENABLED, Type.BOOLEAN, true, Importance.LOW,
            "Serve the live view, a web page at http://host:<depthstream.metrics.port>/view/ showing per "
                + "sensor the input and the dense depth colour-mapped, the laser scan, fps and latency, updated "
                + "live; everything comes from the node's jar (no internet needed). On by default; it costs the "
                + "frame path nothing until a browser has the page open. Needs depthstream.metrics.port > 0.")
        .define(VIEW_RATE_HZ, Type.INT, 10, Range.between(1, 30), Importance.LOW,
            "Live view: most snapshots per second and sensor (1 to 30; default 10), and the page's refresh rate. "
                + "A snapshot (a downscaled copy of the frame's input and dense depth, taken on the stream thread) "
                + "is taken only while a browser is watching.")
        .define(GROUP_MEMBERSHIP, Type.STRING, MEMBERSHIP_STATIC, ValidString.in(MEMBERSHIP_STATIC, MEMBERSHIP_DYNAMIC),
            Importance.HIGH,
            "How the node joins its consumer group. static (default): Kafka static membership, group.instance.id "
                + "= " + INSTANCE_ID + ", so a restarted node (clean stop or crash) takes its partitions back at "
                + "once instead of waiting for the group coordinator to expire the previous member's session "
                + "(measured: 2-3 s from start-up to output, against 30-45 s; RELIABILITY.md). Each running "
                + "instance of one application.id needs its own " + INSTANCE_ID + ". dynamic: a new member id "
                + "on every start (Kafka's default); needed for group.protocol=streams, which in Kafka 4.3 does not "
                + "support static membership.")
        .define(INSTANCE_ID, Type.STRING, "", (name, value) -> {
          String id = (String) value;
          if (id.length() > 200 || !INSTANCE_ID_CHARS.matcher(id).matches()) {
            throw new ConfigException(name, value, "must be at most 200 of the characters a-z A-Z 0-9 . _ -");
          }
        }, Importance.HIGH,
            "Identity of this node in its group under static membership (Kafka Streams makes group.instance.id "
                + "<this>-<thread index> of it). Must be stable across restarts and unique among the running "
                + "instances of one application.id: a second node with the same id fences the first. Empty "
                + "(default) = <host name>-<application.id>, right for one node per host; set it per instance "
                + "when one host runs several.")
        .define(LEAVE_GROUP_ON_CLOSE, Type.BOOLEAN, true, Importance.MEDIUM,
            "Whether a clean stop (SIGTERM, close) leaves the group, so the other instances take the node's "
                + "partitions over at once and a restart finds no stale member (default true). Kafka Streams "
                + "otherwise stays in the group, and a dynamic member's partitions then wait for its session to "
                + "expire (measured 42 s, RELIABILITY.md). false suits rolling restarts of static members in a "
                + "fleet: the restarted member takes its partitions back without any rebalance. A crash never "
                + "leaves; static membership is what makes its restart fast.");
  }

  private static ConfigDef.Validator encodings(String extra) {
    String[] names = java.util.stream.Stream.concat(java.util.stream.Stream.of(extra),
        java.util.Arrays.stream(OutputEncoding.values()).map(OutputEncoding::configName)).toArray(String[]::new);
    return ValidString.in(names);
  }

  /**
   * Settings that turn the real-time policy off for every sensor kind ({@code key=0}, the general budget and each
   * kind's), for replays whose frames keep their original capture times.
   */
  public static List<String> realtimeBudgetOff() {
    return List.of(REALTIME_BUDGET_MS + "=0", REALTIME_BUDGET_MS_LIDAR + "=0", REALTIME_BUDGET_MS_RGBD + "=0",
        REALTIME_BUDGET_MS_VSLAM + "=0", REALTIME_BUDGET_MS_FOCAL + "=0");
  }

  /** The documented node keys, for help output and docs. */
  public static ConfigDef configDef() {
    return DEFINITION;
  }

  /**
   * Builds the configuration from merged properties (file, then environment, then command line).
   *
   * @throws ConfigException naming the key when a node key is unknown or invalid, or when bootstrap.servers or
   *     application.id is missing
   */
  public static NodeConfig from(Map<String, String> merged) {
    Map<String, String> own = new HashMap<>();
    for (Map.Entry<String, String> e : merged.entrySet()) {
      if (e.getKey().startsWith(PREFIX)) {
        if (!DEFINITION.names().contains(e.getKey())) {
          throw new ConfigException(
              e.getKey(), e.getValue(), "unknown depthstream setting; known settings: " + DEFINITION.names());
        }
        own.put(e.getKey(), e.getValue());
      }
    }
    for (String required : List.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, StreamsConfig.APPLICATION_ID_CONFIG)) {
      String value = merged.get(required);
      if (value == null || value.isBlank()) {
        throw new ConfigException(required, value, "required Kafka setting is missing");
      }
    }
    NodeConfig config = new NodeConfig(own);
    config.kafka.putAll(kafkaEntries(merged));
    config.checkMembership();
    return config;
  }

  private final Map<String, String> kafka = new LinkedHashMap<>();

  private static Map<String, String> kafkaEntries(Map<String, String> merged) {
    Map<String, String> out = new LinkedHashMap<>();
    merged.forEach((k, v) -> {
      if (!k.startsWith(PREFIX)) {
        out.put(k, v);
      }
    });
    return out;
  }

  private void checkConsistency() {
    if (getDouble(GUIDANCE_ROW_END) <= getDouble(GUIDANCE_ROW_BEGIN)) {
      throw new ConfigException(GUIDANCE_ROW_END, getDouble(GUIDANCE_ROW_END),
          "must be greater than " + GUIDANCE_ROW_BEGIN + " = " + getDouble(GUIDANCE_ROW_BEGIN));
    }
    if (getDouble(GUIDANCE_RANGE_MAX_M) <= getDouble(GUIDANCE_RANGE_MIN_M)) {
      throw new ConfigException(GUIDANCE_RANGE_MAX_M, getDouble(GUIDANCE_RANGE_MAX_M),
          "must be greater than " + GUIDANCE_RANGE_MIN_M + " = " + getDouble(GUIDANCE_RANGE_MIN_M));
    }
    double cameraHeight = getDouble(GUIDANCE_CAMERA_HEIGHT_M);
    if (cameraHeight == 0) {
      for (String key : List.of(GUIDANCE_CAMERA_PITCH_DEG, GUIDANCE_ROBOT_HEIGHT_M)) {
        if (getDouble(key) != 0) {
          throw new ConfigException(key, getDouble(key),
              "has no effect while " + GUIDANCE_CAMERA_HEIGHT_M + " = 0 (ground plane off); set the camera height");
        }
      }
    } else {
      if (getDouble(GUIDANCE_FLOOR_CLEARANCE_M) >= cameraHeight) {
        throw new ConfigException(GUIDANCE_FLOOR_CLEARANCE_M, getDouble(GUIDANCE_FLOOR_CLEARANCE_M),
            "must be below " + GUIDANCE_CAMERA_HEIGHT_M + " = " + cameraHeight + ", or everything the camera sees "
                + "level ahead is floor");
      }
      double robot = getDouble(GUIDANCE_ROBOT_HEIGHT_M);
      if (robot != 0 && robot <= getDouble(GUIDANCE_FLOOR_CLEARANCE_M)) {
        throw new ConfigException(GUIDANCE_ROBOT_HEIGHT_M, robot,
            "must exceed " + GUIDANCE_FLOOR_CLEARANCE_M + " = " + getDouble(GUIDANCE_FLOOR_CLEARANCE_M)
                + " (0 = no limit), or no point can be an obstacle");
      }
    }
  }

  private void checkMembership() {
    if (!staticMembership()) {
      return;
    }
    if ("streams".equalsIgnoreCase(kafka.get(StreamsConfig.GROUP_PROTOCOL_CONFIG))) {
      throw new ConfigException(GROUP_MEMBERSHIP, MEMBERSHIP_STATIC, "group.protocol=streams does not support "
          + "static membership in Kafka 4.3; set " + GROUP_MEMBERSHIP + "=" + MEMBERSHIP_DYNAMIC);
    }
  }

  /** Whether the node joins its group as a static member ({@value #GROUP_MEMBERSHIP} = static). */
  public boolean staticMembership() {
    return MEMBERSHIP_STATIC.equals(getString(GROUP_MEMBERSHIP));
  }

  /**
   * The static member identity: {@value #INSTANCE_ID}, or when empty {@code <host name>-<application.id>} with
   * characters Kafka does not accept in a group.instance.id replaced by '_'.
   */
  public String instanceId() {
    String configured = getString(INSTANCE_ID);
    if (!configured.isEmpty()) {
      return configured;
    }
    String id = hostName() + "-" + kafka.get(StreamsConfig.APPLICATION_ID_CONFIG);
    id = id.replaceAll("[^a-zA-Z0-9._-]", "_");
    return id.length() > 200 ? id.substring(0, 200) : id;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "localhost" : env;
    }
  }

  /** Kafka Streams and client settings, passed through untouched. */
  public Properties kafkaProperties() {
    Properties props = new Properties();
    props.putAll(kafka);
    return props;
  }

  /** Whether point clouds are published ({@value #POINTS_ENABLED}). */
  public boolean pointsEnabled() {
    return getBoolean(POINTS_ENABLED);
  }

  /** Whether the live Foxglove export is published ({@value #FOXGLOVE_ENABLED}). */
  public boolean foxgloveEnabled() {
    return getBoolean(FOXGLOVE_ENABLED);
  }

  /** Whether focal stacks are read: {@value #METHOD_FOCAL} is not {@value #METHOD_NONE}. */
  /** {@value #MODELS_DIR} as a path, resolved as its documentation says (system property {@value #HOME_PROPERTY}). */
  public Path modelsDir() {
    return modelsDir(System.getProperty(HOME_PROPERTY));
  }

  /**
   * {@value #MODELS_DIR} as a path: an absolute one as it is, a relative one against {@code home} (the distribution's
   * directory), or against the working directory when {@code home} is null.
   */
  Path modelsDir(String home) {
    Path dir = Path.of(getString(MODELS_DIR));
    return home == null || dir.isAbsolute() ? dir : Path.of(home).resolve(dir);
  }

  public boolean focalStacksEnabled() {
    return !METHOD_NONE.equals(getString(METHOD_FOCAL));
  }

  /**
   * The settings of each sensor kind, in one place: its raw topic, method, real-time budget and output encoding.
   * LiDAR, RGB-D, vSLAM, then focal stacks when they are enabled.
   */
  public java.util.List<SensorStreamSettings> sensorStreams() {
    long budget = getLong(REALTIME_BUDGET_MS);
    java.util.List<SensorStreamSettings> streams = new java.util.ArrayList<>();
    streams.add(stream(SensorKind.SENSOR_KIND_LIDAR, TOPIC_RAW_LIDAR, METHOD_LIDAR, REALTIME_BUDGET_MS_LIDAR,
        OUTPUT_ENCODING_LIDAR, budget));
    streams.add(stream(SensorKind.SENSOR_KIND_RGBD, TOPIC_RAW_RGBD, METHOD_RGBD, REALTIME_BUDGET_MS_RGBD,
        OUTPUT_ENCODING_RGBD, budget));
    streams.add(stream(SensorKind.SENSOR_KIND_VSLAM, TOPIC_RAW_VSLAM, METHOD_VSLAM, REALTIME_BUDGET_MS_VSLAM,
        OUTPUT_ENCODING_VSLAM, budget));
    if (focalStacksEnabled()) {
      streams.add(stream(SensorKind.SENSOR_KIND_FOCAL_STACK, TOPIC_RAW_FOCAL, METHOD_FOCAL, REALTIME_BUDGET_MS_FOCAL,
          OUTPUT_ENCODING_FOCAL, budget));
    }
    return java.util.List.copyOf(streams);
  }

  private SensorStreamSettings stream(SensorKind kind, String topicKey, String methodKey, String budgetKey,
      String encodingKey, long fallbackBudgetMs) {
    long kindBudget = getLong(budgetKey);
    long budgetMs = kindBudget >= 0 ? kindBudget : fallbackBudgetMs;
    String encoding = getString(encodingKey);
    if (encoding.isEmpty()) {
      encoding = getString(OUTPUT_ENCODING);
    }
    if (ENCODING_AUTO.equals(encoding)) {
      // LiDAR: 1/256 m steps (3.9 mm, under any LiDAR's range noise) up to 256 m in half the bytes of float32; the
      // whole robot's first 10 s and steady tail were lower in 4 of 4 pairs (BENCHMARKS.md, session 13).
      encoding = (kind == SensorKind.SENSOR_KIND_LIDAR ? OutputEncoding.UINT16_256 : OutputEncoding.UINT16_MM)
          .configName();
    }
    return new SensorStreamSettings(kind, getString(topicKey), getString(methodKey), budgetMs * 1_000_000L,
        OutputEncoding.parse(encoding));
  }

  /**
   * The setting that lists the start-up warm-up's frame sizes of a sensor kind, or null for a kind without one
   * (focal stacks: their model is warmed up on its own, see DepthNode).
   */
  public static String warmUpSizesKey(SensorKind kind) {
    return switch (kind) {
      case SENSOR_KIND_LIDAR -> WARMUP_SIZES_LIDAR;
      case SENSOR_KIND_RGBD -> WARMUP_SIZES_RGBD;
      case SENSOR_KIND_VSLAM -> WARMUP_SIZES_VSLAM;
      default -> null;
    };
  }

  /** The frame sizes the start-up warm-up runs for a sensor kind; empty for none. */
  public List<FrameSize> warmUpSizes(SensorKind kind) {
    String key = warmUpSizesKey(kind);
    return key == null ? List.of() : getList(key).stream().map(FrameSize::parse).toList();
  }

  /**
   * Whether any sensor kind's output uses a long-range encoding (float32-m or uint16-256, LiDAR's): the producer's
   * request limit is raised then, since LiDAR projections come at any size (a 1280x720 one is 1.8 MB in uint16).
   */
  public boolean anyLongRangeOutput() {
    return sensorStreams().stream()
        .anyMatch(s -> s.encoding() == OutputEncoding.FLOAT32_M || s.encoding() == OutputEncoding.UINT16_256);
  }

  /** Every raw input topic: LiDAR, RGB-D, vSLAM, then the focal-stack topic when focal stacks are enabled. */
  public List<String> rawTopics() {
    return sensorStreams().stream().map(SensorStreamSettings::topic).toList();
  }
}
