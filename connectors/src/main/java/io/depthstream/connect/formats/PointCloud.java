package io.depthstream.connect.formats;

/**
 * Points of one scan in the sensor's frame, metres: {@code xyz[3 * i .. 3 * i + 2]} for point i. Intensity is not
 * kept: depth reconstruction only needs geometry.
 *
 * @param xyz packed coordinates, length at least {@code 3 * count}
 * @param count number of points
 */
public record PointCloud(float[] xyz, int count) {
  public PointCloud {
    if (count < 0 || xyz.length < 3L * count) {
      throw new IllegalArgumentException("point cloud of " + count + " points needs " + 3L * count
          + " coordinates, array has " + xyz.length);
    }
  }
}
