package io.depthstream.inference;

import java.util.Arrays;

/**
 * The arithmetic of {@link ResidualCorrection}, apart from the network so that it can be checked on made-up
 * outputs: residuals known at sample pixels, spread by a normalised convolution (with the edge test on the
 * network's output) and added to that output. The window and the weights follow the class comment of
 * {@link ResidualCorrection}. Buffers are reused per frame size; not thread-safe.
 */
final class ResidualSpread {
  /**
   * The Gaussian is cut at this many sigma (a radius of about 1.05 sample spacings at the default scale): 2 sigma
   * scored slightly better on the synthetic validation (trainer/TRAINING.md, "Fast path residual correction") but
   * costs 1.8 times the pairs, and a 5 % frame at 640x480 then missed 80 fps.
   */
  static final double TRUNCATE = 1.5;
  /** Largest window radius in pixels, whatever the density. */
  static final int MAX_RADIUS = 24;

  private final ResidualCorrection.Settings settings;
  private float[] weightSum = new float[0];
  private float[] weightedResidualSum = new float[0];
  private float[] kernel = new float[0];
  private int kernelRadius = -1;
  private double kernelSigma = -1;

  ResidualSpread(ResidualCorrection.Settings settings) {
    this.settings = settings;
  }

  /** The window radius in pixels for {@code n} samples in {@code pixels}: TRUNCATE sigma rounded, from 1 to the cap. */
  int radius(int pixels, int n) {
    return (int) Math.min(MAX_RADIUS, Math.max(1, Math.round(TRUNCATE * sigma(pixels, n))));
  }

  private double sigma(int pixels, int n) {
    return settings.spacingScale() * Math.sqrt((double) pixels / n);
  }

  /**
   * Adds the spread residuals of samples {@code [0, n)} (pixel index, the network's prediction there, residual; a
   * NaN residual is skipped) to {@code out}, the network's output, except at measured pixels ({@code measured > 0})
   * and pixels {@code out} has as 0.
   */
  void apply(int[] index, float[] prediction, float[] residual, int n, float[] measured, float[] out, int w, int h) {
    int pixels = w * h;
    double sigma = sigma(pixels, n);
    int r = radius(pixels, n);
    ensureKernel(sigma, r);
    if (weightSum.length < pixels) {
      weightSum = new float[pixels];
      weightedResidualSum = new float[pixels];
    } else {
      Arrays.fill(weightSum, 0, pixels, 0f);
      Arrays.fill(weightedResidualSum, 0, pixels, 0f);
    }
    float tolerance = (float) Math.min(Float.MAX_VALUE, settings.edgeTolerance());
    int side = 2 * r + 1;
    for (int s = 0; s < n; s++) {
      float res = residual[s];
      if (res != res) {
        continue;
      }
      int i = index[s];
      int sx = i % w;
      int sy = i / w;
      float predicted = prediction[s];
      // The edge test |D(p) - D(p_i)| <= tolerance * D(p_i) as a range (infinite bounds when there is no test).
      float low = predicted - tolerance * predicted;
      float high = predicted + tolerance * predicted;
      int x0 = Math.max(0, sx - r);
      int x1 = Math.min(w - 1, sx + r);
      int y0 = Math.max(0, sy - r);
      int y1 = Math.min(h - 1, sy + r);
      int span = x1 - x0;
      for (int y = y0; y <= y1; y++) {
        int start = y * w + x0;
        int k = (y - sy + r) * side + x0 - sx + r;
        for (int j = 0; j <= span; j++) {
          int p = start + j;
          float d = out[p];
          float kw = d >= low & d <= high ? kernel[k + j] : 0f;
          weightSum[p] += kw;
          weightedResidualSum[p] += kw * res;
        }
      }
    }
    for (int p = 0; p < pixels; p++) {
      float d = out[p];
      float ws = weightSum[p];
      if (measured[p] > 0f || d <= 0f || ws <= 0f) {
        continue;
      }
      float corrected = d + weightedResidualSum[p] / ws;
      if (corrected > 0f) {
        out[p] = corrected;
      }
    }
  }

  private void ensureKernel(double sigma, int r) {
    if (r == kernelRadius && sigma == kernelSigma) {
      return;
    }
    int side = 2 * r + 1;
    if (kernel.length < side * side) {
      kernel = new float[side * side];
    }
    double twoSigma2 = 2 * sigma * sigma;
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        int d2 = dx * dx + dy * dy;
        kernel[(dy + r) * side + dx + r] = (float) (Math.exp(-d2 / twoSigma2) / (1 + d2));
      }
    }
    kernelRadius = r;
    kernelSigma = sigma;
  }

}
