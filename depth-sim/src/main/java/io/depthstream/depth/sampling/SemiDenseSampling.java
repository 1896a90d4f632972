package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/**
 * Semi-dense visual-SLAM-like sampling ({@code semidense:fraction=0.1,noise=0.01}): like LSD-SLAM or DSO, depth
 * is only known at high-gradient pixels. Exactly {@code round(fraction * valid)} pixels with the largest gradient
 * magnitude are kept (of the depth, or of the guide image when given; fewer if fewer pixels have a non-zero
 * gradient), ties at the threshold broken by the seed. Each kept depth gets multiplicative Gaussian noise,
 * {@code d * (1 + noise * N(0, 1))}, redrawn if not positive; {@code noise} is the relative standard deviation
 * (0 = exact depths).
 *
 * <p>The threshold is found with a 4096-bin histogram of the magnitudes (O(N), no sort); pixels in the threshold
 * bin are chosen by selection sampling (Knuth, TAOCP vol. 2, 3.4.2, Algorithm S) to hit the count exactly.
 */
public final class SemiDenseSampling implements SamplingPattern {
  private static final int BINS = 4096;

  private final double fraction;
  private final double noise;
  private final GradientField field = new GradientField();
  private final int[] histogram = new int[BINS];

  /**
   * @param fraction share of valid pixels to keep, in (0, 1]
   * @param noise relative depth noise standard deviation, in [0, 0.5]
   */
  public SemiDenseSampling(double fraction, double noise) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("semidense: fraction=" + fraction + " must be in (0, 1]");
    }
    if (!(noise >= 0 && noise <= 0.5)) {
      throw new IllegalArgumentException("semidense: noise=" + noise + " must be in [0, 0.5]");
    }
    this.fraction = fraction;
    this.noise = noise;
  }

  @Override
  public void sample(DepthMap dense, DepthMap sparseOut, long seed) {
    sample(dense, null, sparseOut, seed);
  }

  @Override
  public void sample(DepthMap dense, float[] intensity, DepthMap sparseOut, long seed) {
    int valid = SampleChecks.begin("semidense", dense, intensity, sparseOut);
    float[] in = dense.data();
    float[] out = sparseOut.data();
    float[] g = field.compute(in, intensity, dense.width(), dense.height());
    float gmax = 0f;
    for (float v : g) {
      gmax = Math.max(gmax, v);
    }
    if (gmax == 0f) {
      return;
    }
    int want = (int) Math.round(fraction * valid);
    java.util.Arrays.fill(histogram, 0);
    float scale = (BINS - 1) / gmax;
    int candidates = 0;
    for (float v : g) {
      if (v > 0f) {
        histogram[(int) (v * scale)]++;
        candidates++;
      }
    }
    want = Math.min(want, candidates);
    // Walk down from the top bin until the bins above the threshold hold fewer than `want` pixels.
    int threshold = BINS - 1;
    int above = 0;
    while (threshold > 0 && above + histogram[threshold] < want) {
      above += histogram[threshold];
      threshold--;
    }
    int fromThresholdBin = want - above;
    int inThresholdBin = histogram[threshold];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < g.length; i++) {
      float v = g[i];
      if (!(v > 0f)) {
        continue;
      }
      int bin = (int) (v * scale);
      boolean keep;
      if (bin > threshold) {
        keep = true;
      } else if (bin == threshold && fromThresholdBin > 0) {
        // Algorithm S: keep with probability (still needed) / (still to see).
        keep = rnd.nextInt(inThresholdBin) < fromThresholdBin;
        if (keep) {
          fromThresholdBin--;
        }
        inThresholdBin--;
      } else {
        keep = false;
      }
      if (keep) {
        out[i] = noise > 0 ? noisy(in[i], rnd) : in[i];
      }
    }
  }

  private float noisy(float d, SplittableRandom rnd) {
    while (true) {
      float v = (float) (d * (1 + noise * rnd.nextGaussian()));
      if (v > 0f && v < Float.POSITIVE_INFINITY) {
        return v;
      }
    }
  }

  @Override
  public String spec() {
    return "semidense:fraction=" + SpecParser.fmt(fraction) + ",noise=" + SpecParser.fmt(noise);
  }
}
