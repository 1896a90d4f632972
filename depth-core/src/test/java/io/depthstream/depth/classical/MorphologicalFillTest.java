package io.depthstream.depth.classical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MorphologicalFillTest {

  @Test
  void sparseConstantDepthComesBackAsTheSameDepthEverywhere() {
    // A wrong inversion would give 100 - 2 = 98 m; a missing inversion-back would give 98 too.
    DepthMap in = DepthMap.allocate(40, 30);
    for (int y = 1; y < 30; y += 4) {
      for (int x = 0; x < 40; x += 4) {
        in.set(x, y, 2f);
      }
    }
    DepthMap out = DepthMap.allocate(40, 30);
    new MorphologicalFill().reconstruct(in, out);
    for (float d : out.data()) {
      assertThat(d).isCloseTo(2f, within(1e-4f));
    }
  }

  @Test
  void fillsAHoleInAFlatSurface() {
    DepthMap in = DepthMap.allocate(20, 20);
    java.util.Arrays.fill(in.data(), 3f);
    for (int y = 7; y < 13; y++) {
      for (int x = 7; x < 13; x++) {
        in.set(x, y, 0f);
      }
    }
    DepthMap out = DepthMap.allocate(20, 20);
    new MorphologicalFill().reconstruct(in, out);
    assertThat(out.validCount()).isEqualTo(400);
    assertThat(out.get(10, 10)).isCloseTo(3f, within(1e-4f));
  }

  @Test
  void aGapBetweenTwoSurfacesIsClaimedByTheNearerOne() {
    // Each row: x 0..4 at 5 m, x=5 empty, x 6..10 at 2 m. Inverted (D=100): 95 | 0 | 98.
    // Diamond dilation: x=4 sees x=6 (98), x=5 sees 98, x=3 only 95 -> 95 95 95 95 98 98 ...
    // Closing (5x5) and the fills leave that unchanged; the median too (rows are equal).
    // Normalised [1 4 6 4 1]/16 blur: x=2 -> (15*95+98)/16 = 95.1875, x=3 -> (11*95+5*98)/16 = 95.9375,
    // x=4 -> (5*95+11*98)/16 = 97.0625, x=5 -> (95+15*98)/16 = 97.8125; inverted back: 100 - value.
    float[] d = new float[11 * 9];
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 11; x++) {
        d[y * 11 + x] = x < 5 ? 5f : (x == 5 ? 0f : 2f);
      }
    }
    DepthMap out = DepthMap.allocate(11, 9);
    new MorphologicalFill().reconstruct(DepthMap.wrap(11, 9, d), out);
    float[] expected = {5f, 5f, 4.8125f, 4.0625f, 2.9375f, 2.1875f, 2f, 2f, 2f, 2f, 2f};
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 11; x++) {
        assertThat(out.get(x, y)).as("(%d,%d)", x, y).isCloseTo(expected[x], within(1e-4f));
      }
    }
  }

  @Test
  void depthsBeyondTheInversionConstantStayCorrect() {
    DepthMap in = DepthMap.allocate(12, 12);
    in.set(6, 6, 150f);
    in.set(2, 2, 150f);
    DepthMap out = DepthMap.allocate(12, 12);
    new MorphologicalFill(100f).reconstruct(in, out);
    assertThat(out.get(6, 6)).isCloseTo(150f, within(1e-3f));
    assertThat(out.get(4, 4)).isCloseTo(150f, within(1e-3f));
  }

  @Test
  void extendsTheTopmostValueOfEachColumnUpwards() {
    // Samples only in the bottom row: the 31x31 fill would reach the top of a 8-row image anyway, so use a
    // taller image (40 rows) where only the top extension can fill rows far above the samples.
    DepthMap in = DepthMap.allocate(8, 40);
    for (int x = 0; x < 8; x++) {
      in.set(x, 39, 4f);
    }
    DepthMap out = DepthMap.allocate(8, 40);
    new MorphologicalFill().reconstruct(in, out);
    assertThat(out.validCount()).isEqualTo(8 * 40);
    assertThat(out.get(3, 0)).isCloseTo(4f, within(1e-4f));
  }

  @Test
  void rejectsBadInputAndConfiguration() {
    assertThatThrownBy(() -> new MorphologicalFill(Float.NaN)).hasMessageContaining("maxDepth");
    MorphologicalFill fill = new MorphologicalFill();
    assertThatThrownBy(() -> fill.reconstruct(DepthMap.allocate(5, 5), DepthMap.allocate(5, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size mismatch");
    DepthMap inf = DepthMap.allocate(3, 3);
    inf.set(1, 1, Float.POSITIVE_INFINITY);
    assertThatThrownBy(() -> fill.reconstruct(inf, DepthMap.allocate(3, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Infinity");
  }

  @Test
  void isBitIdenticalToTheFloatReferenceOnSparseLidarAndHoleyInputs() {
    // The int-bits pipeline must reproduce the plain float implementation exactly, frame after frame with the
    // same instance (scratch reuse), including depths beyond the inversion constant, odd sizes and a row wider
    // than the median tile.
    MorphologicalFill fast = new MorphologicalFill();
    MorphologicalFillReference ref = new MorphologicalFillReference();
    SplittableRandom rnd = new SplittableRandom(11);
    for (int[] size : new int[][] {{160, 120}, {160, 120}, {37, 23}, {3, 2}, {97, 61}, {700, 24}}) {
      int w = size[0];
      int h = size[1];
      for (double density : new double[] {0.01, 0.05, 0.3}) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
          d[i] = rnd.nextDouble() < density ? (float) (0.2 + rnd.nextDouble() * 120.0) : 0f;
        }
        d[d.length / 2] = 7.5f; // at least one sample, so the output is not trivially all empty
        assertSameBits(fast, ref, DepthMap.wrap(w, h, d), "random " + w + "x" + h + " p=" + density);
      }
    }
    assertSameBits(fast, ref, lidarLike(160, 120), "lidar-like");
    assertSameBits(fast, ref, holeyDense(160, 120, rnd), "dense with holes");
  }

  private static void assertSameBits(
      MorphologicalFill fast, MorphologicalFillReference ref, DepthMap in, String what) {
    DepthMap expected = DepthMap.allocate(in.width(), in.height());
    DepthMap actual = DepthMap.allocate(in.width(), in.height());
    ref.reconstruct(in, expected);
    fast.reconstruct(in, actual);
    float[] e = expected.data();
    float[] a = actual.data();
    for (int i = 0; i < e.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
        throw new AssertionError(
            what + ": pixel (" + (i % in.width()) + "," + (i / in.width()) + ") is " + a[i] + ", reference "
                + e[i]);
      }
    }
    assertThat(actual.validCount()).as(what).isEqualTo(expected.validCount()).isPositive();
  }

  /** 16 scan lines in the lower two thirds over a floor receding from 2 m to 30 m, with a box at 6 m. */
  private static DepthMap lidarLike(int w, int h) {
    DepthMap d = DepthMap.allocate(w, h);
    for (int line = 0; line < 16; line++) {
      int y = h / 3 + line * (2 * h / 3) / 16;
      for (int x = 0; x < w; x++) {
        float floor = 2f + 28f * (h - 1 - y) / (2f * h / 3f);
        boolean box = x > w / 3 && x < w / 2 && y < 2 * h / 3;
        d.set(x, y, box ? 6f : floor);
      }
    }
    return d;
  }

  /** A sloped surface with a nearer box, 10% dropouts and a rectangular hole. */
  private static DepthMap holeyDense(int w, int h, SplittableRandom rnd) {
    DepthMap d = DepthMap.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean hole = (x > w / 5 && x < w / 3 && y > h / 6 && y < h / 3) || rnd.nextDouble() < 0.1;
        boolean box = x > w / 2 && x < 3 * w / 4 && y > h / 3 && y < 2 * h / 3;
        d.set(x, y, hole ? 0f : (box ? 1.7f : 3f + 5f * y / h));
      }
    }
    return d;
  }
}
