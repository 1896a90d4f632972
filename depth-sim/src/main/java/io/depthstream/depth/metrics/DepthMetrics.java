package io.depthstream.depth.metrics;

import io.depthstream.depth.DepthMap;

/**
 * Depth error metrics over the valid ground-truth pixels. With prediction {@code d_i}, ground truth {@code g_i}
 * and {@code V = {i : g_i > 0 and mask_i}}, {@code N = |V|}:
 *
 * <ul>
 *   <li>RMSE = sqrt( (1/N) sum_V (d_i - g_i)^2 )
 *   <li>MAE = (1/N) sum_V |d_i - g_i|
 *   <li>rel (AbsRel) = (1/N) sum_V |d_i - g_i| / g_i
 *   <li>MAPE = 100 * rel (percent)
 *   <li>delta_k = (1/N) #{ i in V : max(d_i / g_i, g_i / d_i) < 1.25^k }, k = 1, 2, 3 (Eigen et al. 2014);
 *       a pixel with no prediction ({@code d_i = 0}) fails every threshold
 *   <li>PSNR = 20 log10(MAX / RMSE) dB, MAX = the dataset's peak value ({@code +Infinity} when RMSE = 0)
 *   <li>SSIM (Wang, Bovik, Sheikh, Simoncelli 2004, "Image quality assessment: from error visibility to structural
 *       similarity", and their {@code ssim_index.m}): local statistics under an 11x11 Gaussian window (sigma 1.5,
 *       normalised), {@code SSIM = ((2 mu_d mu_g + C1)(2 sigma_dg + C2)) / ((mu_d^2 + mu_g^2 + C1)(sigma_d^2 +
 *       sigma_g^2 + C2))}, {@code C1 = (0.01 L)^2}, {@code C2 = (0.03 L)^2}, {@code L = MAX}; computed only where
 *       the window fits inside the image ('valid' filtering, as {@code ssim_index.m}) and averaged over the window
 *       centres in {@code V}. Windows see the images as they are (invalid ground truth enters as 0), so SSIM is
 *       meaningful for dense ground truth only; it is {@code NaN} for images smaller than 11x11 or when no window
 *       centre is in V.
 * </ul>
 *
 * <p>The per-pixel metrics are accumulated in one pass (in double); SSIM takes one separable filtering pass over
 * five statistics images. Scratch buffers are kept between calls of the same image size. Not thread-safe.
 */
public final class DepthMetrics {
  /** Gaussian SSIM window side and sigma (Wang et al. 2004). */
  public static final int SSIM_WINDOW = 11;
  public static final double SSIM_SIGMA = 1.5;
  public static final double K1 = 0.01;
  public static final double K2 = 0.03;

  private static final double[] GAUSS = gaussian(SSIM_WINDOW, SSIM_SIGMA);

  private final double maxValue;
  private double[][] rows = new double[5][0];

  /**
   * @param maxValue the dataset's peak value MAX (PSNR peak and SSIM dynamic range L), in the maps' units: 255
   *     for 8-bit Middlebury disparity, the sensor's maximum range in metres for metric depth
   * @throws IllegalArgumentException if not finite and positive
   */
  public DepthMetrics(double maxValue) {
    if (!(maxValue > 0) || Double.isInfinite(maxValue)) {
      throw new IllegalArgumentException("metric MAX must be finite and > 0, got " + maxValue);
    }
    this.maxValue = maxValue;
  }

  public double maxValue() {
    return maxValue;
  }

  /** Evaluates over every valid ground-truth pixel. */
  public MetricResult evaluate(DepthMap prediction, DepthMap groundTruth) {
    return evaluate(prediction, groundTruth, null);
  }

