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
    int valid = dense.requireValidDepths(pattern + " ground truth");
    out.clear();
    return valid;
  }

  /**
   * As {@link #begin(String, DepthMap, DepthMap)}, after checking the guide image when one is given.
   *
   * @param intensity the guide image, or null for none
   */
  static int begin(String pattern, DepthMap dense, float[] intensity, DepthMap out) {
    if (intensity != null) {
      requireGuide(dense, intensity);
    }
    return begin(pattern, dense, out);
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
