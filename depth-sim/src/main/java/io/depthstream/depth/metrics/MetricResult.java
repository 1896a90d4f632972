package io.depthstream.depth.metrics;

import java.util.List;

/**
 * Error metrics of one prediction against ground truth, over the pixels where the ground truth is valid
 * ({@code g > 0}) and the optional mask is set. Units: {@code rmse} and {@code mae} in the maps' units (metres, or
 * disparity units for Middlebury); {@code rel} a fraction; {@code mape} percent; deltas fractions in [0, 1];
 * {@code ssim} in [-1, 1]; {@code psnr} decibels. See {@link DepthMetrics} for the formulas.
 *
 * @param count number of evaluated pixels N
 */
public record MetricResult(
    long count,
    double rmse,
    double mae,
    double rel,
    double mape,
    double delta1,
    double delta2,
    double delta3,
    double ssim,
    double psnr) {

  /**
   * The unweighted mean of each metric over images (how the papers' "average" rows are formed), with count the
   * total pixel count. PSNR is averaged in dB, not recomputed from the mean RMSE.
   *
   * @throws IllegalArgumentException if {@code results} is empty
   */
  public static MetricResult mean(List<MetricResult> results) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("mean of no results");
    }
    long n = 0;
    double[] s = new double[9];
    for (MetricResult r : results) {
      n += r.count;
      s[0] += r.rmse;
      s[1] += r.mae;
      s[2] += r.rel;
      s[3] += r.mape;
      s[4] += r.delta1;
      s[5] += r.delta2;
      s[6] += r.delta3;
      s[7] += r.ssim;
      s[8] += r.psnr;
    }
    double k = results.size();
    return new MetricResult(n, s[0] / k, s[1] / k, s[2] / k, s[3] / k, s[4] / k, s[5] / k, s[6] / k, s[7] / k,
        s[8] / k);
  }
}
