package io.depthstream.depth.classical;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import java.util.Arrays;

/**
 * Nearest-neighbour densification ({@code nearest-fill}): every invalid pixel takes the depth of the valid
 * pixel nearest to it in exact Euclidean pixel distance; valid pixels are copied unchanged.
 *
 * <p>Runs in O(width * height) with the separable squared Euclidean distance transform of Felzenszwalb and
 * Huttenlocher ("Distance Transforms of Sampled Functions", Theory of Computing 8, 2012), extended to carry
 * the argmin so the transform yields the nearest valid pixel, not only its distance:
 *
 * <ol>
 *   <li>per column, a forward and a backward scan give for each pixel the nearest valid row in that column;
 *   <li>per row, the lower envelope of the parabolas {@code (x - q)^2 + g(q)} over the columns {@code q} that
 *       have a valid pixel gives the column whose nearest valid pixel is globally nearest.
 * </ol>
 *
 * <p>Ties (two valid pixels at the same distance) go to the one found first by the envelope; the choice is
 * deterministic. If the input has no valid pixel at all the output is all zeros (all invalid): there is no depth
 * to propagate, and inventing one would be a silent wrong answer.
 *
 * <p>Not thread-safe; scratch buffers are sized on first use and reused while the frame size stays the same.
 */
public final class NearestValidFill implements DepthReconstructor {
  /** The registry name. */
  public static final String NAME = "nearest-fill";

  /** Marks "no valid pixel in this column" in the column pass. */
  private static final int NONE = -1;

  private int width = -1;
  private int height = -1;
  /** Per pixel, the row of the nearest valid pixel in the same column, or {@link #NONE}. */
  private int[] nearestRow = new int[0];
  /**
   * Row-pass scratch: {@code f(q) = g(q) + q^2} with g(q) the squared distance to column q's nearest valid row,
   * envelope vertices v and boundaries z (FH notation), each boundary kept as the exact fraction
   * {@code zNum / zDen} ({@code zDen > 0}; {@code -1/0} and {@code 1/0} stand for minus and plus infinity).
   */
  private long[] f = new long[0];
  private int[] v = new int[0];
  private long[] zNum = new long[0];
  private long[] zDen = new long[0];

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    int valid = DepthChecks.requireValidPair(NAME, input, output);
    float[] in = input.data();
    float[] out = output.data();
    if (valid == 0) {
      Arrays.fill(out, 0f);
      return;
    }
    if (valid == in.length) {
      System.arraycopy(in, 0, out, 0, in.length);
      return;
    }
    ensureScratch(input.width(), input.height());
    columnPass(in);
    rowPass(in, out);
  }

  private void ensureScratch(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    width = w;
    height = h;
    nearestRow = new int[w * h];
    f = new long[w];
    v = new int[w];
    zNum = new long[w + 1];
    zDen = new long[w + 1];
  }

  /** 1-D nearest valid row per column: forward scan keeps the last valid row above, backward scan the one below. */
  private void columnPass(float[] in) {
    int w = width;
    int h = height;
    for (int x = 0; x < w; x++) {
      int last = NONE;
      for (int y = 0, i = x; y < h; y++, i += w) {
        if (in[i] > 0f) {
          last = y;
        }
        nearestRow[i] = last;
      }
      last = NONE;
      for (int y = h - 1, i = x + (h - 1) * w; y >= 0; y--, i -= w) {
        if (in[i] > 0f) {
          last = y;
        }
        int above = nearestRow[i];
        if (last != NONE && (above == NONE || last - y < y - above)) {
          nearestRow[i] = last;
        }
      }
    }
  }

  /**
   * Felzenszwalb-Huttenlocher lower envelope per row. For column q with nearest valid row r(q) the parabola is
   * {@code f_q(x) = (x - q)^2 + (y - r(q))^2}; the intersection of the parabolas of q and p (p < q) is at
   * {@code s = ((g(q) + q^2) - (g(p) + p^2)) / (2q - 2p)} (FH eq. for the 1-D squared EDT). Columns without
   * any valid pixel have an infinite parabola and are left out of the envelope.
   *
   * <p>The intersections are compared as fractions of integers, by cross-multiplying: no division in the loop. The
   * comparisons are those of the quotients (two different fractions of these sizes never round to one double).
   */
  private void rowPass(float[] in, float[] out) {
    int w = width;
    for (int y = 0; y < height; y++) {
      int row = y * w;
      int k = -1;
      for (int q = 0; q < w; q++) {
        int r = nearestRow[row + q];
        if (r == NONE) {
          continue;
        }
        long dy = y - r;
        long fq = dy * dy + (long) q * q;
        f[q] = fq;
        long sNum = 0;
        long sDen = 1;
        while (k >= 0) {
          int p = v[k];
          sNum = fq - f[p];
          sDen = 2L * (q - p);
          if (sNum * zDen[k] > zNum[k] * sDen) { // s > z[k]
            break;
          }
          k--;
        }
        k++;
        v[k] = q;
        if (k == 0) {
          zNum[0] = -1; // minus infinity
          zDen[0] = 0;
        } else {
          zNum[k] = sNum;
          zDen[k] = sDen;
        }
      }
      zNum[k + 1] = 1; // plus infinity, after the envelope's last parabola
      zDen[k + 1] = 0;
      // k >= 0 here: some pixel is valid, so every column holding it has a finite parabola in every row.
      int j = 0;
      for (int x = 0; x < w; x++) {
        while (zNum[j + 1] < x * zDen[j + 1]) { // z[j + 1] < x
          j++;
        }
        int q = v[j];
        out[row + x] = in[nearestRow[row + q] * w + q];
      }
    }
  }
}
