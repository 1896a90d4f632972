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

  /**
   * The chamfer codes equal their closed form, min over measured pixels of {@code (3 max + min + 1) / 3} capped at
   * 250 (what {@link SupportMap#within} relies on), and {@code within(k)} is exactly {@code code <= k}, on random
   * masks of several densities, widths around the 64-bit word size, scale factors and special pixels.
   */
  @Test
  void withinIsTheThresholdedDistanceOnRandomMasks() {
    SplittableRandom random = new SplittableRandom(7);
    SupportMap s = new SupportMap();
    int[][] sizes = {{1, 5}, {63, 9}, {64, 7}, {65, 11}, {130, 37}, {200, 3}};
    double[] densities = {0.0, 0.002, 0.02, 0.1, 0.5};
    for (int[] size : sizes) {
      for (double density : densities) {
        for (int f = 1; f <= 3; f++) {
          int inW = Math.max(1, size[0] / f);
          int inH = Math.max(1, size[1] / f);
          DepthMap in = DepthMap.allocate(inW, inH);
          SpecialPixels specials = new SpecialPixels();
          for (int i = 0; i < inW * inH; i++) {
            double r = random.nextDouble();
            if (r < density) {
              in.data()[i] = 1f + (float) r;
            } else if (r > 0.995) {
              specials.add(i, r > 0.9975 ? SpecialPixels.NO_RETURN : SpecialPixels.TOO_CLOSE);
            }
          }
          s.compute(in, specials, f);
          String where = inW + "x" + inH + " x" + f + " density " + density;
          int w = s.width();
          int h = s.height();
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              assertThat(s.distance(y * w + x)).as(where + " code at " + x + "," + y)
                  .isEqualTo(closedForm(in, specials, f, x, y));
            }
          }
          for (int limit : new int[] {0, 1, 2, 3, 4, 7, 16, 17, 40, 249, 250}) {
            long[] bits = s.within(limit);
            for (int y = 0; y < h; y++) {
              for (int x = 0; x < w; x++) {
                boolean set = (bits[y * s.wordsPerRow() + (x >>> 6)] & (1L << x)) != 0;
                assertThat(set).as(where + " within " + limit + " at " + x + "," + y)
                    .isEqualTo(s.distance(y * w + x) <= limit);
              }
              int used = w & 63;
              if (used != 0) {
                assertThat(bits[y * s.wordsPerRow() + s.wordsPerRow() - 1] >>> used).as("bits past the width")
                    .isZero();
              }
            }
          }
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              int bit = y * s.wordsPerRow() + (x >>> 6);
              int code = s.distance(y * w + x);
              assertThat((s.noReturnBits()[bit] & (1L << x)) != 0)
                  .isEqualTo(code == (SupportMap.NO_RETURN_CODE & 0xFF));
              assertThat((s.tooCloseBits()[bit] & (1L << x)) != 0)
                  .isEqualTo(code == (SupportMap.TOO_CLOSE_CODE & 0xFF));
            }
          }
          assertThat(s.hasSpecials()).isEqualTo(specials.count() > 0);
        }
      }
    }
  }

  private static int closedForm(DepthMap in, SpecialPixels specials, int f, int x, int y) {
    for (int i = 0; i < specials.count(); i++) {
      int index = specials.index(i);
      if (index % in.width() == x / f && index / in.width() == y / f) {
        return (specials.kind(i) == SpecialPixels.NO_RETURN ? SupportMap.NO_RETURN_CODE : SupportMap.TOO_CLOSE_CODE)
            & 0xFF;
      }
    }
    int best = SupportMap.MAX_DISTANCE;
    for (int my = 0; my < in.height() * f; my++) {
      for (int mx = 0; mx < in.width() * f; mx++) {
        if (in.get(mx / f, my / f) > 0f) {
          int a = Math.max(Math.abs(mx - x), Math.abs(my - y));
          int b = Math.min(Math.abs(mx - x), Math.abs(my - y));
          best = Math.min(best, (3 * a + b + 1) / 3);
        }
      }
    }
    return best;
  }

  @Test
  void aDecodersMeasuredBitsGiveTheSameSupportAsTheMap() {
    SplittableRandom random = new SplittableRandom(11);
    SupportMap fromMap = new SupportMap();
    SupportMap fromBits = new SupportMap();
    MeasuredBits bits = new MeasuredBits();
    for (int f = 1; f <= 3; f++) {
      for (double density : new double[] {0.0, 0.01, 0.2}) {
        DepthMap in = DepthMap.allocate(97, 31);
        bits.reset(in.width(), in.height());
        SpecialPixels specials = new SpecialPixels();
        for (int i = 0; i < in.size(); i++) {
          double r = random.nextDouble();
          if (r < density) {
            in.data()[i] = 3f;
            bits.set(i);
            if (r < density / 4) {
              bits.set(i); // a repeated sample
            }
          } else if (r > 0.99) {
            specials.add(i, SpecialPixels.TOO_CLOSE);
          }
        }
        fromMap.compute(in, specials, f);
        fromBits.compute(bits, specials, f);
        for (int limit : new int[] {0, 3, 4, 20, 250}) {
          assertThat(fromBits.within(limit)).as("x%d density %s within %d", f, density, limit)
              .containsExactly(fromMap.within(limit));
        }
        assertThat(fromBits.data()).containsExactly(fromMap.data());
      }
    }
  }

  @Test
  void measuredBitsPackExactlyThePositiveDepths() {
    MeasuredBits bits = new MeasuredBits();
    float[] depth = new float[70 * 2];
    depth[0] = 1f;
    depth[63] = Float.MIN_VALUE;
    depth[64] = -0f;
    depth[69] = 2f;
    depth[70 + 65] = 0.5f;
    bits.reset(70, 2);
    bits.pack(depth);
    for (int i = 0; i < depth.length; i++) {
      assertThat(bits.get(i % 70, i / 70)).as("pixel %d", i).isEqualTo(depth[i] > 0f);
    }
    bits.reset(70, 2);
    assertThat(bits.words()).as("reset clears").containsOnly(0L);
  }

  @Test
  void negativeZeroIsNoMeasurement() {
    SupportMap s = new SupportMap();
    s.compute(DepthMap.wrap(3, 1, new float[] {-0f, 0f, Float.MIN_VALUE}), new SpecialPixels(), 1);
    assertThat(s.within(0)[0]).isEqualTo(0b100L);
    assertThat(s.distance(0)).isEqualTo(2);
  }

  @Test
  void viewsFollowTheLatestFrame() {
    SupportMap s = new SupportMap();
    s.compute(DepthMap.wrap(4, 1, new float[] {1f, 0f, 0f, 0f}), new SpecialPixels(), 1);
    assertThat(s.within(1)[0]).isEqualTo(0b11L);
    assertThat(s.distance(3)).isEqualTo(3);
    s.compute(DepthMap.wrap(4, 1, new float[] {0f, 0f, 0f, 1f}), new SpecialPixels(), 1);
    assertThat(s.within(1)[0]).isEqualTo(0b1100L);
    assertThat(s.distance(0)).isEqualTo(3);
    s.allMeasured(DepthMap.wrap(4, 1, new float[] {0f, 2f, 0f, 0f}));
    assertThat(s.within(1)[0]).isEqualTo(0b10L);
    assertThat(s.within(SupportMap.MAX_DISTANCE)[0]).isEqualTo(0b1111L);
    assertThatThrownBy(() -> s.within(251)).hasMessageContaining("0 .. 250");
  }
}
