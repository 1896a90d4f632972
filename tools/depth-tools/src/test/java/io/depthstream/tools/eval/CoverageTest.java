package io.depthstream.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.metrics.DepthMetrics;
import org.junit.jupiter.api.Test;

class CoverageTest {
  @Test
  void scoresTheFilledPixelsAndCountsTheUnfilledOnes() {
    // 4x4 ground truth: 2 m everywhere except one invalid pixel (15 valid). The method fills 10 of them exactly
    // except one at 3 m, leaves 4 at 0 and one NaN, and writes 9 m where the truth is invalid (not scored).
    DepthMap gt = DepthMap.allocate(4, 4);
    DepthMap out = DepthMap.allocate(4, 4);
    java.util.Arrays.fill(gt.data(), 2f);
    gt.data()[15] = 0f;
    for (int i = 0; i < 10; i++) {
      out.data()[i] = 2f;
    }
    out.data()[0] = 3f;
    out.data()[10] = Float.NaN;
    out.data()[15] = 9f;
    Coverage.Score s = Coverage.score(new DepthMetrics(10), out, gt);
    assertThat(s.unfilled()).isCloseTo(5 / 15.0, offset(1e-12));
    assertThat(s.metrics().count()).isEqualTo(10);
    assertThat(s.metrics().rmse()).isCloseTo(Math.sqrt(1 / 10.0), offset(1e-9));
    assertThat(s.metrics().mae()).isCloseTo(0.1, offset(1e-9));
    assertThat(out.data()[10]).as("NaN counted as unfilled").isZero();
  }

  @Test
  void aMethodThatFillsNothingHasNoMetricsAndAllUnfilled() {
    DepthMap gt = DepthMap.allocate(3, 3);
    java.util.Arrays.fill(gt.data(), 1f);
    Coverage.Score s = Coverage.score(new DepthMetrics(10), DepthMap.allocate(3, 3), gt);
    assertThat(s.unfilled()).isEqualTo(1.0);
    assertThat(s.metrics().count()).isZero();
    assertThat(s.metrics().rmse()).isNaN();
  }
}
