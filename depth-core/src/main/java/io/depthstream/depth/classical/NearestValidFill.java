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
  /** Row-pass scratch: squared column distance g(q), envelope vertices v and boundaries z (FH notation). */
  private long[] g = new long[0];
  private int[] v = new int[0];
  private double[] z = new double[0];

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
    g = new long[w];
    v = new int[w];
    z = new double[w + 1];
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
        g[q] = dy * dy;
        double s = 0;
        while (k >= 0) {
          int p = v[k];
          s = ((g[q] + (long) q * q) - (g[p] + (long) p * p)) / (2.0 * (q - p));
          if (s > z[k]) {
            break;
          }
          k--;
        }
        k++;
        v[k] = q;
        z[k] = k == 0 ? Double.NEGATIVE_INFINITY : s;
        z[k + 1] = Double.POSITIVE_INFINITY;
      }
      // k >= 0 here: some pixel is valid, so every column holding it has a finite parabola in every row.
      int j = 0;
      for (int x = 0; x < w; x++) {
        while (z[j + 1] < x) {
          j++;
        }
        int q = v[j];
        out[row + x] = in[nearestRow[row + q] * w + q];
      }
    }
  }
}
