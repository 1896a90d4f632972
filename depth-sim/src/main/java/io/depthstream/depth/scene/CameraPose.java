package io.depthstream.depth.scene;

/**
 * Where a camera is and where it looks, in the scene's world frame.
 *
 * <p>World frame: metres, x right (east), y up, z forward (north, the road's driving direction). A pose with
 * zero yaw and pitch looks along +z with the image's x axis along +x and its y axis along -y (down).
 * Positive yaw turns the view towards +x (to the right), positive pitch tilts it up; there is no roll.
 * The camera's forward axis is {@code (sin(yaw) cos(pitch), sin(pitch), cos(yaw) cos(pitch))}.
 *
 * @param x position, metres
 * @param y position (height), metres
 * @param z position, metres
 * @param yaw heading, radians
 * @param pitch elevation, radians, in (-pi/2, pi/2)
 */
public record CameraPose(double x, double y, double z, double yaw, double pitch) {

  /** @throws IllegalArgumentException if a value is not finite or the pitch is vertical or beyond */
  public CameraPose {
    if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z) || !Double.isFinite(yaw)) {
      throw new IllegalArgumentException("camera pose must be finite, got " + x + ", " + y + ", " + z + ", yaw " + yaw);
    }
    if (!(Math.abs(pitch) < Math.PI / 2)) {
      throw new IllegalArgumentException("camera pitch must be in (-pi/2, pi/2) radians, got " + pitch);
    }
  }

  /** A camera at {@code (x, y, z)} looking along +z. */
  public static CameraPose lookingForward(double x, double y, double z) {
    return new CameraPose(x, y, z, 0, 0);
  }
}
