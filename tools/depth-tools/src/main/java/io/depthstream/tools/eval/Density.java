package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import java.util.ArrayList;
import java.util.List;

/**
 * A sample count for the {@code --densities} sweep: a number of points ({@code 30}) or a percentage of the image's
 * pixels ({@code 5%}). Each density keeps exactly that many of the ground truth's valid pixels, drawn uniformly
 * without replacement (capped at the number of valid pixels), so a sweep compares methods on the same points.
 *
 * @param label as given on the command line
 * @param points a fixed count, or 0 when {@code percent} is used
 * @param percent percent of {@code width * height}, or 0 when {@code points} is used
 */
public record Density(String label, int points, double percent) {

  /**
   * Parses a comma-separated list such as {@code 30,100,300,1000,1%,5%,10%}.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static List<Density> parseList(String text) {
    List<Density> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String t = part.trim();
      try {
        if (t.endsWith("%")) {
          double p = Double.parseDouble(t.substring(0, t.length() - 1));
          if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException();
          }
          out.add(new Density(t, 0, p));
        } else {
          int n = Integer.parseInt(t);
          if (n <= 0) {
            throw new IllegalArgumentException();
          }
          out.add(new Density(t, n, 0));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--densities: '" + t + "' is neither a point count (> 0) nor a "
            + "percentage of the pixels in (0, 100] such as 5%", e);
      }
    }
    return out;
  }

  /** The number of points this density keeps in a {@code width x height} image. */
  public int count(int width, int height) {
    return points > 0 ? points : (int) Math.round(percent / 100 * width * height);
  }

  /** Keeps {@link #count} random valid pixels of {@code truth} (seeded), the rest 0. */
  public DepthMap sample(DepthMap truth, long seed) {
    int[] valid = Holdout.validIndices(truth.data());
    int n = Math.min(count(truth.width(), truth.height()), valid.length);
    Holdout.shufflePrefix(valid, n, seed);
    DepthMap out = DepthMap.allocate(truth.width(), truth.height());
    for (int k = 0; k < n; k++) {
      out.data()[valid[k]] = truth.data()[valid[k]];
    }
    return out;
  }

  @Override
  public String toString() {
    return points > 0 ? points + " points" : label + " of pixels";
  }
}
