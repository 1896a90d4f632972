package io.depthstream.depth.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SamplingPatternsTest {
  private static final int W = 160;
  private static final int H = 120;

  /** A tilted floor with a box in front and a hole: gradients at the box edges, invalid pixels in the hole. */
  static DepthMap scene() {
    DepthMap d = DepthMap.allocate(W, H);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        float v = 2f + 6f * (H - y) / H;
        if (x >= 50 && x < 100 && y >= 40 && y < 90) {
          v = 1.5f;
        }
        if (x >= 10 && x < 30 && y >= 10 && y < 30) {
          v = 0f;
        }
        d.set(x, y, v);
      }
    }
    return d;
  }

  private static DepthMap run(SamplingPattern p, DepthMap dense, long seed) {
    DepthMap out = DepthMap.allocate(dense.width(), dense.height());
    Arrays.fill(out.data(), 99f); // stale values must be cleared
    p.sample(dense, out, seed);
    return out;
  }

  @Test
  void everyPatternIsReproducibleSeedDependentAndSamplesOnlyValidTruth() {
    DepthMap dense = scene();
    for (String spec : SamplingPatterns.defaults()) {
      SamplingPattern p = SamplingPatterns.parse(spec);
      DepthMap a = run(p, dense, 42);
      DepthMap b = run(SamplingPatterns.parse(spec), dense, 42);
      DepthMap c = run(p, dense, 43);
      assertThat(a.data()).as(spec).containsExactly(b.data());
      assertThat(Arrays.equals(a.data(), c.data())).as(spec + " differs across seeds").isFalse();
      assertThat(a.validCount()).as(spec).isPositive();
      for (int i = 0; i < a.size(); i++) {
        if (a.data()[i] != 0f) {
          assertThat(dense.data()[i]).as(spec + " sampled an invalid pixel").isPositive();
        }
      }
    }
  }

  @Test
  void patternsCopyTheTrueDepthExceptSemiDenseNoise() {
    DepthMap dense = scene();
    for (String spec : new String[] {"uniform:p=0.2", "gradient:fraction=0.05", "grid:step=4", "lidar:lines=16",
        "semidense:fraction=0.1,noise=0"}) {
      DepthMap s = run(SamplingPatterns.parse(spec), dense, 5);
      for (int i = 0; i < s.size(); i++) {
        if (s.data()[i] != 0f) {
          assertThat(s.data()[i]).as(spec).isEqualTo(dense.data()[i]);
        }
      }
    }
  }

  @Test
  void uniformDensityMatchesPWithinFiveSigma() {
    DepthMap dense = scene();
    int valid = dense.validCount();
    double p = 0.1;
    int got = run(new UniformSampling(p), dense, 1).validCount();
    double sigma = Math.sqrt(valid * p * (1 - p));
    assertThat((double) got).isBetween(valid * p - 5 * sigma, valid * p + 5 * sigma);
    assertThat(run(new UniformSampling(1.0), dense, 1).validCount()).isEqualTo(valid);
  }

  @Test
  void gridWithAFixedOffsetHitsExactlyTheGridPoints() {
    DepthMap dense = DepthMap.allocate(10, 7);
    Arrays.fill(dense.data(), 3f);
    dense.set(3, 3, 0f); // an invalid grid point gives no sample
    DepthMap out = run(SamplingPatterns.parse("grid:step=3,offset=0"), dense, 9);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 10; x++) {
        boolean gridPoint = x % 3 == 0 && y % 3 == 0 && !(x == 3 && y == 3);
        assertThat(out.get(x, y)).as("(%d,%d)", x, y).isEqualTo(gridPoint ? 3f : 0f);
      }
    }
    // x in {0,3,6,9}, y in {0,3,6}: 12 points, one invalid.
    assertThat(out.validCount()).isEqualTo(11);
  }

  @Test
  void randomGridOffsetKeepsTheSpacing() {
    DepthMap dense = DepthMap.allocate(20, 20);
    Arrays.fill(dense.data(), 1f);
    DepthMap out = run(SamplingPatterns.parse("grid:step=5"), dense, 3);
    int first = -1;
    for (int i = 0; i < out.size() && first < 0; i++) {
      first = out.data()[i] > 0f ? i : -1;
    }
    int ox = first % 20;
    int oy = first / 20;
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        assertThat(out.get(x, y) > 0f).isEqualTo(x % 5 == ox && y % 5 == oy);
      }
    }
  }

  @Test
  void gradientSamplesConcentrateOnEdges() {
    DepthMap dense = scene();
    DepthMap out = run(new GradientSampling(0.02), dense, 4);
    // The tilted floor has a small uniform gradient; the box edges a large one. Most samples sit on the box
    // border (1 px either side of x=50, x=99, y=40, y=89).
    int onEdge = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if (out.get(x, y) > 0f) {
          boolean nearVertical = (Math.abs(x - 49.5) <= 1.5 || Math.abs(x - 99.5) <= 1.5) && y >= 39 && y <= 90;
          boolean nearHorizontal = (Math.abs(y - 39.5) <= 1.5 || Math.abs(y - 89.5) <= 1.5) && x >= 49 && x <= 100;
          if (nearVertical || nearHorizontal) {
            onEdge++;
          }
        }
      }
    }
    assertThat(onEdge).isGreaterThan(out.validCount() / 2);
  }

  @Test
  void semiDenseKeepsExactlyTheRequestedShareOfTheStrongestGradients() {
    DepthMap dense = scene();
    int valid = dense.validCount();
    DepthMap out = run(new SemiDenseSampling(0.01, 0), dense, 8);
    assertThat(out.validCount()).isEqualTo((int) Math.round(0.01 * valid));
    DepthMap noisy = run(new SemiDenseSampling(0.01, 0.05), dense, 8);
    int changed = 0;
    for (int i = 0; i < out.size(); i++) {
      if (noisy.data()[i] > 0f) {
        assertThat(out.data()[i]).as("same pixels with and without noise").isPositive();
        assertThat(noisy.data()[i] / dense.data()[i]).isBetween(0.6f, 1.4f); // 8 sigma
        changed += noisy.data()[i] != dense.data()[i] ? 1 : 0;
      }
    }
    assertThat(changed).isPositive();
  }

  @Test
  void intensityGuideDrivesTheGradientPatterns() {
    // Flat depth (no depth gradient) with a vertical intensity edge at x = 80: samples must follow the edge.
    DepthMap dense = DepthMap.allocate(W, H);
    Arrays.fill(dense.data(), 4f);
    float[] luma = new float[W * H];
    for (int i = 0; i < luma.length; i++) {
      luma[i] = i % W < 80 ? 0.1f : 0.9f;
    }
    DepthMap out = DepthMap.allocate(W, H);
    new SemiDenseSampling(0.01, 0).sample(dense, luma, out, 1);
    assertThat(out.validCount()).isPositive();
    for (int i = 0; i < out.size(); i++) {
      if (out.data()[i] > 0f) {
        assertThat(i % W).isBetween(79, 80);
      }
    }
    new SemiDenseSampling(0.01, 0).sample(dense, out, 1);
    assertThat(out.validCount()).as("no depth gradient, no guide: nothing to sample").isZero();
    assertThatThrownBy(() -> new GradientSampling(0.1).sample(dense, new float[3], DepthMap.allocate(W, H), 1))
        .hasMessageContaining("guide image has 3 values");
  }

  @Test
  void lidarLinesFollowTheFanAndRespectTheLineCount() {
    DepthMap dense = DepthMap.allocate(301, 61);
    Arrays.fill(dense.data(), 10f);
    DepthMap out = run(SamplingPatterns.parse("lidar:lines=4,up=10,down=10,hstep=1"), dense, 2);
    // Fitted fan: fy = fx = 60 / (2 tan 10deg) = 170.1, cy = 30, cx = 150. On the centre column the beams at
    // +10, +3.33, -3.33, -10 degrees land on rows 0, 30 - 170.1 * tan(3.33deg) = 20.1 -> 20, 40 and 60.
    for (int y = 0; y < 61; y++) {
      boolean beam = y == 0 || y == 20 || y == 40 || y == 60;
      assertThat(out.get(150, y) > 0f).as("row %d", y).isEqualTo(beam);
    }
    // At x = 0 the rays are 150 px off-centre: the +3.33 deg beam bends up to
    // 30 - 9.9 * sqrt(1 + (150 / 170.1)^2) = 30 - 13.2 = 16.8 -> row 17; the +10 deg beam leaves the image.
    for (int y = 0; y < 30; y++) {
      assertThat(out.get(0, y) > 0f).as("row %d at x=0", y).isEqualTo(y == 17);
    }
    assertThat(out.validCount()).isLessThanOrEqualTo(4 * 301);
  }

  @Test
  void specsRoundTripAndBareNamesUseDefaults() {
    for (String name : SamplingPatterns.names()) {
      SamplingPattern p = SamplingPatterns.parse(name);
      assertThat(p.spec()).startsWith(name + ":");
      assertThat(SamplingPatterns.parse(p.spec()).spec()).isEqualTo(p.spec());
    }
    assertThat(SamplingPatterns.parse("uniform").spec()).isEqualTo("uniform:p=0.1");
    assertThat(SamplingPatterns.parse(" grid : step = 4 , offset = 1 ").spec()).isEqualTo("grid:step=4,offset=1");
  }

  @Test
  void parserErrorsNameTheProblem() {
    assertThatThrownBy(() -> SamplingPatterns.parse("poisson:p=0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'poisson'")
        .hasMessageContaining("uniform, gradient, gradient-uniform, grid, lidar, semidense");
    assertThatThrownBy(() -> SamplingPatterns.parse("uniform:q=0.1"))
        .hasMessageContaining("unknown key 'q'")
        .hasMessageContaining("keys: p");
    assertThatThrownBy(() -> SamplingPatterns.parse("uniform:p=abc")).hasMessageContaining("p=abc is not a number");
    assertThatThrownBy(() -> SamplingPatterns.parse("uniform:p=1.5")).hasMessageContaining("p=1.5 must be in (0, 1]");
    assertThatThrownBy(() -> SamplingPatterns.parse("grid:step=0")).hasMessageContaining("step=0 must be in [1,");
    assertThatThrownBy(() -> SamplingPatterns.parse("grid:step=4,offset=4"))
        .hasMessageContaining("offset=4 must be in [0, 3]");
    assertThatThrownBy(() -> SamplingPatterns.parse("lidar:lines=2.5"))
        .hasMessageContaining("lines=2.5 is not an integer");
    assertThatThrownBy(() -> SamplingPatterns.parse("semidense:fraction")).hasMessageContaining("expected key=value");
    assertThatThrownBy(() -> SamplingPatterns.parse("uniform:p=0.1,p=0.2")).hasMessageContaining("'p' given twice");
    assertThatThrownBy(() -> SamplingPatterns.parse(" ")).hasMessageContaining("empty sampling spec");
  }

  @Test
  void rejectsSizeMismatchAndBadGroundTruth() {
    SamplingPattern p = new UniformSampling(0.5);
    assertThatThrownBy(() -> p.sample(DepthMap.allocate(4, 4), DepthMap.allocate(4, 5), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size mismatch");
    DepthMap nan = DepthMap.allocate(4, 4);
    nan.set(2, 1, Float.NaN);
    assertThatThrownBy(() -> p.sample(nan, DepthMap.allocate(4, 4), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(x=2, y=1) is NaN");
  }
}
