package io.depthstream.depth;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Pinhole back-projection of a depth pixel into a 3-D point, as depth_image_proc's point_cloud_xyz does (ROS
 * image_pipeline, {@code depth_image_proc/conversions.hpp}, {@code convertDepth}): pixel (u, v) with depth Z metres
 * becomes
 *
 * <pre>
 *   X = (u - cx) * Z * (1 / fx),   Y = (v - cy) * Z * (1 / fy),   Z = Z      (metres, optical frame: x right,
 *                                                                           y down, z forward)
 * </pre>
 *
 * <p>in float arithmetic with {@code cx, cy, 1/fx, 1/fy} rounded to float first and the same order of operations,
 * ((u - cx) * Z) * (1 / fx), so the coordinates equal point_cloud_xyz's to the bit. A pixel without depth (Z not a
 * finite number above 0) is the point (NaN, NaN, NaN), as there ("missing points denoted by NaNs"), so an organized
 * cloud keeps its grid. Points are written as float32 x, y, z little-endian ({@value #POINT_BYTES} bytes), the
 * layout of both depthstream's PointCloud and sensor_msgs/PointCloud2.
 *
 * <p>One instance per caller, re-aimed per frame with {@link #intrinsics}: nothing is allocated per frame or per
 * point. Not thread-safe.
 */
public final class BackProjection {
  /** Bytes per point: float32 x, y, z. */
  public static final int POINT_BYTES = 12;

  private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class,
      ByteOrder.LITTLE_ENDIAN);

  private float centerX;
  private float centerY;
  private float constantX;
  private float constantY;

  /**
   * Sets the camera: focal lengths and principal point in pixels of the image being back-projected.
   *
   * @throws IllegalArgumentException when a focal length is not a finite number above 0
   */
  public BackProjection intrinsics(double fx, double fy, double cx, double cy) {
    if (!(fx > 0 && fy > 0 && Double.isFinite(fx) && Double.isFinite(fy))) {
      throw new IllegalArgumentException("back-projection needs focal lengths > 0 pixels, got fx " + fx + ", fy "
          + fy);
    }
    centerX = (float) cx;
    centerY = (float) cy;
    constantX = (float) (1.0 / fx);
    constantY = (float) (1.0 / fy);
    return this;
  }

  /**
   * Writes the point of pixel ({@code u}, {@code v}) with depth {@code z} metres at {@code out[offset ..
   * offset + 11]}: its x, y, z, or NaN, NaN, NaN when {@code z} is not a finite number above 0.
   *
   * @return whether the pixel has a point
   */
  public boolean write(int u, int v, float z, byte[] out, int offset) {
    if (z > 0f && z < Float.POSITIVE_INFINITY) {
      FLOAT_LE.set(out, offset, (u - centerX) * z * constantX);
      FLOAT_LE.set(out, offset + 4, (v - centerY) * z * constantY);
      FLOAT_LE.set(out, offset + 8, z);
      return true;
    }
    FLOAT_LE.set(out, offset, Float.NaN);
    FLOAT_LE.set(out, offset + 4, Float.NaN);
    FLOAT_LE.set(out, offset + 8, Float.NaN);
    return false;
  }
}
