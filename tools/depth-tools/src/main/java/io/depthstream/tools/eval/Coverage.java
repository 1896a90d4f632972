package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.metrics.DepthMetrics;
import io.depthstream.depth.metrics.MetricResult;

/**
 * Scores an output the way the evaluator's tables state it: the error metrics over the valid ground-truth pixels
 * the method filled (output {@code > 0}), and separately the share of valid ground-truth pixels it left unfilled
 * (output 0 or NaN). A method that fills only the easy pixels shows a low RMSE and a high unfilled share; neither
 * number hides the other (the metrics alone used to count an unfilled pixel as a prediction of 0 m).
 */
public final class Coverage {
  private Coverage() {}

  /**
   * @param metrics over the filled pixels; every field NaN (count 0) when the method filled none
   * @param unfilled share of valid ground-truth pixels left unfilled, in [0, 1]
   */
  public record Score(MetricResult metrics, double unfilled) {}

  /**
   * Scores {@code output} against {@code truth} (same size). NaN output pixels are set to 0 in {@code output}
   * (unfilled), so the metrics see only finite values.
   */
  public static Score score(DepthMetrics metrics, DepthMap output, DepthMap truth) {
    output.requireSameSize(truth, "coverage");
    float[] d = output.data();
    float[] g = truth.data();
    boolean[] filled = new boolean[d.length];
    long valid = 0;
    long unfilled = 0;
    for (int i = 0; i < d.length; i++) {
      if (Float.isNaN(d[i])) {
        d[i] = 0f;
      }
      filled[i] = d[i] > 0f;
      if (g[i] > 0f) {
        valid++;
        if (!filled[i]) {
          unfilled++;
        }
      }
    }
    if (valid == 0) {
      throw new IllegalArgumentException("the ground truth has no valid pixel to score on");
    }
    double share = unfilled / (double) valid;
    if (unfilled == valid) {
      double nan = Double.NaN;
      return new Score(new MetricResult(0, nan, nan, nan, nan, nan, nan, nan, nan, nan), share);
    }
    return new Score(metrics.evaluate(output, truth, filled), share);
  }
}
