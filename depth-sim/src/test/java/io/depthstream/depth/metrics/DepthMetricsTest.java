package io.depthstream.depth.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.depthstream.depth.DepthMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class DepthMetricsTest {
  // gt   = [1,   2, 4, 0(invalid)]
  // pred = [1.5, 2, 3, 7]
  // valid N = 3, errors e = +0.5, 0, -1
  private static final DepthMap GT = DepthMap.wrap(4, 1, new float[] {1, 2, 4, 0});
  private static final DepthMap PRED = DepthMap.wrap(4, 1, new float[] {1.5f, 2, 3, 7});

  @Test
  void pointwiseMetricsMatchHandComputation() {
    MetricResult r = new DepthMetrics(10).evaluate(PRED, GT);
    assertThat(r.count()).isEqualTo(3);
    // RMSE = sqrt((0.25 + 0 + 1) / 3) = sqrt(0.4166667) = 0.6454972
    assertThat(r.rmse()).isCloseTo(0.6454972, offset(1e-6));
    // MAE = (0.5 + 0 + 1) / 3 = 0.5
    assertThat(r.mae()).isCloseTo(0.5, offset(1e-9));
    // rel = (0.5/1 + 0/2 + 1/4) / 3 = 0.75 / 3 = 0.25; MAPE = 25 %
    assertThat(r.rel()).isCloseTo(0.25, offset(1e-9));
    assertThat(r.mape()).isCloseTo(25.0, offset(1e-7));
    // ratios max(d/g, g/d): 1.5, 1.0, 4/3 = 1.333
    // < 1.25: only 1.0 -> 1/3; < 1.5625: all three -> 1; < 1.953125: all -> 1
    assertThat(r.delta1()).isCloseTo(1.0 / 3, offset(1e-9));
    assertThat(r.delta2()).isEqualTo(1.0);
    assertThat(r.delta3()).isEqualTo(1.0);
    // PSNR = 20 log10(10 / 0.6454972) = 20 log10(15.491933) = 20 * 1.1901056 = 23.802112 dB
    assertThat(r.psnr()).isCloseTo(23.802112, offset(1e-5));
    // 4x1 is smaller than the 11x11 SSIM window
    assertThat(r.ssim()).isNaN();
  }

  @Test
  void maskRestrictsThePixels() {
    // mask out pixel 2 -> errors 0.5, 0: RMSE = sqrt(0.25 / 2) = 0.3535534, delta1 = 1/2
    MetricResult r = new DepthMetrics(10).evaluate(PRED, GT, new boolean[] {true, true, false, true});
    assertThat(r.count()).isEqualTo(2);
    assertThat(r.rmse()).isCloseTo(0.3535534, offset(1e-6));
    assertThat(r.delta1()).isEqualTo(0.5);
  }

  @Test
  void missingPredictionCountsAsZeroAndFailsDeltas() {
    // g = 2, d = 0: error 2, rel = 2/2 = 1, no delta passes
    MetricResult r = new DepthMetrics(10).evaluate(DepthMap.wrap(1, 1, new float[] {0}),
        DepthMap.wrap(1, 1, new float[] {2}));
    assertThat(r.rmse()).isEqualTo(2.0);
    assertThat(r.rel()).isEqualTo(1.0);
    assertThat(r.delta3()).isZero();
  }

  @Test
  void ssimOfConstantImagesIsTheLuminanceTerm() {
    // 11x11 constants a = 100, b = 110, L = 255: C1 = (0.01*255)^2 = 6.5025, sigmas are 0 so the structure term
    // is C2/C2 = 1: SSIM = (2*100*110 + 6.5025) / (100^2 + 110^2 + 6.5025) = 22006.5025 / 22106.5025 = 0.99547642
    DepthMap a = constant(11, 11, 100);
    DepthMap b = constant(11, 11, 110);
    assertThat(new DepthMetrics(255).evaluate(a, b).ssim()).isCloseTo(0.99547642, offset(1e-7));
  }

  @Test
  void ssimOfIdenticalImagesIsOneAndOfAMirroredPatternIsNegative() {
    // x = 100 + 50 p with p = +-1 checkerboard; y = 200 - x (mirror about 100, so mu_y ~ mu_x).
    // The Gaussian-weighted mean of a checkerboard is ~0 (|sum w p| = 1.4e-4), so sigma_x^2 = sigma_y^2 ~ 2500 and
    // sigma_xy ~ -2500: SSIM ~ (-2*2500 + C2) / (2*2500 + C2), C2 = (0.03*255)^2 = 58.5225
    //      = -4941.4775 / 5058.5225 = -0.976862
    DepthMap x = DepthMap.allocate(11, 11);
    DepthMap y = DepthMap.allocate(11, 11);
    for (int j = 0; j < 11; j++) {
      for (int i = 0; i < 11; i++) {
        float p = ((i + j) % 2 == 0) ? 1f : -1f;
        x.set(i, j, 100 + 50 * p);
        y.set(i, j, 100 - 50 * p);
      }
    }
    DepthMetrics m = new DepthMetrics(255);
    assertThat(m.evaluate(x, x).ssim()).isCloseTo(1.0, offset(1e-9));
    assertThat(m.evaluate(x, y).ssim()).isCloseTo(-0.976862, offset(1e-4));
  }

  @Test
  void gaussianWindowIsNormalisedAndMatchesFspecial() {
    // fspecial('gaussian', 11, 1.5) centre row: exp(0)/sum, sum = 1 + 2(e^-1/4.5 + e^-4/4.5 + e^-9/4.5 + e^-16/4.5
    // + e^-25/4.5) = 1 + 2(0.800737 + 0.411112 + 0.135335 + 0.028566 + 0.003866) = 3.759232 -> 0.266012
    double[] g = DepthMetrics.gaussian(11, 1.5);
    assertThat(g[5]).isCloseTo(0.266012, offset(1e-6));
    double sum = 0;
    for (double v : g) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, offset(1e-12));
  }

  @Test
  void meanAveragesImagesNotPixels() {
    MetricResult a = new MetricResult(10, 2, 1, 0.1, 10, 0.5, 0.6, 0.7, 0.9, 30);
    MetricResult b = new MetricResult(30, 4, 3, 0.3, 30, 0.7, 0.8, 0.9, 0.7, 20);
    MetricResult m = MetricResult.mean(List.of(a, b));
    assertThat(m.count()).isEqualTo(40);
    assertThat(m.rmse()).isEqualTo(3.0);
    assertThat(m.psnr()).isEqualTo(25.0);
  }

  @Test
  void badInputIsRejected() {
    DepthMetrics m = new DepthMetrics(10);
    assertThatThrownBy(() -> m.evaluate(DepthMap.allocate(2, 1), DepthMap.allocate(1, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size mismatch");
    assertThatThrownBy(() -> m.evaluate(DepthMap.allocate(2, 1), DepthMap.allocate(2, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no valid");
    assertThatThrownBy(() -> m.evaluate(DepthMap.wrap(1, 1, new float[] {Float.NaN}), constant(1, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> new DepthMetrics(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static DepthMap constant(int w, int h, float v) {
    DepthMap m = DepthMap.allocate(w, h);
    java.util.Arrays.fill(m.data(), v);
    return m;
  }
}
