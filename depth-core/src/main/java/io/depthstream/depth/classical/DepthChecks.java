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
    return input.requireValidDepths(method + " input");
  }
}
