package io.depthstream.streams.codec;

import com.google.protobuf.UnsafeByteOperations;
import io.depthstream.depth.BackProjection;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.frames.RosConventions;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.PointCloud;

/**
 * Back-projects a dense {@link DepthMap} (metres, 0 = no measurement) into the organized point cloud of a
 * {@link PointCloud} message, as depth_image_proc's point_cloud_xyz does, with depth-core's {@link BackProjection}
 * (the formula, cited, shared with the recorder's ROS 2 PointCloud2); a pixel without a point is the point
 * (NaN, NaN, NaN), as there, so the cloud stays organized: point
 * {@code (c, r)} is pixel {@code (c N, r N)} for decimation N. Beyond point_cloud_xyz, a pixel has no point when its
 * depth rests on no measurement within {@code supportMaxPx} output pixels ({@link SupportMap} codes above it,
 * including the sensor's +/-Inf codes 254/255) or lies beyond {@code rangeMaxM}: the node publishes no geometry it
 * invented far from any measurement.
 *
 * <p>Not thread-safe: one encoder per processor. The xyz bytes live in one array reused from frame to frame (a new
 * one only when the cloud's size changes) and are handed to protobuf without a copy, so a message from
 * {@link #encode} must be serialized before the next call.
 */
public final class PointCloudEncoder {
  /** Bytes per point: float32 x, y, z. */
  public static final int POINT_BYTES = BackProjection.POINT_BYTES;

  private final int decimation;
  private final int supportMaxPx;
  private final float rangeMaxM;
  private final BackProjection projection = new BackProjection();
  private byte[] xyz = new byte[0];
  private int validPoints;

  /**
   * @param decimation N >= 1: every Nth pixel in both directions
   * @param supportMaxPx largest support distance code (output pixels, 0 .. {@link SupportMap#MAX_DISTANCE}) of a
   *     pixel that gets a point
   * @param rangeMaxM pixels with depth beyond this many metres get no point; 0 = no limit
   * @throws IllegalArgumentException for a decimation below 1, a support limit outside 0 .. 250 or a negative or
   *     non-finite range
   */
  public PointCloudEncoder(int decimation, int supportMaxPx, double rangeMaxM) {
    if (decimation < 1) {
      throw new IllegalArgumentException("point cloud decimation must be >= 1, got " + decimation);
    }
    if (supportMaxPx < 0 || supportMaxPx > SupportMap.MAX_DISTANCE) {
      throw new IllegalArgumentException("point support limit must be 0 .. " + SupportMap.MAX_DISTANCE + " px, got "
          + supportMaxPx);
    }
    if (!(rangeMaxM >= 0 && Double.isFinite(rangeMaxM))) {
      throw new IllegalArgumentException("point range limit must be finite metres >= 0, got " + rangeMaxM);
    }
    this.decimation = decimation;
    this.supportMaxPx = supportMaxPx;
    this.rangeMaxM = rangeMaxM == 0 ? Float.POSITIVE_INFINITY : (float) rangeMaxM;
  }

  /** Points per row of a cloud from a dense map {@code width} pixels wide: ceil(width / N). */
  public int columns(int width) {
    return (width + decimation - 1) / decimation;
  }

  /** Rows of a cloud from a dense map {@code height} pixels high: ceil(height / N). */
  public int rows(int height) {
    return (height + decimation - 1) / decimation;
  }

  /** The xyz payload of a cloud from a {@code width x height} dense map, in bytes (known before encoding). */
  public long payloadBytes(int width, int height) {
    return (long) columns(width) * rows(height) * POINT_BYTES;
  }

  public int decimation() {
    return decimation;
  }

  /**
   * The PointCloud of {@code dense}: identity, grid, intrinsics, settings and the xyz bytes (in this encoder's reused
   * array: serialize the message before the next call).
   *
   * @param id the input frame's identity, copied unchanged
   * @param intrinsics the camera model of {@code dense} (scaled from the input's by super-resolution)
   * @param support the support of {@code dense}, same size
   * @throws IllegalArgumentException if {@code support} does not cover {@code dense}
   */
  public PointCloud encode(FrameId id, CameraIntrinsics intrinsics, DepthMap dense, SupportMap support) {
    int bytes = (int) payloadBytes(dense.width(), dense.height());
    if (xyz.length != bytes) {
      xyz = new byte[bytes];
    }
    validPoints = backProject(dense, support, intrinsics, xyz);
    return PointCloud.newBuilder()
        .setId(id)
        .setFrameId(RosConventions.opticalFrame(id.getSensorId()))
        .setWidth(columns(dense.width()))
        .setHeight(rows(dense.height()))
        .setDecimation(decimation)
        .setIntrinsics(intrinsics)
        .setXyz(UnsafeByteOperations.unsafeWrap(xyz))
        .setValidPoints(validPoints)
        .setSupportMaxPx(supportMaxPx)
        .setRangeMaxM(Float.isInfinite(rangeMaxM) ? 0f : rangeMaxM)
        .build();
  }

  /** Points with coordinates in the last {@link #encode}. */
  public int validPoints() {
    return validPoints;
  }

  /**
   * Writes the organized cloud of {@code dense} into {@code out}: {@link #columns} x {@link #rows} points of
   * {@value #POINT_BYTES} bytes (float32 x, y, z little-endian), NaN x, y, z where a kept pixel has no point.
   *
   * @param out at least {@link #payloadBytes} bytes
   * @return the number of points with coordinates
   * @throws IllegalArgumentException if {@code support} does not cover {@code dense}
   */
  public int backProject(DepthMap dense, SupportMap support, CameraIntrinsics intrinsics, byte[] out) {
    if (!support.sameSizeAs(dense)) {
      throw new IllegalArgumentException("support map is " + support.width() + "x" + support.height()
          + " but the dense depth is " + dense.width() + "x" + dense.height());
    }
    int width = dense.width();
    int height = dense.height();
    float[] depth = dense.data();
    long[] supported = support.within(supportMaxPx);
    int words = support.wordsPerRow();
    projection.intrinsics(intrinsics.getFx(), intrinsics.getFy(), intrinsics.getCx(), intrinsics.getCy());
    int n = decimation;
    int valid = 0;
    int offset = 0;
    for (int v = 0; v < height; v += n) {
      int row = v * width;
      for (int u = 0; u < width; u += n) {
        float z = depth[row + u];
        boolean kept = z <= rangeMaxM && (supported[v * words + (u >>> 6)] & (1L << u)) != 0;
        if (projection.write(u, v, kept ? z : Float.NaN, out, offset)) {
          valid++;
        }
        offset += POINT_BYTES;
      }
    }
    return valid;
  }
}
