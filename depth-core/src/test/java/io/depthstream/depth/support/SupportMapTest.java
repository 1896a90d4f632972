package io.depthstream.depth.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SupportMapTest {

  /** One measured pixel at (cx, cy) of a w x h map. */
  private static DepthMap single(int w, int h, int cx, int cy) {
    DepthMap m = DepthMap.allocate(w, h);
    m.set(cx, cy, 2f);
    return m;
  }

  private static int at(SupportMap s, int x, int y) {
    return s.distance(y * s.width() + x);
  }

  @Test
  void chamferDistancesAroundOneMeasuredPixel() {
    SupportMap s = new SupportMap();
    s.compute(single(11, 11, 5, 5), new SpecialPixels(), 1);
    assertThat(s.width()).isEqualTo(11);
    assertThat(s.height()).isEqualTo(11);
    // Offset (a, b), a >= b: cost 3a + b, code round((3a + b) / 3) = (3a + b + 1) / 3.
    assertThat(at(s, 5, 5)).isEqualTo(0);
    assertThat(at(s, 6, 5)).isEqualTo(1); // (1, 0): 3 -> 1
    assertThat(at(s, 6, 6)).isEqualTo(1); // (1, 1): 4 -> 1 (Euclidean 1.41)
    assertThat(at(s, 7, 6)).isEqualTo(2); // (2, 1): 7 -> 2 (2.24)
    assertThat(at(s, 3, 3)).isEqualTo(3); // (2, 2): 8 -> 3 (2.83)
    assertThat(at(s, 5, 0)).isEqualTo(5); // (0, 5): 15 -> 5
    assertThat(at(s, 9, 8)).isEqualTo(5); // (4, 3): 15 -> 5 (exactly 5)
    assertThat(at(s, 1, 1)).isEqualTo(5); // (4, 4): 16 -> 5 (5.66, the diagonal is the short side of the bound)
    assertThat(at(s, 0, 0)).isEqualTo(7); // (5, 5): 20 -> 7 (7.07)
  }

  @Test
  void theNearestOfSeveralMeasuredPixelsWinsAndRowsAreIndependentOfTheirNeighbours() {
    // Measured at x = 0 and x = 9 on row 0 of a 10 x 2 map.
    DepthMap m = DepthMap.allocate(10, 2);
    m.set(0, 0, 1f);
    m.set(9, 0, 1f);
    SupportMap s = new SupportMap();
    s.compute(m, new SpecialPixels(), 1);
    int[] row0 = new int[10];
    int[] row1 = new int[10];
    for (int x = 0; x < 10; x++) {
      row0[x] = at(s, x, 0);
      row1[x] = at(s, x, 1);
    }
    assertThat(row0).containsExactly(0, 1, 2, 3, 4, 4, 3, 2, 1, 0);
    // Row 1: (x, 1) from (0, 0) costs 3x + 1 for x >= 1 -> (3x + 2) / 3 = x; x = 0 costs 3 -> 1.
    assertThat(row1).containsExactly(1, 1, 2, 3, 4, 4, 3, 2, 1, 1);
  }

  @Test
  void noMeasurementAtAllIsTheLargestCodeEverywhere() {
    SupportMap s = new SupportMap();
    s.compute(DepthMap.allocate(7, 3), new SpecialPixels(), 1);
    for (byte b : s.data()) {
      assertThat(b & 0xFF).isEqualTo(SupportMap.MAX_DISTANCE);
    }
  }

  @Test
  void distancesSaturateAt250() {
    SupportMap s = new SupportMap();
    s.compute(single(400, 1, 0, 0), new SpecialPixels(), 1);
    assertThat(at(s, 249, 0)).isEqualTo(249);
    assertThat(at(s, 250, 0)).isEqualTo(250);
    assertThat(at(s, 399, 0)).isEqualTo(250);
  }

  @Test
  void specialPixelsOverrideTheirDistanceAndAreNotMeasured() {
    DepthMap m = DepthMap.allocate(6, 1);
    m.set(0, 0, 1f);
    SpecialPixels specials = new SpecialPixels();
    specials.add(3, SpecialPixels.NO_RETURN);
    specials.add(5, SpecialPixels.TOO_CLOSE);
    SupportMap s = new SupportMap();
    s.compute(m, specials, 1);
    assertThat(s.data()).containsExactly(0, 1, 2, SupportMap.NO_RETURN_CODE, 4, SupportMap.TOO_CLOSE_CODE);
    // Reuse: a new frame with no specials forgets them.
    specials.clear();
    s.compute(m, specials, 1);
    assertThat(s.data()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void scaleFactorTwoCountsDistancesInOutputPixelsFromTheMeasuredBlock() {
    // Input 3 x 2, measured (0, 0): output 6 x 4, measured block x, y in [0, 2).
    DepthMap m = DepthMap.allocate(3, 2);
    m.set(0, 0, 1f);
    SpecialPixels specials = new SpecialPixels();
    specials.add(5, SpecialPixels.TOO_CLOSE); // input (2, 1) -> output block x in [4, 6), y in [2, 4)
    SupportMap s = new SupportMap();
    s.compute(m, specials, 2);
    assertThat(s.width()).isEqualTo(6);
    assertThat(s.height()).isEqualTo(4);
    int[][] expected = {
        {0, 0, 1, 2, 3, 4},
        {0, 0, 1, 2, 3, 4},
        {1, 1, 1, 2, -1, -1}, // (2, 2): offset (1, 1) from the block corner (1, 1), cost 4 -> 1
        {2, 2, 2, 3, -1, -1}, // (2, 3): offset (1, 2), cost 7 -> 2; (3, 3): offset (2, 2), cost 8 -> 3
    };
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        int want = expected[y][x] < 0 ? SupportMap.TOO_CLOSE_CODE & 0xFF : expected[y][x];
        assertThat(at(s, x, y)).as("(%d, %d)", x, y).isEqualTo(want);
      }
    }
  }

  @Test
  void scaleFactorFourMatchesTheSameMapComputedAtFullResolution() {
    // A random sparse 20 x 15 input at x4 equals the x1 support of the input blown up to 80 x 60 by blocks.
    SplittableRandom rnd = new SplittableRandom(3);
    DepthMap small = DepthMap.allocate(20, 15);
    DepthMap big = DepthMap.allocate(80, 60);
    for (int y = 0; y < 15; y++) {
      for (int x = 0; x < 20; x++) {
        if (rnd.nextDouble() < 0.05) {
          small.set(x, y, 3f);
          for (int k = 0; k < 16; k++) {
            big.set(x * 4 + k % 4, y * 4 + k / 4, 3f);
          }
        }
      }
    }
    SpecialPixels specials = new SpecialPixels();
    specials.add(7 * 20 + 11, SpecialPixels.NO_RETURN);
    SpecialPixels bigSpecials = new SpecialPixels();
    for (int k = 0; k < 16; k++) {
      bigSpecials.add((7 * 4 + k / 4) * 80 + 11 * 4 + k % 4, SpecialPixels.NO_RETURN);
    }
    SupportMap scaled = new SupportMap();
    scaled.compute(small, specials, 4);
    SupportMap full = new SupportMap();
    full.compute(big, bigSpecials, 1);
    assertThat(scaled.data()).containsExactly(full.data());
    assertThat(at(scaled, 45, 29)).isEqualTo(SupportMap.NO_RETURN_CODE & 0xFF);
    // And an independent spot check: distances are in output pixels, so some pixel is more than 4 away.
    int largest = 0;
    for (int i = 0; i < 80 * 60; i++) {
      int d = scaled.distance(i);
      if (d <= SupportMap.MAX_DISTANCE) {
        largest = Math.max(largest, d);
      }
    }
    assertThat(largest).isGreaterThan(4);
  }

  @Test
  void chamferStaysWithinItsStatedBoundOfTheEuclideanDistance() {
    // Brute force on a random sparse map: |code - euclid| <= 0.057 * euclid + 0.5 (rounding).
    SplittableRandom rnd = new SplittableRandom(11);
    int w = 60;
    int h = 40;
    DepthMap m = DepthMap.allocate(w, h);
    for (int i = 0; i < 12; i++) {
      m.set(rnd.nextInt(w), rnd.nextInt(h), 1f);
    }
    SupportMap s = new SupportMap();
    s.compute(m, new SpecialPixels(), 1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double best = Double.MAX_VALUE;
        for (int j = 0; j < w * h; j++) {
          if (m.data()[j] > 0f) {
            best = Math.min(best, Math.hypot(j % w - x, j / w - y));
          }
        }
        assertThat((double) at(s, x, y)).as("(%d, %d)", x, y).isBetween(best * 0.943 - 0.5, best * 1.054 + 0.5);
      }
    }
  }

  @Test
  void aFocalStackEstimateIsMeasuredWhereItHasDepth() {
    DepthMap e = DepthMap.wrap(3, 1, new float[] {1f, 0f, 2f});
    SupportMap s = new SupportMap();
    s.allMeasured(e);
    assertThat(s.data()).containsExactly(0, (byte) 250, 0);
  }

  @Test
  void badArgumentsAreRefusedWithWhatWasWrong() {
    SupportMap s = new SupportMap();
    assertThatThrownBy(() -> s.compute(DepthMap.allocate(2, 2), new SpecialPixels(), 0))
        .hasMessageContaining("scale factor");
    SpecialPixels outside = new SpecialPixels();
    outside.add(4, SpecialPixels.NO_RETURN);
    assertThatThrownBy(() -> s.compute(DepthMap.allocate(2, 2), outside, 1)).hasMessageContaining("outside");
    assertThatThrownBy(() -> outside.add(0, (byte) 3)).hasMessageContaining("kind");
  }

  @Test
  void specialPixelsGrowAndKeepTheirEntries() {
    SpecialPixels p = new SpecialPixels();
    for (int i = 0; i < 100; i++) {
      p.add(i * 3, i % 2 == 0 ? SpecialPixels.NO_RETURN : SpecialPixels.TOO_CLOSE);
    }
    assertThat(p.count()).isEqualTo(100);
    assertThat(p.index(99)).isEqualTo(297);
    assertThat(p.kind(98)).isEqualTo(SpecialPixels.NO_RETURN);
    assertThat(p.kind(99)).isEqualTo(SpecialPixels.TOO_CLOSE);
    p.clear();
    assertThat(p.count()).isZero();
    assertThatThrownBy(() -> p.index(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
