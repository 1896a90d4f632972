package io.depthstream.connect.ros2;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import foxglove.CameraCalibrationOuterClass.CameraCalibration;
import foxglove.RawImageOuterClass.RawImage;
import io.depthstream.depth.BackProjection;
import io.depthstream.proto.v1.LaserScan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * CDR encodings ({@link CdrWriter}) of the ROS 2 messages of {@link RosMessageTypes}, field by field in their
 * definition order, from what depthstream already has: the Foxglove views of a frame ({@code RawImage},
 * {@code CameraCalibration}, made from our wire format in one place, {@code FoxgloveConversion}) and the guidance's
 * scan. Each method resets the writer and leaves one complete message in it.
 *
 * <p>Every message starts with a std_msgs/Header: stamp = capture time (builtin_interfaces/Time: int32 seconds
 * and uint32 nanoseconds since the epoch), frame_id from {@link RosNames}.
 */
public final class RosMessages {
  /** Bytes per point of {@link #pointCloud2}: float32 x, y, z. */
  public static final int POINT_STEP = BackProjection.POINT_BYTES;
  /** sensor_msgs/PointField's datatype constant FLOAT32. */
  static final int POINT_FIELD_FLOAT32 = 7;

  private static final List<String> XYZ = List.of("x", "y", "z");

  /** A transform of tf2_msgs/TFMessage: child frame in parent frame, translation metres, rotation (x, y, z, w). */
  public record Transform(String parentFrame, String childFrame, double[] translation, double[] rotation) {}

  private RosMessages() {}

  /** std_msgs/msg/Header: stamp (sec, nanosec) and frame_id. */
  static void header(CdrWriter w, long stampNs, String frameId) {
    long sec = Math.floorDiv(stampNs, 1_000_000_000L);
    if (sec < Integer.MIN_VALUE || sec > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("time " + stampNs + " ns is outside builtin_interfaces/Time's int32 "
          + "seconds");
    }
    w.int32((int) sec).uint32(Math.floorMod(stampNs, 1_000_000_000L)).string(frameId);
  }

  static long nanos(Timestamp t) {
    return t.getSeconds() * 1_000_000_000L + t.getNanos();
  }

  /** sensor_msgs/msg/Image of a depth image: encoding, step and little-endian data as in the Foxglove image. */
  public static CdrWriter image(CdrWriter w, RawImage image) {
    w.reset();
    header(w, nanos(image.getTimestamp()), image.getFrameId());
    w.uint32(image.getHeight()).uint32(image.getWidth()).string(image.getEncoding()).uint8(0) // is_bigendian
        .uint32(image.getStep());
    ByteString data = image.getData();
    data.copyTo(w.array(), w.uint8SequenceInPlace(data.size()));
    return w;
  }

  /**
   * sensor_msgs/msg/CameraInfo of a calibration: distortion model and D, K, R, P as given; no binning (0 = 1), a
   * full-image region of interest (all zeros, do_rectify false), as ROS means "not set".
   */
  public static CdrWriter cameraInfo(CdrWriter w, CameraCalibration c) {
    w.reset();
    header(w, nanos(c.getTimestamp()), c.getFrameId());
    w.uint32(c.getHeight()).uint32(c.getWidth()).string(c.getDistortionModel());
    w.sequenceLength(c.getDCount());
    for (int i = 0; i < c.getDCount(); i++) {
      w.float64(c.getD(i));
    }
    fixed(w, c.getKList(), 9, "K");
    fixed(w, c.getRList(), 9, "R");
    fixed(w, c.getPList(), 12, "P");
    w.uint32(0).uint32(0); // binning_x, binning_y
    w.uint32(0).uint32(0).uint32(0).uint32(0).bool(false); // roi: x_offset, y_offset, height, width, do_rectify
    return w;
  }

  private static void fixed(CdrWriter w, List<Double> values, int n, String name) {
    if (values.size() != n) {
      throw new IllegalArgumentException("camera calibration " + name + " has " + values.size() + " values, not "
          + n);
    }
    for (int i = 0; i < n; i++) {
      w.float64(values.get(i));
    }
  }

  /**
   * sensor_msgs/msg/LaserScan of the guidance's scan, in the sensor's body frame (REP-103 axes, angles
   * counter-clockwise from ahead, as ours): angle_max from the scan (or its sector count, for producers that
   * predate the field), time_increment and scan_time in seconds, ranges with +Inf, -Inf and NaN as REP-117 and the
   * guidance define them, no intensities.
   *
   * @param scanTimeS seconds between scans, 0 when unknown
   */
  public static CdrWriter laserScan(CdrWriter w, long stampNs, String frameId, LaserScan s, float scanTimeS) {
    int n = s.getRangesMCount();
    float angleMax = s.getAngleMaxRad() != 0 || n <= 1 ? s.getAngleMaxRad()
        : s.getAngleMinRad() + s.getAngleIncrementRad() * (n - 1);
    w.reset();
    header(w, stampNs, frameId);
    w.float32(s.getAngleMinRad()).float32(angleMax).float32(s.getAngleIncrementRad())
        .float32(s.getTimeIncrementS()).float32(scanTimeS).float32(s.getRangeMinM()).float32(s.getRangeMaxM());
    w.sequenceLength(n);
    for (int i = 0; i < n; i++) {
      w.float32(s.getRangesM(i));
    }
    w.sequenceLength(0); // intensities
    return w;
  }

