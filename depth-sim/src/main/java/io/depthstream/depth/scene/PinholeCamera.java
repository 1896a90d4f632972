package io.depthstream.depth.scene;

import io.depthstream.depth.DepthMap;

/**
 * A pinhole camera model: focal lengths and principal point in pixels, image size in pixels.
 *
 * <p>Pixel convention (OpenCV): integer coordinates are pixel centres, so pixel {@code (x, y)} covers
 * {@code [x - 0.5, x + 0.5] x [y - 0.5, y + 0.5]} and the centre of a {@code W x H} image is
 * {@code ((W - 1) / 2, (H - 1) / 2)}. The camera frame is x right, y down, z forward (optical axis); a point
 * {@code (X, Y, Z)} in that frame projects to {@code u = fx * X / Z + cx}, {@code v = fy * Y / Z + cy}.
 *
 * @param fx focal length along x, pixels (&gt; 0)
 * @param fy focal length along y, pixels (&gt; 0)
 * @param cx principal point x, pixels
 * @param cy principal point y, pixels
 * @param width image width, pixels
 * @param height image height, pixels
 */
public record PinholeCamera(double fx, double fy, double cx, double cy, int width, int height) {

  /** @throws IllegalArgumentException if a focal length is not positive and finite, or the size is invalid */
  public PinholeCamera {
    DepthMap.checkSize(width, height);
    if (!(fx > 0 && fx < Double.POSITIVE_INFINITY) || !(fy > 0 && fy < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("focal lengths must be positive and finite, got fx=" + fx + " fy=" + fy);
    }
    if (!Double.isFinite(cx) || !Double.isFinite(cy)) {
      throw new IllegalArgumentException("principal point must be finite, got cx=" + cx + " cy=" + cy);
    }
  }

  /**
   * A camera with square pixels, the principal point at the image centre and the given horizontal field of
   * view: {@code fx = fy = (width / 2) / tan(hfov / 2)}.
   *
   * @param hfovDegrees horizontal field of view in degrees, in (0, 180)
   */
  public static PinholeCamera fromHorizontalFov(int width, int height, double hfovDegrees) {
    if (!(hfovDegrees > 0 && hfovDegrees < 180)) {
      throw new IllegalArgumentException("horizontal field of view must be in (0, 180) degrees, got " + hfovDegrees);
    }
    double f = (width / 2.0) / StrictMath.tan(Math.toRadians(hfovDegrees) / 2);
    return new PinholeCamera(f, f, (width - 1) / 2.0, (height - 1) / 2.0, width, height);
  }

  /** Number of pixels, {@code width * height}. */
  public int pixelCount() {
    return width * height;
  }

  /**
   * The Euclidean distance from the optical centre to the point seen at pixel {@code (x, y)} with z-depth
   * {@code zDepth}: {@code zDepth * sqrt(1 + ((x - cx) / fx)^2 + ((y - cy) / fy)^2)}. Depth maps in this
   * project hold z-depth, as depth cameras report it; this converts to the ray length a LiDAR would report.
   *
   * @param zDepth metres along the optical axis
   * @return metres along the ray
   */
  public double rayLength(double x, double y, double zDepth) {
    double a = (x - cx) / fx;
    double b = (y - cy) / fy;
    return zDepth * Math.sqrt(1 + a * a + b * b);
  }
}
