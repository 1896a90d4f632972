package io.depthstream.depth.sampling;

import java.util.List;

/**
 * Parses sampling pattern specs of the form {@code name} or {@code name:key=value,key=value}. Every key has a
 * default, so a bare name is a valid spec; {@link SamplingPattern#spec()} returns the canonical form with every
 * key. Errors name the pattern and the offending key or value.
 *
 * <table>
 *   <caption>Patterns and keys (defaults in brackets)</caption>
 *   <tr><td>uniform</td><td>p [0.1]</td></tr>
 *   <tr><td>gradient</td><td>fraction [0.05]</td></tr>
 *   <tr><td>gradient-uniform</td><td>fraction [0.05], p [0.05]</td></tr>
 *   <tr><td>grid</td><td>step [8] pixels, offset [random] or 0..step-1</td></tr>
 *   <tr><td>lidar</td><td>lines [64], up [2] and down [24.8] degrees, hstep [2] pixels, drop [0], fx, fy, cx, cy
 *       pixels [fitted]</td></tr>
 *   <tr><td>semidense</td><td>fraction [0.1], noise [0.01] relative std</td></tr>
 * </table>
 */
public final class SamplingPatterns {
  private static final List<String> NAMES =
      List.of("uniform", "gradient", "gradient-uniform", "grid", "lidar", "semidense");

  private SamplingPatterns() {}

  /** The pattern names, in a stable order. */
  public static List<String> names() {
    return NAMES;
  }

  /** One spec per pattern, with the seed study's or the sensor's typical parameters. */
  public static List<String> defaults() {
    return List.of(
        "uniform:p=0.1",
        "gradient:fraction=0.05",
        "gradient-uniform:fraction=0.05,p=0.05",
        "grid:step=8",
        "lidar:lines=64",
        "semidense:fraction=0.1");
  }

  /**
   * A new pattern for {@code spec}.
   *
   * @throws IllegalArgumentException naming the unknown pattern (and listing the known ones), the unknown key
   *     (and listing the pattern's keys), or the key whose value is malformed or out of range
   */
  public static SamplingPattern parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty sampling spec; known patterns: " + String.join(", ", NAMES));
    }
    int colon = spec.indexOf(':');
    String name = (colon < 0 ? spec : spec.substring(0, colon)).strip();
    String params = colon < 0 ? "" : spec.substring(colon + 1);
    switch (name) {
      case "uniform": {
        SpecParser k = new SpecParser(name, params, List.of("p"));
        return new UniformSampling(k.number("p", 0.1, 0, true, 1));
      }
      case "gradient": {
        SpecParser k = new SpecParser(name, params, List.of("fraction"));
        return new GradientSampling(k.number("fraction", 0.05, 0, true, 1));
      }
      case "gradient-uniform": {
        SpecParser k = new SpecParser(name, params, List.of("fraction", "p"));
        return new GradientUniformSampling(k.number("fraction", 0.05, 0, true, 1), k.number("p", 0.05, 0, true, 1));
      }
      case "grid": {
        SpecParser k = new SpecParser(name, params, List.of("step", "offset"));
        int step = k.integer("step", 8, 1, io.depthstream.depth.DepthMap.MAX_SIDE);
        String offset = k.string("offset", "random");
        return new GridSampling(
            step, offset.equals("random") ? GridSampling.RANDOM_OFFSET : k.integer("offset", 0, 0, step - 1));
      }
      case "lidar": {
        SpecParser k =
            new SpecParser(name, params, List.of("lines", "up", "down", "hstep", "drop", "fx", "fy", "cx", "cy"));
        return new LidarSampling(
            k.integer("lines", 64, 1, io.depthstream.depth.DepthMap.MAX_SIDE),
            k.number("up", 2.0, -89, false, 89),
            k.number("down", 24.8, -89, false, 89),
            k.integer("hstep", 2, 1, io.depthstream.depth.DepthMap.MAX_SIDE),
            k.number("drop", 0.0, 0, false, 0.999),
            k.number("fx", 0, 0, false, 1e6),
            k.number("fy", 0, 0, false, 1e6),
            k.has("cx") ? k.number("cx", 0, -1e6, false, 1e6) : Double.NaN,
            k.has("cy") ? k.number("cy", 0, -1e6, false, 1e6) : Double.NaN);
      }
      case "semidense": {
        SpecParser k = new SpecParser(name, params, List.of("fraction", "noise"));
        return new SemiDenseSampling(k.number("fraction", 0.1, 0, true, 1), k.number("noise", 0.01, 0, false, 0.5));
      }
      default:
        throw new IllegalArgumentException(
            "unknown sampling pattern '" + name + "' in '" + spec + "'; known patterns: " + String.join(", ", NAMES));
    }
  }
}
