package io.depthstream.depth.classical;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FloatMorphologyTest {
  private static final int W = 37;
  private static final int H = 23;

  private static float[] randomSparse(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] f = new float[W * H];
    for (int i = 0; i < f.length; i++) {
      f[i] = rnd.nextDouble() < 0.3 ? (float) rnd.nextDouble() * 50f : 0f;
    }
    return f;
  }

  @Test
  void squareDilationAndErosionMatchBruteForceForSmallAndLargeRadii() {
    FloatMorphology m = new FloatMorphology();
    m.ensureSize(W, H);
    float[] src = randomSparse(1);
    for (int r : new int[] {1, 2, 3, 15}) {
      float[] dil = new float[W * H];
      float[] ero = new float[W * H];
      m.dilateSquare(src, dil, r);
      m.erodeSquare(src, ero, r);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          float max = Float.NEGATIVE_INFINITY;
          float min = Float.POSITIVE_INFINITY;
          for (int yy = Math.max(0, y - r); yy <= Math.min(H - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(W - 1, x + r); xx++) {
              max = Math.max(max, src[yy * W + xx]);
              min = Math.min(min, src[yy * W + xx]);
            }
          }
          assertThat(dil[y * W + x]).as("dilate r=%d at (%d,%d)", r, x, y).isEqualTo(max);
          assertThat(ero[y * W + x]).as("erode r=%d at (%d,%d)", r, x, y).isEqualTo(min);
        }
      }
    }
  }

  @Test
  void diamondDilationMatchesTheFiveByFiveDiamondKernel() {
    FloatMorphology m = new FloatMorphology();
    m.ensureSize(W, H);
    float[] src = randomSparse(2);
    float[] dst = new float[W * H];
    m.dilateDiamond5(src, dst);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        float max = Float.NEGATIVE_INFINITY;
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            if (Math.abs(dx) + Math.abs(dy) <= 2 && xx >= 0 && xx < W && yy >= 0 && yy < H) {
              max = Math.max(max, src[yy * W + xx]);
            }
          }
        }
        assertThat(dst[y * W + x]).as("(%d,%d)", x, y).isEqualTo(max);
      }
    }
  }

  @Test
  void medianMatchesSortingWithReplicatedBorders() {
    FloatMorphology m = new FloatMorphology();
    m.ensureSize(W, H);
    float[] src = randomSparse(3);
    float[] dst = new float[W * H];
    m.median5(src, dst);
    float[] window = new float[25];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int k = 0;
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            int xx = Math.min(W - 1, Math.max(0, x + dx));
            int yy = Math.min(H - 1, Math.max(0, y + dy));
            window[k++] = src[yy * W + xx];
          }
        }
        Arrays.sort(window);
        assertThat(dst[y * W + x]).as("(%d,%d)", x, y).isEqualTo(window[12]);
      }
    }
  }

  @Test
  void selectionNetworkFindsTheMedianOfOddSizes() {
    SplittableRandom rnd = new SplittableRandom(4);
    for (int n : new int[] {1, 3, 5, 9, 25}) {
      int[] net = SelectionNetwork.median(n);
      for (int trial = 0; trial < 200; trial++) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = rnd.nextInt(10); // small range: many ties
        }
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        for (int c = 0; c + 2 < net.length; c += 3) {
          float p = v[net[c]];
          float q = v[net[c + 1]];
          v[net[c]] = Math.min(p, q);
          v[net[c + 1]] = Math.max(p, q);
        }
        assertThat(v[net[net.length - 1]]).as("n=%d", n).isEqualTo(sorted[n / 2]);
      }
    }
  }
}
