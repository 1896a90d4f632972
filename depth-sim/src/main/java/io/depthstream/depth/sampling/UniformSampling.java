package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/**
 * Uniform random sampling ({@code uniform:p=0.1}): each valid ground-truth pixel is kept independently with
 * probability {@code p}, the pattern of the seed study (p = 0.1).
 *
 * <p>Runs as a Bernoulli process over all pixels with geometric skips, {@code skip = floor(ln U / ln(1 - p))}
 * (Devroye, "Non-Uniform Random Variate Generation", 1986, ch. X.2), so it draws about {@code p * N} random
 * numbers instead of N; landing on an invalid pixel simply keeps nothing, which leaves each valid pixel's
 * probability at exactly {@code p}.
 */
public final class UniformSampling implements SamplingPattern {
  private final double p;

  /** @param p keep probability in (0, 1] */
  public UniformSampling(double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("uniform: p=" + p + " must be in (0, 1]");
    }
    this.p = p;
  }

  public double p() {
    return p;
  }

  @Override
  public void sample(DepthMap dense, DepthMap sparseOut, long seed) {
    SampleChecks.begin("uniform", dense, sparseOut);
    sampleInto(dense.data(), sparseOut.data(), p, new SplittableRandom(seed));
  }

  /** Adds uniform samples to {@code out} (which it does not clear). */
  static void sampleInto(float[] in, float[] out, double p, SplittableRandom rnd) {
    int n = in.length;
    if (p >= 1) {
      for (int i = 0; i < n; i++) {
        if (in[i] > 0f) {
          out[i] = in[i];
        }
      }
      return;
    }
    double logQ = Math.log1p(-p);
    long i = -1;
    while (true) {
      // 1 - nextDouble() is in (0, 1], so the log is finite.
      i += 1 + (long) Math.floor(Math.log(1.0 - rnd.nextDouble()) / logQ);
      if (i >= n) {
        return;
      }
      int k = (int) i;
      if (in[k] > 0f) {
        out[k] = in[k];
      }
    }
  }

  @Override
  public String spec() {
    return "uniform:p=" + SpecParser.fmt(p);
  }
}
