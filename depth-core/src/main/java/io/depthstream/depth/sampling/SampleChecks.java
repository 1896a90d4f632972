package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;

/** Input checks shared by the sampling patterns. */
final class SampleChecks {
  private SampleChecks() {}

  /**
   * Checks sizes and the dense map's values, then clears {@code out}.
   *
   * @return the number of valid ground-truth pixels
   */
  static int begin(String pattern, DepthMap dense, DepthMap out) {
    dense.requireSameSize(out, pattern + " dense vs sparse output");
    float[] d = dense.data();
    int w = dense.width();
    int valid = 0;
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      if (v > 0f && v < Float.POSITIVE_INFINITY) {
        valid++;
      } else if (v != 0f) {
        throw new IllegalArgumentException(
            pattern + ": ground-truth depth at (x=" + (i % w) + ", y=" + (i / w) + ") is " + v
                + " m; expected finite metres >= 0 (0 = no measurement)");
      }
    }
    out.clear();
    return valid;
  }

  static void requireGuide(DepthMap dense, float[] intensity) {
    if (intensity.length != dense.size()) {
      throw new IllegalArgumentException(
          "guide image has " + intensity.length + " values, expected " + dense.width() + "x" + dense.height()
              + " = " + dense.size());
    }
    for (int i = 0; i < intensity.length; i++) {
      if (!Float.isFinite(intensity[i])) {
        throw new IllegalArgumentException(
            "guide image value at (x=" + (i % dense.width()) + ", y=" + (i / dense.width()) + ") is "
                + intensity[i]);
      }
    }
  }
}
