package io.depthstream.depth.classical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestValidFillTest {

  @Test
  void fillsARowFromTheNearestSample() {
    // Samples at x=1 (2 m) and x=4 (5 m): x=0 -> 2, x=2 -> 2 (distance 1 vs 2), x=3 -> 5 (distance 2 vs 1).
    DepthMap in = DepthMap.wrap(5, 1, new float[] {0f, 2f, 0f, 0f, 5f});
    DepthMap out = DepthMap.allocate(5, 1);
    new NearestValidFill().reconstruct(in, out);
    assertThat(out.data()).containsExactly(2f, 2f, 2f, 5f, 5f);
  }

  @Test
  void usesEuclideanNotCityBlockDistance() {
    // 4x4, samples at (0,0)=1 and (3,2)=9. Pixel (2,3): to (0,0) d^2=4+9=13, to (3,2) d^2=1+1=2 -> 9.
    // Pixel (0,3): to (0,0) d^2=9, to (3,2) d^2=9+1=10 -> 1. Pixel (2,0): d^2=4 vs 1+4=5 -> 1.
    // Pixel (2,1): d^2=4+1=5 vs 1+1=2 -> 9.
    float[] d = new float[16];
    d[0] = 1f;
    d[2 * 4 + 3] = 9f;
    DepthMap out = DepthMap.allocate(4, 4);
    new NearestValidFill().reconstruct(DepthMap.wrap(4, 4, d), out);
    assertThat(out.get(2, 3)).isEqualTo(9f);
    assertThat(out.get(0, 3)).isEqualTo(1f);
    assertThat(out.get(2, 0)).isEqualTo(1f);
    assertThat(out.get(2, 1)).isEqualTo(9f);
    assertThat(out.get(0, 0)).isEqualTo(1f);
    assertThat(out.get(3, 2)).isEqualTo(9f);
  }

  @Test
  void matchesBruteForceOnRandomSparseMaps() {
    SplittableRandom rnd = new SplittableRandom(7);
    NearestValidFill fill = new NearestValidFill();
    for (int trial = 0; trial < 26; trial++) {
      // 20 small maps at 8 %, then 6 up to 320x240 at 0.05-2 %, where envelopes of hundreds of columns cross.
      boolean large = trial >= 20;
      int w = large ? 100 + rnd.nextInt(221) : 1 + rnd.nextInt(23);
      int h = large ? 80 + rnd.nextInt(161) : 1 + rnd.nextInt(17);
      double density = large ? 0.0005 + 0.02 * rnd.nextDouble() : 0.08;
      float[] d = new float[w * h];
      for (int i = 0; i < d.length; i++) {
        if (rnd.nextDouble() < density) {
          d[i] = 0.5f + (float) rnd.nextDouble() * 10f;
        }
      }
      d[rnd.nextInt(d.length)] = 3f;
      int[] samples = java.util.stream.IntStream.range(0, d.length).filter(i -> d[i] > 0f).toArray();
      DepthMap out = DepthMap.allocate(w, h);
      fill.reconstruct(DepthMap.wrap(w, h, d), out);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          // The chosen value must come from a sample at the minimal squared distance (ties may pick either).
          int best = Integer.MAX_VALUE;
          for (int i : samples) {
            int dx = i % w - x;
            int dy = i / w - y;
            best = Math.min(best, dx * dx + dy * dy);
          }
          float got = out.get(x, y);
          boolean fromANearestSample = false;
          for (int i : samples) {
            int dx = i % w - x;
            int dy = i / w - y;
            if (dx * dx + dy * dy == best && d[i] == got) {
              fromANearestSample = true;
            }
          }
          assertThat(fromANearestSample).as("trial %d pixel (%d,%d) %dx%d", trial, x, y, w, h).isTrue();
        }
      }
    }
  }

  @Test
  void allInvalidInputGivesAllInvalidOutput() {
    DepthMap out = DepthMap.wrap(3, 2, new float[] {1f, 1f, 1f, 1f, 1f, 1f});
    new NearestValidFill().reconstruct(DepthMap.allocate(3, 2), out);
    assertThat(out.validCount()).isZero();
  }

  @Test
  void rejectsMismatchedSizesAndBadValues() {
    NearestValidFill fill = new NearestValidFill();
    assertThatThrownBy(() -> fill.reconstruct(DepthMap.allocate(4, 3), DepthMap.allocate(3, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size mismatch")
        .hasMessageContaining("4x3");
    DepthMap nan = DepthMap.wrap(2, 2, new float[] {1f, 0f, Float.NaN, 0f});
    assertThatThrownBy(() -> fill.reconstruct(nan, DepthMap.allocate(2, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(x=0, y=1)")
        .hasMessageContaining("NaN");
    DepthMap negative = DepthMap.wrap(2, 1, new float[] {-1f, 2f});
    assertThatThrownBy(() -> fill.reconstruct(negative, DepthMap.allocate(2, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1.0");
  }
}
