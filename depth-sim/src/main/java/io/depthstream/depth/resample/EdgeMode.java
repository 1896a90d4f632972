package io.depthstream.depth.resample;

/** How {@link Resampler} reads input pixels beyond the border. */
public enum EdgeMode {
  /** Repeat the edge pixel ({@code x < 0 -> 0}, {@code x >= n -> n - 1}); the default, as PIL and OpenCV's default for resize. */
  REPLICATE,
  /**
   * Mirror including the edge pixel ({@code -1 -> 0}, {@code -2 -> 1}, {@code n -> n - 1}), as MATLAB {@code imresize}
   * ({@code aux = [1:n, n:-1:1]} in its {@code contributions}).
   */
  SYMMETRIC;

  int map(int i, int n) {
    if (this == REPLICATE) {
      return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }
    int period = 2 * n;
    int m = Math.floorMod(i, period);
    return m < n ? m : period - 1 - m;
  }
}
