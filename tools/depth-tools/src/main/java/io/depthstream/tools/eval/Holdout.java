package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/**
 * Splits a sparse depth map's measurements into an input and a held-out ground truth, for scoring a method on
 * data that has no dense ground truth (KITTI's LiDAR points): exactly {@code round(fraction * n)} of the {@code n}
 * valid pixels ({@code > 0}) go to the truth, chosen by a partial Fisher-Yates shuffle seeded with {@code seed}, the
 * rest stay in the input. The same map, fraction and seed always give the same split; the two maps never share a
 * pixel.
 */
public final class Holdout {
  private Holdout() {}

  /** The input (the kept measurements) and the truth (the held-out ones), both the source's size; 0 elsewhere. */
  public record Split(DepthMap input, DepthMap truth) {}

  /**
   * Splits {@code sparse}.
   *
   * @param fraction share of the valid pixels held out, in (0, 1)
   * @throws IllegalArgumentException if the fraction is outside (0, 1) or leaves the input or the truth empty
   */
  public static Split split(DepthMap sparse, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("--holdout " + fraction + " must be in (0, 1)");
    }
    int[] valid = validIndices(sparse.data());
    int held = (int) Math.round(fraction * valid.length);
    if (held == 0 || held == valid.length) {
      throw new IllegalArgumentException("--holdout " + fraction + " of " + valid.length + " measured pixels leaves "
          + (held == 0 ? "no pixel to score on" : "no input"));
    }
    shufflePrefix(valid, held, seed);
    DepthMap input = DepthMap.allocate(sparse.width(), sparse.height());
    DepthMap truth = DepthMap.allocate(sparse.width(), sparse.height());
    float[] s = sparse.data();
    float[] in = input.data();
    float[] gt = truth.data();
    for (int k = 0; k < valid.length; k++) {
      int i = valid[k];
      if (k < held) {
        gt[i] = s[i];
      } else {
        in[i] = s[i];
      }
    }
    return new Split(input, truth);
  }

  /** The indices of the pixels {@code > 0}, in order. */
  static int[] validIndices(float[] d) {
    int n = 0;
    for (float v : d) {
      if (v > 0f) {
        n++;
      }
    }
    int[] idx = new int[n];
    int k = 0;
    for (int i = 0; i < d.length; i++) {
      if (d[i] > 0f) {
        idx[k++] = i;
      }
    }
    return idx;
  }

  /** Moves a uniform random choice of {@code count} entries to the front (partial Fisher-Yates). */
  static void shufflePrefix(int[] a, int count, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int k = 0; k < count; k++) {
      int j = k + rnd.nextInt(a.length - k);
      int t = a[k];
      a[k] = a[j];
      a[j] = t;
    }
  }
}
