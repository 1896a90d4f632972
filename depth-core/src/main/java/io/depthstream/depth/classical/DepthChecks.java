package io.depthstream.depth.classical;

import io.depthstream.depth.DepthMap;

/** Input checks shared by the classical methods: same size and every value finite and {@code >= 0}. */
final class DepthChecks {
  private DepthChecks() {}

  /**
   * Checks that {@code input} and {@code output} have the same size and that every input value follows the
   * {@link DepthMap} convention (finite metres, {@code 0f} = no measurement).
   *
   * @return the number of valid ({@code > 0}) input pixels
   * @throws IllegalArgumentException naming the method, the sizes, or the first bad pixel
   */
  static int requireValidPair(String method, DepthMap input, DepthMap output) {
    input.requireSameSize(output, method + " input vs output");
    float[] d = input.data();
    int w = input.width();
    int valid = 0;
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      // One comparison covers the common case; NaN, negatives and infinities fall through to the message.
      if (v > 0f && v < Float.POSITIVE_INFINITY) {
        valid++;
      } else if (v != 0f) {
        throw new IllegalArgumentException(
            method + ": input depth at (x=" + (i % w) + ", y=" + (i / w) + ") is " + v
                + " m; expected finite metres >= 0 (0 = no measurement)");
      }
    }
    return valid;
  }
}
