package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/**
 * Sampling along image gradients ({@code gradient:fraction=0.05}), the seed study's "along gradient" pattern:
 * pixel {@code i} is kept with probability {@code min(1, c * |g_i|^2)}, where {@code g_i} is the gradient of the
 * depth (or of the guide image, when given) and {@code c} is solved by bisection so that the expected number of
 * samples is {@code fraction} times the number of valid pixels. Weighting by the squared magnitude (the edge
 * energy) rather than the magnitude keeps samples on depth discontinuities instead of spreading them over
 * smoothly sloped surfaces such as a ground plane, whose gradient is small but non-zero everywhere. Strong edges
 * are sampled almost surely, flat regions never; if fewer pixels than that have a non-zero gradient, all of them
 * are taken.
 */
public final class GradientSampling implements SamplingPattern {
  private static final int BISECTION_STEPS = 40;

  private final double fraction;
  private final GradientField field = new GradientField();
  private int[] index = new int[0];
  private float[] grad = new float[0];

  /** @param fraction expected share of valid pixels to keep, in (0, 1] */
  public GradientSampling(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("gradient: fraction=" + fraction + " must be in (0, 1]");
    }
    this.fraction = fraction;
  }

  public double fraction() {
    return fraction;
  }

  @Override
  public void sample(DepthMap dense, DepthMap sparseOut, long seed) {
    sample(dense, null, sparseOut, seed);
  }

  @Override
  public void sample(DepthMap dense, float[] intensity, DepthMap sparseOut, long seed) {
    int valid = SampleChecks.begin("gradient", dense, intensity, sparseOut);
    sampleInto(dense, intensity, sparseOut.data(), valid, new SplittableRandom(seed));
  }

  /** Adds gradient samples to {@code out} (which it does not clear). */
  void sampleInto(DepthMap dense, float[] intensity, float[] out, int valid, SplittableRandom rnd) {
    float[] in = dense.data();
    float[] g = field.compute(in, intensity, dense.width(), dense.height());
    if (index.length != in.length) {
      index = new int[in.length];
      grad = new float[in.length];
    }
    // Compact the candidates (valid pixels with a non-zero gradient) so the bisection scans only them.
    int m = 0;
    double sum = 0;
    float gmin = Float.POSITIVE_INFINITY;
    for (int i = 0; i < in.length; i++) {
      if (g[i] * g[i] > 0f) {
        index[m] = i;
        float e = g[i] * g[i];
        grad[m++] = e;
        sum += e;
        gmin = Math.min(gmin, e);
      }
    }
    double target = fraction * valid;
    double c;
    if (m <= target) {
      c = Double.POSITIVE_INFINITY;
    } else {
      // E(c) = sum min(1, c g_i) is continuous and increasing; E(target/sum) <= target <= E(1/gmin) = m.
      double lo = target / sum;
      double hi = 1.0 / gmin;
      for (int step = 0; step < BISECTION_STEPS; step++) {
        double mid = 0.5 * (lo + hi);
        double e = 0;
        for (int k = 0; k < m; k++) {
          e += Math.min(1.0, mid * grad[k]);
        }
        if (e < target) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      c = 0.5 * (lo + hi);
    }
    for (int k = 0; k < m; k++) {
      if (rnd.nextDouble() < c * grad[k]) {
        out[index[k]] = in[index[k]];
      }
    }
  }

  @Override
  public String spec() {
    return "gradient:fraction=" + SpecParser.fmt(fraction);
  }
}
