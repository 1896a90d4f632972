package io.depthstream.proto.foxglove;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import foxglove.CameraCalibrationOuterClass.CameraCalibration;
import foxglove.LaserScanOuterClass.LaserScan;
import foxglove.PoseOuterClass.Pose;
import foxglove.QuaternionOuterClass.Quaternion;
import foxglove.RawImageOuterClass.RawImage;
import foxglove.Vector3OuterClass.Vector3;
import io.depthstream.proto.frames.RosConventions;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.SparseSamples;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * depthstream messages as Foxglove's published message schemas (foxglove.RawImage, CameraCalibration, LaserScan),
 * so a stock Foxglove app shows a recording's input depth, dense depth and scan without plugins. The one place
 * that maps our wire format onto theirs, in the runtime's proto module so both the recorder's Foxglove views
 * (drive-tools {@code FoxgloveChannels}) and the node's live export (stream-app, {@code depthstream.foxglove.enabled})
 * use it.
 *
 * <ul>
 *   <li>Depth images: uint16 millimetres (0 = no depth) as {@code 16UC1}, the same bytes (both little-endian,
 *       row-major); float32 metres (NaN = no depth) as {@code 32FC1}; uint16 in 1/256 m and sparse samples as
 *       {@code 32FC1} metres with NaN where there is no depth (a sparse +Inf/-Inf, "no return" or "too near", is
 *       not a distance and becomes NaN too).
 *   <li>The frame id of every message is the sensor's optical frame, {@code <sensor id>_optical_frame}
 *       ({@link RosConventions#opticalFrame}: +x right, +y down, +z ahead), the same as in ROS 2 recordings.
 *   <li>Timestamps are the capture time ({@code FrameId.capture_time_ns}), to the nanosecond.
 * </ul>
 */
public final class FoxgloveConversion {
  /**
   * The scan plane in the camera's optical frame: scan +x = camera +z (ahead), scan +y = camera -x (left), scan
   * +z = camera -y (up). As a rotation from scan to camera coordinates, R = [[0,-1,0],[0,0,-1],[1,0,0]], the
   * quaternion (x, y, z, w) = (0.5, -0.5, 0.5, 0.5).
   */
  static final Pose SCAN_IN_CAMERA = Pose.newBuilder().setPosition(Vector3.newBuilder())
      .setOrientation(Quaternion.newBuilder().setX(0.5).setY(-0.5).setZ(0.5).setW(0.5)).build();

  private FoxgloveConversion() {}

  /** An input frame's depth as an image; empty when the frame has no payload. */
  public static Optional<RawImage> image(DepthFrame f) {
    RawImage.Builder b = imageHeader(f.getId(), f.getWidth(), f.getHeight());
    return switch (f.getPayloadCase()) {
      case DENSE_MM -> Optional.of(uint16Millimetres(b, f.getWidth(), f.getDenseMm().getData()));
      case DENSE_M -> Optional.of(float32Metres(b, f.getWidth(), f.getDenseM().getData()));
      case SPARSE -> Optional.of(sparse(b, f.getWidth(), f.getHeight(), f.getSparse()));
      default -> Optional.empty();
    };
  }

  /** A dense output's depth as an image; empty when it has no payload. */
  public static Optional<RawImage> image(DenseDepth d) {
    return image(d, byte[]::new);
  }

  /**
   * As {@link #image(DenseDepth)}, with the float32 pixels of a uint16 1/256 m output written into {@code buffer}'s
   * array of at least the requested bytes (a caller that reuses one array from frame to frame serializes the image
   * before the next call: it is wrapped without a copy). uint16 millimetres and float32 metres need no buffer: the
   * image carries the output's own bytes.
   */
  public static Optional<RawImage> image(DenseDepth d, IntFunction<byte[]> buffer) {
    RawImage.Builder b = imageHeader(d.getId(), d.getWidth(), d.getHeight());
    return switch (d.getPayloadCase()) {
      case DENSE_MM -> Optional.of(uint16Millimetres(b, d.getWidth(), d.getDenseMm().getData()));
      case DENSE_M -> Optional.of(float32Metres(b, d.getWidth(), d.getDenseM().getData()));
      case DENSE_SCALED -> Optional.of(scaledToMetres(b, d.getWidth(), d.getHeight(),
          d.getDenseScaled().getData(), d.getDenseScaled().getUnitsPerMetre(), buffer));
      default -> Optional.empty();
    };
  }

  /**
   * The pinhole calibration of an image of {@code width x height} pixels: K and P from the intrinsics (scaled
   * when they were given for another image size), R = identity, the distortion model and coefficients the
   * intrinsics carry (they act on normalized coordinates, so scaling leaves them), or {@code plumb_bob} with
   * D = 0 when they carry none (a producer from before those fields: its images are undistorted). Empty when
   * the intrinsics are missing (fx = 0: Foxglove, like ROS, reads K[0] = 0 as uncalibrated).
   */
  public static Optional<CameraCalibration> calibration(FrameId id, CameraIntrinsics k, int width, int height) {
    if (k.getFx() <= 0 || k.getFy() <= 0 || width <= 0 || height <= 0) {
      return Optional.empty();
    }
    double sx = k.getWidth() > 0 ? (double) width / k.getWidth() : 1;
    double sy = k.getHeight() > 0 ? (double) height / k.getHeight() : 1;
    double fx = k.getFx() * sx;
    double fy = k.getFy() * sy;
    double cx = k.getCx() * sx;
    double cy = k.getCy() * sy;
    CameraCalibration.Builder c = CameraCalibration.newBuilder().setTimestamp(timestamp(id))
        .setFrameId(RosConventions.opticalFrame(id.getSensorId())).setWidth(width).setHeight(height);
    if (k.getDistortionModel().isEmpty()) {
      c.setDistortionModel(RosConventions.PLUMB_BOB);
      for (int i = 0; i < 5; i++) {
        c.addD(0);
      }
    } else {
      c.setDistortionModel(k.getDistortionModel()).addAllD(k.getDistortionList());
    }
    for (double v : new double[] {fx, 0, cx, 0, fy, cy, 0, 0, 1}) {
      c.addK(v);
    }
    for (double v : new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}) {
      c.addR(v);
    }
    for (double v : new double[] {fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0}) {
      c.addP(v);
    }
    return Optional.of(c.build());
  }

  /**
   * The guidance's laser scan, in the plane through the camera at right angles to its image columns (see
   * {@link #SCAN_IN_CAMERA}); bearings count counter-clockwise from straight ahead, as ours do; ranges in metres
   * with +Inf, -Inf and NaN as the guidance defines them. Empty when the guidance has no scan.
   */
  public static Optional<LaserScan> laserScan(NavigationGuidance g) {
    if (!g.hasScan() || g.getScan().getRangesMCount() == 0) {
      return Optional.empty();
    }
    var s = g.getScan();
    int n = s.getRangesMCount();
    LaserScan.Builder b = LaserScan.newBuilder().setTimestamp(timestamp(g.getId()))
        .setFrameId(RosConventions.opticalFrame(g.getId().getSensorId())).setPose(SCAN_IN_CAMERA)
        .setStartAngle(s.getAngleMinRad())
        .setEndAngle(s.getAngleMinRad() + (double) s.getAngleIncrementRad() * (n - 1));
    for (int i = 0; i < n; i++) {
      b.addRanges(s.getRangesM(i));
    }
    return Optional.of(b.build());
  }

  private static RawImage.Builder imageHeader(FrameId id, int width, int height) {
    return RawImage.newBuilder().setTimestamp(timestamp(id)).setFrameId(RosConventions.opticalFrame(id.getSensorId()))
        .setWidth(width)
        .setHeight(height);
  }

  private static RawImage uint16Millimetres(RawImage.Builder b, int width, ByteString data) {
    return b.setEncoding("16UC1").setStep(2 * width).setData(data).build();
  }

  private static RawImage float32Metres(RawImage.Builder b, int width, ByteString data) {
    return b.setEncoding("32FC1").setStep(4 * width).setData(data).build();
  }

  private static RawImage scaledToMetres(RawImage.Builder b, int width, int height, ByteString data,
      float unitsPerMetre, IntFunction<byte[]> buffer) {
    int pixels = width * height;
    if (data.size() != 2 * pixels || !(unitsPerMetre > 0)) {
      throw new IllegalArgumentException("scaled uint16 depth of " + data.size() + " bytes for " + width + "x"
          + height + " pixels, " + unitsPerMetre + " units per metre");
    }
    // slice(): a ByteString that shares a larger array (aliased parsing) starts at an offset, and the reads below are
    // absolute
    ByteBuffer in = data.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    byte[] image = buffer.apply(4 * pixels);
    ByteBuffer out = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < pixels; i++) {
      int v = in.getShort(2 * i) & 0xffff;
      out.putFloat(4 * i, v == 0 ? Float.NaN : v / unitsPerMetre);
    }
    // `image` is the caller's until its next call, or fresh
    return float32Metres(b, width, UnsafeByteOperations.unsafeWrap(image, 0, 4 * pixels));
  }

  private static RawImage sparse(RawImage.Builder b, int width, int height, SparseSamples s) {
    int pixels = width * height;
    if (s.getIndexCount() != s.getDepthMCount()) {
      throw new IllegalArgumentException("sparse samples with " + s.getIndexCount() + " indices and "
          + s.getDepthMCount() + " depths");
    }
    byte[] image = new byte[4 * pixels];
    ByteBuffer out = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < pixels; i++) {
      out.putFloat(4 * i, Float.NaN);
    }
    for (int i = 0; i < s.getIndexCount(); i++) {
      int at = s.getIndex(i);
      if (at < 0 || at >= pixels) {
        throw new IllegalArgumentException("sparse sample index " + Integer.toUnsignedString(at) + " outside "
            + width + "x" + height + " pixels");
      }
      float d = s.getDepthM(i);
      out.putFloat(4 * at, Float.isFinite(d) ? d : Float.NaN);
    }
    return float32Metres(b, width, UnsafeByteOperations.unsafeWrap(image)); // `image` is not touched again
  }

  private static Timestamp timestamp(FrameId id) {
    long ns = id.getCaptureTimeNs();
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(ns, 1_000_000_000L))
        .setNanos((int) Math.floorMod(ns, 1_000_000_000L)).build();
  }
}
