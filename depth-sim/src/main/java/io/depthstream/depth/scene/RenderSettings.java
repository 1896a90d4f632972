package io.depthstream.depth.scene;

/**
 * How a scene is sensed and lit.
 *
 * <p>Depth convention: a pixel's depth is the z-depth of the first surface hit, if it lies in
 * {@code (nearClip, maxRange]}; otherwise (sky, nothing hit, or a surface beyond the sensor's range) it is
 * {@code 0} = no measurement, as a real depth sensor would leave it. Surfaces up to {@code renderDistance}
 * (&gt;= maxRange) still appear in the RGB image, so RGB pixels may show a distant building whose depth is 0.
 *
 * @param maxRange farthest z-depth reported, metres
 * @param renderDistance farthest z-depth drawn in RGB, metres (&gt;= maxRange)
 * @param nearClip nearest z-depth considered, metres (&gt; 0)
 * @param ambient fraction of the albedo lit without the light, in [0, 1]
 * @param lightX direction towards the (directional) light, world frame; normalised here
 * @param lightY see lightX
 * @param lightZ see lightX
 * @param skyHorizon sky colour at the horizon and fog colour, {@code 0xRRGGBB}
 * @param skyZenith sky colour straight up, {@code 0xRRGGBB}
 * @param fogDistance ray length in metres over which fog blends a surface 63% into the horizon colour;
 *     {@code Double.POSITIVE_INFINITY} for none
 */
public record RenderSettings(double maxRange, double renderDistance, double nearClip, double ambient, double lightX,
    double lightY, double lightZ, int skyHorizon, int skyZenith, double fogDistance) {

  /** @throws IllegalArgumentException naming the first inconsistent setting */
  public RenderSettings {
    if (!(nearClip > 0 && nearClip < maxRange)) {
      throw new IllegalArgumentException(
          "need 0 < nearClip < maxRange, got nearClip=" + nearClip + " maxRange=" + maxRange);
    }
    if (!(renderDistance >= maxRange && renderDistance < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "need maxRange <= renderDistance < infinity, got maxRange=" + maxRange + " renderDistance=" + renderDistance);
    }
    if (!(ambient >= 0 && ambient <= 1)) {
      throw new IllegalArgumentException("ambient must be in [0, 1], got " + ambient);
    }
    double len = Math.sqrt(lightX * lightX + lightY * lightY + lightZ * lightZ);
    if (!(len > 0 && len < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("light direction must be non-zero and finite");
    }
    lightX /= len;
    lightY /= len;
    lightZ /= len;
    if (!(fogDistance > 0)) {
      throw new IllegalArgumentException("fogDistance must be positive metres (or infinity), got " + fogDistance);
    }
  }

  /** Indoor defaults: a 10 m depth sensor (Kinect-like), soft light from above, no fog. */
  public static RenderSettings indoor() {
    return new RenderSettings(10, 30, 0.05, 0.45, 0.3, 1.0, -0.4, 0xb0b0b0, 0xb0b0b0, Double.POSITIVE_INFINITY);
  }

  /** Road defaults: 80 m range (LiDAR-like), drawn to 140 m, low sun, light haze. */
  public static RenderSettings road() {
    return new RenderSettings(80, 140, 0.05, 0.35, -0.5, 0.8, -0.35, 0xc8d8e8, 0x5080c8, 250);
  }

  /** A copy with another sensor range (the render distance grows with it if needed). */
  public RenderSettings withMaxRange(double metres) {
    return new RenderSettings(metres, Math.max(renderDistance, metres), nearClip, ambient, lightX, lightY, lightZ,
        skyHorizon, skyZenith, fogDistance);
  }
}
