package io.depthstream.inference;

import java.nio.FloatBuffer;

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
 * no measurement, as for the plain layout's padding. Both directions work on the tensors' direct buffers
 * themselves: packing on the heap and copying it over cost 0.15 ms more per 640x480 frame (measured in the
 * runner's order, after an ONNX Runtime run).
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
  static int pack(float[] depth, int width, int height, int b, int lowW, int lowH, FloatBuffer packed) {
    return pack(depth, width, 0, height, b, lowW, lowH, packed);
  }

  /** {@link #pack(float[], int, int, int, int, int, FloatBuffer)} of the frame's rows {@code [firstRow, endRow)} only. */
  static int pack(float[] depth, int width, int firstRow, int endRow, int b, int lowW, int lowH, FloatBuffer packed) {
    if (b == 4) {
      return pack4(depth, width, firstRow, endRow, lowW, lowH, packed);
    }
    int plane = lowW * lowH;
    int maskHalf = b * b * plane;
    int bad = 0;
    for (int y = firstRow; y < endRow; y++) {
      int row = y * width;
      int blockRow = index(0, y, b, lowW, lowH);
      for (int j = 0; j < b; j++) {
        int to = blockRow + j * plane;
        // the pixels j, j + b, j + 2b, ... of this row are consecutive in plane (i b + j)
        for (int x = j; x < width; x += b) {
          float v = depth[row + x];
          // accumulated without a branch (as OnnxReconstructor's plain path); the pixel is found only on failure
          bad |= v >= 0f & v <= Float.MAX_VALUE ? 0 : 1;
          packed.put(to, v);
          packed.put(maskHalf + to, v > 0f ? 1f : 0f);
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
  static void unpack(FloatBuffer blocks, int b, int lowW, int lowH, float[] frame, int width, int height) {
    unpack(blocks, b, lowW, lowH, frame, width, 0, height);
  }

  /** {@link #unpack(FloatBuffer, int, int, int, float[], int, int)} of the frame's rows {@code [firstRow, endRow)} only. */
  static void unpack(FloatBuffer blocks, int b, int lowW, int lowH, float[] frame, int width, int firstRow,
      int endRow) {
    if (b == 4) {
      unpack4(blocks, lowW, lowH, frame, width, firstRow, endRow);
      return;
    }
    int plane = lowW * lowH;
    for (int y = firstRow; y < endRow; y++) {
      int row = y * width;
      int blockRow = index(0, y, b, lowW, lowH);
      for (int j = 0; j < b; j++) {
        int from = blockRow + j * plane;
        for (int x = j; x < width; x += b) {
          frame[row + x] = blocks.get(from++);
        }
      }
    }
  }

  /*
   * Block size 4 (the shipped model's): the same layouts with the four planes of a row's pixels as four cursors, so
   * the frame is read and written in order, four pixels per step. Measured at 640x480 (JDK 17, one JVM, 400 frames
   * per figure, heap arrays): pack 0.77 ms against 1.35 ms of the general loop once compiled (and 0.78 ms of the
   * plain layout's check, mask and two copies); unpack and keep-samples 0.51 ms against 0.72 ms (plain copy 0.42 ms).
   */

  private static int pack4(float[] depth, int width, int firstRow, int endRow, int lowW, int lowH,
      FloatBuffer packed) {
    int plane = lowW * lowH;
    int maskHalf = 16 * plane;
    int whole = width / 4;
    int bad = 0;
    for (int y = firstRow; y < endRow; y++) {
      int row = y * width;
      int p0 = index(0, y, 4, lowW, lowH); // the row's pixels 0, 4, 8, ... in plane i b; 1, 5, ... in the next
      for (int x4 = 0; x4 < whole; x4++) {
        int i = row + 4 * x4;
        float a = depth[i];
        float b = depth[i + 1];
        float c = depth[i + 2];
        float d = depth[i + 3];
        bad |= (a >= 0f & a <= Float.MAX_VALUE ? 0 : 1) | (b >= 0f & b <= Float.MAX_VALUE ? 0 : 1)
            | (c >= 0f & c <= Float.MAX_VALUE ? 0 : 1) | (d >= 0f & d <= Float.MAX_VALUE ? 0 : 1);
        int q = p0 + x4;
        packed.put(q, a);
        packed.put(q + plane, b);
        packed.put(q + 2 * plane, c);
        packed.put(q + 3 * plane, d);
        packed.put(maskHalf + q, a > 0f ? 1f : 0f);
        packed.put(maskHalf + q + plane, b > 0f ? 1f : 0f);
        packed.put(maskHalf + q + 2 * plane, c > 0f ? 1f : 0f);
        packed.put(maskHalf + q + 3 * plane, d > 0f ? 1f : 0f);
      }
      for (int x = 4 * whole; x < width; x++) { // a width that is not a multiple of 4: its last pixels
        float v = depth[row + x];
        bad |= v >= 0f & v <= Float.MAX_VALUE ? 0 : 1;
        int to = p0 + (x % 4) * plane + x / 4;
        packed.put(to, v);
        packed.put(maskHalf + to, v > 0f ? 1f : 0f);
      }
    }
    return bad;
  }

  private static void unpack4(FloatBuffer blocks, int lowW, int lowH, float[] frame, int width, int firstRow,
      int endRow) {
    int plane = lowW * lowH;
    int whole = width / 4;
    for (int y = firstRow; y < endRow; y++) {
      int row = y * width;
      int p0 = index(0, y, 4, lowW, lowH); // the row's pixels 0, 4, 8, ... in plane i b; 1, 5, ... in the next
      for (int x4 = 0; x4 < whole; x4++) {
        int o = row + 4 * x4;
        int q = p0 + x4;
        frame[o] = blocks.get(q);
        frame[o + 1] = blocks.get(q + plane);
        frame[o + 2] = blocks.get(q + 2 * plane);
        frame[o + 3] = blocks.get(q + 3 * plane);
      }
      for (int x = 4 * whole; x < width; x++) {
        frame[row + x] = blocks.get(p0 + (x % 4) * plane + x / 4);
      }
    }
  }

  /** Where pixel (x, y) of the padded frame is in a one-half block tensor. */
  static int index(int x, int y, int b, int lowW, int lowH) {
    return ((y % b) * b + x % b) * lowW * lowH + (y / b) * lowW + x / b;
  }
}
