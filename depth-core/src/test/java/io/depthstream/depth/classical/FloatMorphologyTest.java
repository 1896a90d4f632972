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

  /** The int bit patterns {@link FloatMorphology} works on (all test values are finite and >= 0). */
  private static int[] bits(float[] f) {
    int[] b = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      b[i] = Float.floatToRawIntBits(f[i]);
    }
    return b;
  }

  private static float[] floats(int[] b) {
    float[] f = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      f[i] = Float.intBitsToFloat(b[i]);
    }
    return f;
  }

  @Test
  void squareDilationAndErosionMatchBruteForceForSmallAndLargeRadii() {
    FloatMorphology m = new FloatMorphology();
    m.ensureSize(W, H);
    float[] src = randomSparse(1);
    for (int r : new int[] {1, 2, 3, 15}) {
      int[] dilBits = new int[W * H];
      int[] eroBits = new int[W * H];
      m.dilateSquare(bits(src), dilBits, r);
      m.erodeSquare(bits(src), eroBits, r);
      float[] dil = floats(dilBits);
      float[] ero = floats(eroBits);
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
    int[] dstBits = new int[W * H];
    m.dilateDiamond5(bits(src), dstBits);
    float[] dst = floats(dstBits);
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
    // Sparse random values, then few distinct values (many ties), then a tiny 3x2 image (every window clamped).
    medianMatchesSorting(randomSparse(3), W, H);
    SplittableRandom rnd = new SplittableRandom(5);
    float[] ties = new float[W * H];
    for (int i = 0; i < ties.length; i++) {
      ties[i] = rnd.nextInt(4);
    }
    medianMatchesSorting(ties, W, H);
    medianMatchesSorting(new float[] {5f, 0f, 2f, 7f, 7f, 1f}, 3, 2);
  }

  private static void medianMatchesSorting(float[] src, int w, int h) {
    FloatMorphology m = new FloatMorphology();
    m.ensureSize(w, h);
    int[] dstBits = new int[w * h];
    m.median5(bits(src), dstBits);
    float[] dst = floats(dstBits);
    float[] window = new float[25];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int k = 0;
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            int xx = Math.min(w - 1, Math.max(0, x + dx));
            int yy = Math.min(h - 1, Math.max(0, y + dy));
            window[k++] = src[yy * w + xx];
          }
        }
        Arrays.sort(window);
        assertThat(dst[y * w + x]).as("(%d,%d)", x, y).isEqualTo(window[12]);
      }
    }
  }

  @Test
  void validNormalisedBlurIsBitIdenticalToTheFloatReference() {
    // Also odd sizes where the 2-pixel border columns and rows meet (w = 5, h = 3).
    for (int[] size : new int[][] {{W, H}, {5, 3}, {4, 6}}) {
      int w = size[0];
      int h = size[1];
      SplittableRandom rnd = new SplittableRandom(6);
      float[] src = new float[w * h];
      for (int i = 0; i < src.length; i++) {
        src[i] = rnd.nextDouble() < 0.6 ? (float) (rnd.nextDouble() * 90.0) : 0f;
      }
      FloatMorphology m = new FloatMorphology();
      m.ensureSize(w, h);
      float[] fast = new float[w * h];
      m.blurValid5(bits(src), fast);
      FloatMorphologyReference ref = new FloatMorphologyReference();
      ref.ensureSize(w, h);
      float[] expected = new float[w * h];
      ref.blurValid5(src, expected);
      assertThat(bits(fast)).as("%dx%d", w, h).isEqualTo(bits(expected));
    }
  }

  @Test
  void prunedMedianNetworkSelectsTheMedianOfEveryColumnSortedZeroOneWindow() {
    // 0-1 principle: each of the 5 sorted columns is a threshold (0..5 leading zeros), 6^5 windows in all; the
    // median of a 0-1 window is 1 exactly when at least 13 of its 25 values are 1.
    int[] net = FloatMorphology.MEDIAN25_SORTED_COLUMNS;
    int[] v = new int[25];
    for (int code = 0; code < 7776; code++) {
      int ones = 0;
      for (int j = 0, c = code; j < 5; j++, c /= 6) {
        int zeros = c % 6;
        for (int i = 0; i < 5; i++) {
          v[5 * i + j] = i >= zeros ? 1 : 0;
        }
        ones += 5 - zeros;
      }
      for (int k = 0; k + 2 < net.length; k += 3) {
        int p = v[net[k]];
        int q = v[net[k + 1]];
        v[net[k]] = Math.min(p, q);
        v[net[k + 1]] = Math.max(p, q);
      }
      assertThat(v[net[net.length - 1]]).as("window %d", code).isEqualTo(ones >= 13 ? 1 : 0);
    }
  }

  @Test
  void branchFreeHelpersAreExactAtTheEndsOfTheirRange() {
    int inf = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
    assertThat(FloatMorphology.max(0, inf)).isEqualTo(inf);
    assertThat(FloatMorphology.min(0, inf)).isZero();
    assertThat(FloatMorphology.max(-inf, 0)).isZero();
    assertThat(FloatMorphology.min(-inf, -1)).isEqualTo(-inf);
    assertThat(FloatMorphology.isPositive(0f)).isEqualTo(0f);
    assertThat(FloatMorphology.isPositive(Float.MIN_VALUE)).isEqualTo(1f);
    assertThat(FloatMorphology.isPositive(Float.MIN_NORMAL)).isEqualTo(1f);
    assertThat(FloatMorphology.isPositive(0.37f)).isEqualTo(1f);
    assertThat(FloatMorphology.isPositive(Float.MAX_VALUE)).isEqualTo(1f);
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