  /**
   * Evaluates over the pixels where {@code groundTruth > 0} and {@code mask} (row-major, may be null) is true.
   *
   * @throws IllegalArgumentException on size mismatch, a negative/NaN/infinite value, or no pixel to evaluate
   */
  public MetricResult evaluate(DepthMap prediction, DepthMap groundTruth, boolean[] mask) {
    prediction.requireSameSize(groundTruth, "metrics");
    float[] d = prediction.data();
    float[] g = groundTruth.data();
    if (mask != null && mask.length != g.length) {
      throw new IllegalArgumentException("metrics: mask has " + mask.length + " entries, image has " + g.length);
    }
    long n = 0;
    double se = 0;
    double ae = 0;
    double rel = 0;
    long d1 = 0;
    long d2 = 0;
    long d3 = 0;
    final double t1 = 1.25;
    final double t2 = 1.25 * 1.25;
    final double t3 = 1.25 * 1.25 * 1.25;
    for (int i = 0; i < g.length; i++) {
      float gi = g[i];
      float di = d[i];
      if (!(di >= 0f) || di == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("metrics: prediction holds " + di + " at pixel " + i);
      }
      if (!(gi >= 0f) || gi == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("metrics: ground truth holds " + gi + " at pixel " + i);
      }
      if (gi == 0f || (mask != null && !mask[i])) {
        continue;
      }
      double e = (double) di - gi;
      double a = Math.abs(e);
      n++;
      se += e * e;
      ae += a;
      rel += a / gi;
      if (di > 0f) {
        double ratio = di > gi ? (double) di / gi : (double) gi / di;
        if (ratio < t1) {
          d1++;
        }
        if (ratio < t2) {
          d2++;
        }
        if (ratio < t3) {
          d3++;
        }
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("metrics: no valid ground-truth pixel to evaluate");
    }
    double rmse = Math.sqrt(se / n);
    double psnr = rmse == 0 ? Double.POSITIVE_INFINITY : 20 * Math.log10(maxValue / rmse);
    double meanRel = rel / n;
    return new MetricResult(n, rmse, ae / n, meanRel, 100 * meanRel, d1 / (double) n, d2 / (double) n,
        d3 / (double) n, ssim(d, g, mask, prediction.width(), prediction.height()), psnr);
  }

  /** Mean SSIM over valid window centres; see the class comment. */
  private double ssim(float[] d, float[] g, boolean[] mask, int w, int h) {
    int r = SSIM_WINDOW / 2;
    int ow = w - 2 * r;
    int oh = h - 2 * r;
    if (ow <= 0 || oh <= 0) {
      return Double.NaN;
    }
    int rowLen = ow * h;
    if (rows[0].length < rowLen) {
      for (int c = 0; c < 5; c++) {
        rows[c] = new double[rowLen];
      }
    }
    // Horizontal 'valid' pass of the five statistics: d, g, d^2, g^2, d*g (double accumulators).
    for (int y = 0; y < h; y++) {
      int in = y * w;
      int out = y * ow;
      for (int x = 0; x < ow; x++) {
        double sd = 0;
        double sg = 0;
        double sdd = 0;
        double sgg = 0;
        double sdg = 0;
        for (int k = 0; k < SSIM_WINDOW; k++) {
          double wk = GAUSS[k];
          double a = d[in + x + k];
          double b = g[in + x + k];
          sd += wk * a;
          sg += wk * b;
          sdd += wk * a * a;
          sgg += wk * b * b;
          sdg += wk * a * b;
        }
        rows[0][out + x] = sd;
        rows[1][out + x] = sg;
        rows[2][out + x] = sdd;
        rows[3][out + x] = sgg;
        rows[4][out + x] = sdg;
      }
    }
    double c1 = (K1 * maxValue) * (K1 * maxValue);
    double c2 = (K2 * maxValue) * (K2 * maxValue);
    double sum = 0;
    long count = 0;
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int centre = (y + r) * w + (x + r);
        if (g[centre] == 0f || (mask != null && !mask[centre])) {
          continue;
        }
        double md = 0;
        double mg = 0;
        double edd = 0;
        double egg = 0;
        double edg = 0;
        for (int k = 0; k < SSIM_WINDOW; k++) {
          double wk = GAUSS[k];
          int idx = (y + k) * ow + x;
          md += wk * rows[0][idx];
          mg += wk * rows[1][idx];
          edd += wk * rows[2][idx];
          egg += wk * rows[3][idx];
          edg += wk * rows[4][idx];
        }
        double vd = edd - md * md;
        double vg = egg - mg * mg;
        double cov = edg - md * mg;
        sum += ((2 * md * mg + c1) * (2 * cov + c2)) / ((md * md + mg * mg + c1) * (vd + vg + c2));
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** Normalised 1-D Gaussian; the 2-D window of {@code fspecial('gaussian', n, sigma)} is its outer product. */
  static double[] gaussian(int n, double sigma) {
    double[] k = new double[n];
    double sum = 0;
    int r = n / 2;
    for (int i = 0; i < n; i++) {
      k[i] = Math.exp(-((i - r) * (double) (i - r)) / (2 * sigma * sigma));
      sum += k[i];
    }
    for (int i = 0; i < n; i++) {
      k[i] /= sum;
    }
    return k;
  }
}
