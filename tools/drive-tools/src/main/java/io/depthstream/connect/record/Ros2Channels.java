package io.depthstream.connect.record;

import com.google.protobuf.InvalidProtocolBufferException;
import foxglove.CameraCalibrationOuterClass.CameraCalibration;
import foxglove.RawImageOuterClass.RawImage;
import io.depthstream.proto.foxglove.FoxgloveConversion;
import io.depthstream.connect.ros2.CdrWriter;
import io.depthstream.connect.ros2.RosMessageTypes;
import io.depthstream.connect.ros2.RosMessageTypes.MessageType;
import io.depthstream.connect.ros2.RosMessages;
import io.depthstream.connect.ros2.RosNames;
import io.depthstream.proto.frames.RosConventions;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.NavigationGuidance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the ROS 2 messages of depth and guidance records into a file with the MCAP {@code ros2} profile, so
 * {@code ros2 bag play} republishes them: CDR messages ({@link RosMessages}), ros2msg schemas
 * ({@link RosMessageTypes}), and the channel metadata rosbag2 reads, {@value #QOS_KEY}.
 *
 * <p>For a Kafka topic T and key K ({@link RosNames#topic}): input frames and dense depth give
 * {@code /T/K/image} (sensor_msgs/msg/Image) and {@code /T/K/camera_info} (CameraInfo), dense depth also
 * {@code /T/K/points} (PointCloud2, every N-th pixel) unless N = 0; guidance gives {@code /T/K/scan} (LaserScan, in
 * the body frame, scan_time from the guidance or else measured between consecutive scans of the channel). The
 * first message of each sensor adds a {@code /tf_static} (tf2_msgs/msg/TFMessage, transient local) with every
 * sensor's body-to-optical rotation, so RViz can put the scan and the images together. Log and publish times and
 * header stamps are the capture time in ns. A record that does not parse gets nothing (counted).
 */
final class Ros2Channels {
  /** Channel metadata key rosbag2 reads the recorded QoS offers from (MCAP ros2 profile). */
  static final String QOS_KEY = "offered_qos_profiles";

  /**
   * rosbag2's YAML of one offered QoS profile (the layout of Humble's metadata version 8: enums as numbers): keep
   * last, reliable (1), volatile (2), automatic liveliness, no deadline or lifespan. A reliable offer serves both
   * reliable and best-effort subscribers.
   */
  static final String QOS_RELIABLE_VOLATILE = qos(2);
  /** The same, transient local (1): what tf_static publishers offer, so late subscribers get the transforms. */
  static final String QOS_RELIABLE_TRANSIENT_LOCAL = qos(1);

  /** Body to optical frame: optical z = body x, optical x = body -y, optical y = body -z; (x, y, z, w). */
  private static final double[] OPTICAL_IN_BODY = {-0.5, 0.5, -0.5, 0.5};

  private record ChannelKey(String topic, String key, String view) {}

  private final McapWriter writer;
  private final int pointsDecimation;
  private final CdrWriter cdr = new CdrWriter(1 << 20);
  private final Map<ChannelKey, Integer> channels = new HashMap<>();
  private final Map<ChannelKey, Long> lastScanNs = new HashMap<>();
  private final Set<String> sensors = new LinkedHashSet<>();
  private long skipped;

  /** @param pointsDecimation every N-th pixel of dense depth becomes a point; 0 = no point clouds */
  Ros2Channels(McapWriter writer, int pointsDecimation) {
    if (pointsDecimation < 0) {
      throw new IllegalArgumentException("point cloud decimation must be >= 0 (0 = none), got " + pointsDecimation);
    }
    this.writer = writer;
    this.pointsDecimation = pointsDecimation;
  }

  /** Records whose value did not parse, so got no ROS messages. */
  long skipped() {
    return skipped;
  }

  /** Writes the ROS messages of one record of {@code type} at log time {@code timeNs}. */
  void write(String topic, String key, DriveRecorder.ValueType type, long timeNs, byte[] value) throws IOException {
    try {
      switch (type) {
        case DEPTH_FRAME -> {
          DepthFrame f = DepthFrame.parseFrom(value);
          images(topic, key, f.getId(), FoxgloveConversion.image(f), f.getIntrinsics(), false, timeNs);
        }
        case DENSE_DEPTH -> {
          DenseDepth d = DenseDepth.parseFrom(value);
          images(topic, key, d.getId(), FoxgloveConversion.image(d), d.getIntrinsics(), true, timeNs);
        }
        case NAVIGATION_GUIDANCE -> scan(topic, key, NavigationGuidance.parseFrom(value), timeNs);
        default -> {} // focal stacks and raw bytes have no ROS message here
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      skipped++;
    }
  }

  private void images(String topic, String key, FrameId id, Optional<RawImage> image, CameraIntrinsics k,
      boolean points, long timeNs) throws IOException {
    if (image.isEmpty()) {
      return;
    }
    RawImage img = image.get();
    Optional<CameraCalibration> calibration = FoxgloveConversion.calibration(id, k, img.getWidth(),
        img.getHeight());
    staticTransforms(id.getSensorId(), timeNs);
    put(topic, key, "image", RosMessageTypes.IMAGE, RosMessages.image(cdr, img), timeNs);
    if (calibration.isPresent()) {
      put(topic, key, "camera_info", RosMessageTypes.CAMERA_INFO, RosMessages.cameraInfo(cdr, calibration.get()),
          timeNs);
      if (points && pointsDecimation > 0) {
        put(topic, key, "points", RosMessageTypes.POINT_CLOUD2,
            RosMessages.pointCloud2(cdr, img, calibration.get(), pointsDecimation), timeNs);
      }
    }
  }

  private void scan(String topic, String key, NavigationGuidance g, long timeNs) throws IOException {
    if (!g.hasScan() || g.getScan().getRangesMCount() == 0) {
      return;
    }
    String sensor = g.getId().getSensorId();
    staticTransforms(sensor, timeNs);
    ChannelKey ck = new ChannelKey(topic, key, "scan");
    Long previous = lastScanNs.put(ck, timeNs);
    float scanTime = g.getScan().getScanTimeS() > 0 ? g.getScan().getScanTimeS()
        : previous == null || timeNs <= previous ? 0f : (float) ((timeNs - previous) / 1e9);
    put(topic, key, "scan", RosMessageTypes.LASER_SCAN, RosMessages.laserScan(cdr, g.getId().getCaptureTimeNs(),
        RosConventions.bodyFrame(sensor), g.getScan(), scanTime), timeNs);
  }

  /** On a sensor's first message: /tf_static with every sensor's body-to-optical transform so far. */
  private void staticTransforms(String sensor, long timeNs) throws IOException {
    if (!sensors.add(sensor)) {
      return;
    }
    List<RosMessages.Transform> transforms = new ArrayList<>();
    for (String s : sensors) {
      transforms
          .add(new RosMessages.Transform(RosConventions.bodyFrame(s), RosConventions.opticalFrame(s), new double[3],
              OPTICAL_IN_BODY.clone()));
    }
    int id = channel("/tf_static", RosMessageTypes.TF_MESSAGE, QOS_RELIABLE_TRANSIENT_LOCAL);
    CdrWriter m = RosMessages.tfMessage(cdr, timeNs, transforms);
    writer.message(id, timeNs, timeNs, m.array(), 0, m.size());
  }

  private void put(String topic, String key, String view, MessageType type, CdrWriter message, long timeNs)
      throws IOException {
    ChannelKey ck = new ChannelKey(topic, key, view);
    Integer id = channels.get(ck);
    if (id == null) {
      id = channel(RosNames.topic(topic, key, view), type, QOS_RELIABLE_VOLATILE);
      channels.put(ck, id);
    }
    writer.message(id, timeNs, timeNs, message.array(), 0, message.size());
  }

  private int channel(String rosTopic, MessageType type, String qos) throws IOException {
    Map<String, String> meta = new TreeMap<>();
    meta.put(QOS_KEY, qos);
    meta.put(Mcap.META_ROLE, Mcap.ROLE_VIEW);
    return writer.channel(rosTopic, "cdr", new McapWriter.Schema(type.name(), "ros2msg",
        type.definition().getBytes(StandardCharsets.UTF_8)), meta);
  }

  private static String qos(int durability) {
    String forever = "\n    sec: 9223372036\n    nsec: 854775807";
    return "- history: 1\n  depth: 10\n  reliability: 1\n  durability: " + durability + "\n  deadline:" + forever
        + "\n  lifespan:" + forever + "\n  liveliness: 1\n  liveliness_lease_duration:" + forever
        + "\n  avoid_ros_namespace_conventions: false";
  }
}
