package io.depthstream.depth.io;

import io.depthstream.depth.DepthMap;

/**
 * How integer samples in a dataset's files map to depth values, one constant per dataset convention.
 *
 * <p>Every decoder maps the file's "no measurement" code to {@code 0f} (the {@link DepthMap} convention) and every
 * encoder maps {@code 0f} back to it. Values are metres except for {@link #MIDDLEBURY_DISPARITY}, whose values stay
 * in the file's scaled-disparity units (0-255), because depth super-resolution papers evaluate on those.
 */
public enum DepthEncoding {
  /** KITTI depth completion / our derived sparse maps: uint16, {@code metres = v / 256}, 0 = no point. */
  KITTI(256.0),
  /** TUM RGB-D: uint16, {@code metres = v / 5000}, 0 = missing. */
  TUM(5000.0),
  /** Plain uint16 millimetres (this project's wire format): {@code metres = v / 1000}, 0 = missing. */
  MILLIMETRES(1000.0),
  /**
   * SUN RGB-D: uint16 stored bit-rotated by 3; {@code d = ((v >> 3) | (v << 13)) & 0xffff}, {@code metres = d / 1000},
   * 0 = missing (see SUN RGB-D toolbox {@code read3dPoints.m}).
   */
  SUN_RGBD(1000.0),
  /**
   * NYU Depth v2 raw Kinect disparity (11-bit in uint16): 2047 = invalid; {@code metres = 351.3 / (1092.5 - raw)}
   * (the NYU toolbox's {@code depth_rel2depth_abs}); raw values at or above 1092 (no positive depth) are invalid.
   */
  NYU_RAW(1.0),
  /**
   * Middlebury 2001/2003 ground truth: uint8 disparity times a per-image factor (4 for Cones/Teddy, 8 for Venus,
   * 16 for Tsukuba), 0 = unknown. Values are kept as-is, in scaled-disparity units, not metres.
   */
  MIDDLEBURY_DISPARITY(1.0);

  /** NYU Kinect constants from the NYU Depth v2 toolbox ({@code depth_rel2depth_abs.m}). */
  static final double NYU_A = 351.3;
  static final double NYU_B = 1092.5;
  static final int NYU_INVALID = 2047;

  private final double unitsPerMetre;

  DepthEncoding(double unitsPerMetre) {
    this.unitsPerMetre = unitsPerMetre;
  }

  /** Decodes raw file samples into a new map (metres, or disparity units for Middlebury; 0 = invalid). */
  public DepthMap decode(RawImage raw) {
    DepthMap out = DepthMap.allocate(raw.width(), raw.height());
    decodeInto(raw, out);
    return out;
  }

  /** Decodes into an existing map of the same size (no allocation). */
  public void decodeInto(RawImage raw, DepthMap out) {
    if (out.width() != raw.width() || out.height() != raw.height()) {
      throw new IllegalArgumentException("decode: size mismatch, raw " + raw.width() + "x" + raw.height()
          + " vs map " + out.width() + "x" + out.height());
    }
    int[] s = raw.samples();
    float[] d = out.data();
    switch (this) {
      case SUN_RGBD -> {
        for (int i = 0; i < s.length; i++) {
          int v = s[i];
          int rot = ((v >>> 3) | (v << 13)) & 0xffff;
          d[i] = (float) (rot / unitsPerMetre);
        }
      }
      case NYU_RAW -> {
        for (int i = 0; i < s.length; i++) {
          int v = s[i];
          d[i] = (v == NYU_INVALID || v >= 1092) ? 0f : (float) (NYU_A / (NYU_B - v));
        }
      }
      default -> {
        // Divide in double, then round once to float, so v/5000 gives the float nearest the true quotient.
        for (int i = 0; i < s.length; i++) {
          d[i] = (float) (s[i] / unitsPerMetre);
        }
      }
    }
  }

  /**
   * Encodes a map into this format's integer samples (rounded to nearest; 0f to the invalid code).
   *
   * @throws IllegalArgumentException if a value is negative, NaN or does not fit the format
   */
  public RawImage encode(DepthMap map) {
    float[] d = map.data();
    int[] s = new int[d.length];
    int max = this == MIDDLEBURY_DISPARITY ? 255 : 65535;
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      if (!(v >= 0f) || Float.isInfinite(v)) {
        throw new IllegalArgumentException(name() + " encode: invalid value " + v + " at pixel " + i
            + " (must be finite and >= 0)");
      }
      int q;
      if (v == 0f) {
        q = this == NYU_RAW ? NYU_INVALID : 0;
      } else if (this == NYU_RAW) {
        q = (int) Math.round(NYU_B - NYU_A / v);
        if (q < 0 || q >= 1092) {
          throw new IllegalArgumentException("NYU_RAW encode: " + v + " m at pixel " + i + " outside Kinect range");
        }
      } else {
        long r = Math.round(v * unitsPerMetre);
        if (r > max) {
          throw new IllegalArgumentException(name() + " encode: " + v + " at pixel " + i + " exceeds the format's "
              + "maximum " + max / unitsPerMetre);
        }
        q = (int) r;
        if (this == SUN_RGBD) {
          q = ((q << 3) | (q >>> 13)) & 0xffff;
        }
      }
      s[i] = q;
    }
    return new RawImage(map.width(), map.height(), s, max);
  }
}
