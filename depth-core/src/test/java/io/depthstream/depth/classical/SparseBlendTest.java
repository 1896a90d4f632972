package io.depthstream.depth.classical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import org.junit.jupiter.api.Test;

class SparseBlendTest {
  /** 150 random samples of a ramp with a near box in front of it: the three methods disagree at most pixels. */
  private static DepthMap sparseFrame(int w, int h) {
    return LinearInterpolationTest.boxOnWall(w, h, 150, 11);
  }

  @Test
  void everyPixelIsTheWeightedSumOfLinearInpaintAndNearestFillAndSamplesStayExact() {
    int w = 96;
    int h = 72;
    DepthMap sparse = sparseFrame(w, h);
    DepthMap linear = DepthMap.allocate(w, h);
    DepthMap inpaint = DepthMap.allocate(w, h);
    DepthMap nearest = DepthMap.allocate(w, h);
    new LinearInterpolation().reconstruct(sparse, linear);
    new PushPullInpaint().reconstruct(sparse, inpaint);
    new NearestValidFill().reconstruct(sparse, nearest);
    SparseBlend blend = new SparseBlend(0.125, 0.375);
    assertThat(blend.name()).isEqualTo("linear-inpaint-nearest-blend");
    DepthMap out = DepthMap.allocate(w, h);
    for (int round = 0; round < 2; round++) { // the second frame reuses the buffers
      blend.reconstruct(sparse, out);
      int allDiffer = 0;
      for (int i = 0; i < sparse.size(); i++) {
        float l = linear.data()[i];
        float p = inpaint.data()[i];
        float n = nearest.data()[i];
        assertThat(out.data()[i]).as("pixel %d", i).isCloseTo(0.125f * n + 0.375f * p + 0.5f * l, within(1e-5f));
        if (sparse.data()[i] > 0f) {
          assertThat(out.data()[i]).as("sample %d", i).isEqualTo(sparse.data()[i]);
        }
        if (l != p && p != n && l != n) {
          allDiffer++;
        }
      }
      assertThat(allDiffer).as("the three disagree at most pixels, so the weights are tested")
          .isGreaterThan(w * h / 2);
    }
  }

  @Test
  void withoutNearestFillItIsInpaintAndLinearAlone() {
    DepthMap sparse = sparseFrame(64, 64);
    DepthMap linear = DepthMap.allocate(64, 64);
    DepthMap inpaint = DepthMap.allocate(64, 64);
    DepthMap out = DepthMap.allocate(64, 64);
    new LinearInterpolation().reconstruct(sparse, linear);
    new PushPullInpaint().reconstruct(sparse, inpaint);
    new SparseBlend(0, 0.5).reconstruct(sparse, out);
    for (int i = 0; i < sparse.size(); i++) {
      assertThat(out.data()[i]).isCloseTo(0.5f * inpaint.data()[i] + 0.5f * linear.data()[i], within(1e-5f));
    }
  }

  @Test
  void weightsThatLeaveLinearInterpolationNothingOrAreOutOfRangeAreRefused() {
    double[][] bad = {{0.5, 0.5}, {0.2, 0}, {-0.1, 0.3}, {0.1, 1.0}, {Double.NaN, 0.3}, {0.1, Double.NaN}};
    for (double[] w : bad) {
      assertThatThrownBy(() -> new SparseBlend(w[0], w[1])).as("%s, %s", w[0], w[1])
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inpaintWeight");
    }
  }
}
