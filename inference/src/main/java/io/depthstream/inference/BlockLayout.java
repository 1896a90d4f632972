package io.depthstream.inference;

/**
 * The block (space-to-depth) layout of a fast model in {@link ModelSignature#FAST_BLOCKS} form, done by the runner's
 * copy loops so that the graph holds no full-resolution tensor (issue 16: the full-resolution AveragePool, Mul,
 * strided patch-embedding convolution and final DepthToSpace cost about 1.2 ms of a 640x480 frame in ONNX Runtime,
 * while the runner touches every pixel anyway).
 *
 * <p>For block size b, a padded frame of {@code lowW b x lowH b} pixels and low-resolution planes of
 * {@code lowW x lowH}: pixel (x, y) is at {@code (i b + j) plane + (y / b) lowW + x / b} of a block tensor, with
 * {@code i = y mod b}, {@code j = x mod b} and {@code plane = lowW lowH} (PyTorch's {@code pixel_unshuffle}, and
 * ONNX's DepthToSpace in CRD mode undoes it). The input has two such halves (depth, then the mask); the output one.
 * Pixels beyond the frame, up to the padded size, are never written, so a buffer that started zeroed keeps them 0:
 * no measurement, as for the plain layout's padding.
 */
final class BlockLayout {
  private BlockLayout() {}

  /**
   * Checks and packs a frame in one pass: {@code packed} gets the depth half (metres, 0 = none) and, from
   * {@code b^2 plane} on, the mask half (1 where depth &gt; 0).
   *
   * @param depth the frame, {@code width x height}, row-major
   * @return 0 when every value is finite and &gt;= 0, else non-zero (the caller names the pixel; what was packed
   *     then must not reach the network)
   */
  static int pack(float[] depth, int width, int height, int b, int lowW, int lowH, float[] packed) {
    int plane = lowW * lowH;
    int maskHalf = b * b * plane;
    int bad = 0;
    for (int y = 0; y < height; y++) {
      int row = y * width;
      int blockRow = (y % b) * b * plane + (y / b) * lowW;
      for (int j = 0; j < b; j++) {
        int to = blockRow + j * plane;
        // the pixels j, j + b, j + 2b, ... of this row are consecutive in plane (i b + j)
        for (int x = j; x < width; x += b) {
          float v = depth[row + x];
          // accumulated without a branch (as OnnxReconstructor's plain path); the pixel is found only on failure
          bad |= v >= 0f & v <= Float.MAX_VALUE ? 0 : 1;
          packed[to] = v;
          packed[maskHalf + to] = v > 0f ? 1f : 0f;
          to++;
        }
      }
    }
    return bad;
  }

  /**
   * The frame ({@code width x height}, row-major, into {@code frame}) of a one-half block tensor, the inverse of
   * {@link #pack}'s layout: the pixel shuffle of the model's output, cropped to the frame.
   */
  static void unpack(float[] blocks, int b, int lowW, int lowH, float[] frame, int width, int height) {
    int plane = lowW * lowH;
    for (int y = 0; y < height; y++) {
      int row = y * width;
      int blockRow = (y % b) * b * plane + (y / b) * lowW;
      for (int j = 0; j < b; j++) {
        int from = blockRow + j * plane;
        for (int x = j; x < width; x += b) {
          frame[row + x] = blocks[from++];
        }
      }
    }
  }

  /** Where pixel (x, y) of the padded frame is in a one-half block tensor. */
  static int index(int x, int y, int b, int lowW, int lowH) {
    return ((y % b) * b + x % b) * lowW * lowH + (y / b) * lowW + x / b;
  }
}
