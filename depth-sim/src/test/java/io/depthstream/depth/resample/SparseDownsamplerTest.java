package io.depthstream.depth.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.resample.SparseDownsampler.Reduction;
import org.junit.jupiter.api.Test;

class SparseDownsamplerTest {
  // 4x2 input, two 2x2 cells:  [1 0 | 0 0]
  //                            [3 0 | 0 0]
  private static final float[] INPUT = {1, 0, 0, 0, 3, 0, 0, 0};

  @Test
  void meanUsesOnlyValidSamplesAndKeepsCounts() {
    SparseDownsampler s = new SparseDownsampler(Reduction.MEAN);
    DepthMap out = s.downscale(DepthMap.wrap(4, 2, INPUT), 2);
    // cell 0: (1 + 3) / 2 = 2 (not (1+3)/4 = 1); cell 1: nothing valid -> 0
    assertThat(out.data()).containsExactly(2f, 0f);
    assertThat(s.counts()[0]).isEqualTo(2);
    assertThat(s.counts()[1]).isZero();
    assertThat(s.confidence()[0]).isEqualTo(0.5f);
  }

  @Test
  void minKeepsTheNearestSample() {
    DepthMap out = new SparseDownsampler(Reduction.MIN).downscale(DepthMap.wrap(4, 2, INPUT), 2);
    assertThat(out.data()).containsExactly(1f, 0f);
  }

  @Test
  void arbitraryTargetSizeTilesTheInput() {
    // 5x1 -> 2x1: cell 0 covers columns [0, 2), cell 1 covers [2, 5)
    float[] v = {2, 4, 0, 6, 9};
    SparseDownsampler s = new SparseDownsampler(Reduction.MEAN);
    DepthMap out = DepthMap.allocate(2, 1);
    s.downscale(DepthMap.wrap(5, 1, v), out);
    assertThat(out.data()).containsExactly(3f, 7.5f);
    assertThat(s.counts()[1]).isEqualTo(2);
    assertThat(s.confidence()[1]).isEqualTo(2f / 3f);
  }

  @Test
  void integerFactorDropsThePartialEdgeBlockAndChecksTheTarget() {
    // 5x2 by 2 -> 2x1 from blocks of columns {0,1} and {2,3}; column 4 dropped
    //   block 0: (2 + 4 + 2 + 4) / 4 = 3; block 1: (6 + 8 + 6 + 8) / 4 = 7
    float[] v = {2, 4, 6, 8, 100, 2, 4, 6, 8, 100};
    SparseDownsampler s = new SparseDownsampler(Reduction.MEAN);
    assertThat(s.downscale(DepthMap.wrap(5, 2, v), 2).data()).containsExactly(3f, 7f);
    assertThatThrownBy(() -> s.downscale(DepthMap.wrap(5, 2, v), 2, DepthMap.allocate(3, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2x1");
  }

  @Test
  void rejectsNegativeDepthAndUpscaling() {
    SparseDownsampler s = new SparseDownsampler(Reduction.MEAN);
    assertThatThrownBy(() -> s.downscale(DepthMap.wrap(2, 1, new float[] {1, -2}), DepthMap.allocate(1, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
    assertThatThrownBy(() -> s.downscale(DepthMap.allocate(2, 2), DepthMap.allocate(3, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger");
  }
}