  /**
   * sensor_msgs/msg/PointCloud2 of a depth image back-projected through its calibration, as depth_image_proc's
   * point_cloud_xyz does, with depth-core's {@link BackProjection} (the formula, cited, shared with the node's
   * point cloud output); 16UC1 millimetres times
   * 0.001f. An organized cloud of every {@code decimation}-th pixel in both directions: ceil(height / N) rows of
   * ceil(width / N) points, fields x, y, z float32 at offsets 0, 4, 8, point_step {@value #POINT_STEP}; a pixel
   * without depth (0, NaN, +/-Inf) is the point (NaN, NaN, NaN), so is_dense is false. The points are written
   * straight into the message.
   *
   * @throws IllegalArgumentException for an encoding other than 16UC1 or 32FC1, data that does not fill the
   *     image, or a calibration without focal lengths
   */
  public static CdrWriter pointCloud2(CdrWriter w, RawImage depth, CameraCalibration k, int decimation) {
    if (decimation < 1) {
      throw new IllegalArgumentException("point cloud decimation must be >= 1, got " + decimation);
    }
    int width = depth.getWidth();
    int height = depth.getHeight();
    boolean millimetres = depth.getEncoding().equals("16UC1");
    int bytesPerPixel = millimetres ? 2 : 4;
    if (!millimetres && !depth.getEncoding().equals("32FC1")) {
      throw new IllegalArgumentException("a point cloud needs a 16UC1 or 32FC1 depth image, not "
          + depth.getEncoding());
    }
    if (depth.getStep() < width * bytesPerPixel || depth.getData().size() < (long) depth.getStep() * height) {
      throw new IllegalArgumentException("depth image data of " + depth.getData().size() + " bytes, step "
          + depth.getStep() + ", does not fill " + width + "x" + height + " " + depth.getEncoding() + " pixels");
    }
    if (k.getKCount() != 9 || !(k.getK(0) > 0) || !(k.getK(4) > 0)) {
      throw new IllegalArgumentException("a point cloud needs the camera's focal lengths (K[0], K[4] > 0)");
    }
    int columns = (width + decimation - 1) / decimation;
    int rows = (height + decimation - 1) / decimation;
    w.reset();
    header(w, nanos(depth.getTimestamp()), depth.getFrameId());
    w.uint32(rows).uint32(columns);
    w.sequenceLength(XYZ.size());
    for (int i = 0; i < XYZ.size(); i++) {
      w.string(XYZ.get(i)).uint32(4L * i).uint8(POINT_FIELD_FLOAT32).uint32(1);
    }
    w.bool(false).uint32(POINT_STEP).uint32((long) POINT_STEP * columns);
    int at = w.uint8SequenceInPlace(Math.multiplyExact(POINT_STEP * columns, rows));
    backProject(depth, millimetres, k, decimation, w.array(), at);
    w.bool(false); // is_dense: pixels without depth are NaN points
    return w;
  }

  private static void backProject(RawImage depth, boolean millimetres, CameraCalibration k, int n, byte[] out,
      int at) {
    // No copy; slice() because the reads are absolute and the bytes may start at an offset of a shared array
    ByteBuffer pixels = depth.getData().asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    int step = depth.getStep();
    BackProjection projection = new BackProjection().intrinsics(k.getK(0), k.getK(4), k.getK(2), k.getK(5));
    int o = at;
    for (int v = 0; v < depth.getHeight(); v += n) {
      for (int u = 0; u < depth.getWidth(); u += n) {
        float z = millimetres ? (pixels.getShort(v * step + 2 * u) & 0xffff) * 0.001f
            : pixels.getFloat(v * step + 4 * u);
        projection.write(u, v, z, out, o);
        o += POINT_STEP;
      }
    }
  }

  /** tf2_msgs/msg/TFMessage of static transforms, each stamped {@code stampNs}. */
  public static CdrWriter tfMessage(CdrWriter w, long stampNs, List<Transform> transforms) {
    w.reset();
    w.sequenceLength(transforms.size());
    for (Transform t : transforms) {
      header(w, stampNs, t.parentFrame());
      w.string(t.childFrame());
      vector(w, t.translation(), 3, "translation");
      vector(w, t.rotation(), 4, "rotation");
    }
    return w;
  }

  private static void vector(CdrWriter w, double[] v, int n, String name) {
    if (v.length != n) {
      throw new IllegalArgumentException("a transform's " + name + " has " + v.length + " values, not " + n);
    }
    w.float64Array(v);
  }
}
