package io.depthstream.depth.classical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearInterpolationTest {
  @Test
  void reproducesAPlaneExactlyInsideTheHull() {
    // Samples of the plane z = 2 + 0.1 x + 0.05 y at the four corners and the centre of a 9x9 image: linear
    // interpolation over any triangulation reproduces a plane exactly, and the corners make the hull the frame.
    DepthMap sparse = DepthMap.allocate(9, 9);
    int[][] points = {{0, 0}, {8, 0}, {0, 8}, {8, 8}, {4, 4}};
    for (int[] p : points) {
      sparse.set(p[0], p[1], plane(p[0], p[1]));
    }
    DepthMap out = DepthMap.allocate(9, 9);
    new LinearInterpolation().reconstruct(sparse, out);
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 9; x++) {
        assertThat(out.get(x, y)).as("(%d,%d)", x, y).isCloseTo(plane(x, y), within(1e-5f));
      }
    }
  }

  @Test
  void reproducesAPlaneFromScatteredAndGridSamplesAndOutsideTheHullTakesTheNearestSample() {
    // 300 scattered samples of a tilted plane in a 160x120 frame, plus a regular grid block (co-circular squares,
    // where the Delaunay triangulation is not unique): inside the hull every pixel is on the plane whichever
    // diagonal was chosen; outside it every pixel equals nearest-fill's.
    int w = 160;
    int h = 120;
    DepthMap sparse = DepthMap.allocate(w, h);
    Random random = new Random(15);
    for (int k = 0; k < 300; k++) {
      int x = 10 + random.nextInt(w - 20);
      int y = 5 + random.nextInt(h - 10);
      sparse.set(x, y, plane(x, y));
    }
    for (int y = 40; y <= 60; y += 4) {
      for (int x = 60; x <= 80; x += 4) {
        sparse.set(x, y, plane(x, y));
      }
    }
    DepthMap out = DepthMap.allocate(w, h);
    DepthMap nearest = DepthMap.allocate(w, h);
    LinearInterpolation linear = new LinearInterpolation();
    linear.reconstruct(sparse, out);
    new NearestValidFill().reconstruct(sparse, nearest);
    int inside = 0;
    int outside = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (out.get(x, y) == nearest.get(x, y) && Math.abs(out.get(x, y) - plane(x, y)) > 1e-4f) {
          outside++; // off the plane: only nearest-fill's answer is allowed there
        } else {
          assertThat(out.get(x, y)).as("(%d,%d)", x, y).isCloseTo(plane(x, y), within(1e-4f));
          inside++;
        }
      }
    }
    // The image border lies outside the samples' hull (no sample within 10 px of the left and right edges).
    assertThat(outside).as("pixels outside the hull").isGreaterThan(2 * 10 * h);
    assertThat(inside).as("pixels inside the hull").isGreaterThan(w * h / 2);
    for (int y = 0; y < h; y++) {
      assertThat(out.get(0, y)).as("left border (0,%d)", y).isEqualTo(nearest.get(0, y));
    }
    // Reused buffers: the same instance gives the same answer again.
    DepthMap again = DepthMap.allocate(w, h);
    linear.reconstruct(sparse, again);
    assertThat(again.data()).containsExactly(out.data());
  }

  @Test
  void outsideTheHullTakesTheNearestSample() {
    // A triangle in the top-left corner of a 6x6 image; pixel (5,5) lies outside it and is nearest to (2,2).
    DepthMap sparse = DepthMap.allocate(6, 6);
    sparse.set(0, 0, 1f);
    sparse.set(2, 0, 1f);
    sparse.set(2, 2, 3f);
    DepthMap out = DepthMap.allocate(6, 6);
    new LinearInterpolation().reconstruct(sparse, out);
    assertThat(out.get(5, 5)).isEqualTo(3f);
    assertThat(out.get(5, 0)).isEqualTo(1f);
    // (2,1) is on the edge from (2,0) to (2,2): halfway between depths 1 and 3; (1,0) between two samples of 1 m.
    assertThat(out.get(2, 1)).isCloseTo(2f, within(1e-5f));
    assertThat(out.get(1, 0)).isCloseTo(1f, within(1e-6f));
    // (1,1) is on the hypotenuse from (0,0) to (2,2): halfway between 1 and 3 as well.
    assertThat(out.get(1, 1)).isCloseTo(2f, within(1e-5f));
  }

  @Test
  void fewerThanThreeOrCollinearSamplesGiveNearestFill() {
    LinearInterpolation linear = new LinearInterpolation();
    DepthMap out = DepthMap.allocate(7, 5);
    DepthMap nearest = DepthMap.allocate(7, 5);

    DepthMap none = DepthMap.allocate(7, 5);
    out.data()[3] = 9f; // a stale value from an earlier frame must not survive
    linear.reconstruct(none, out);
    assertThat(out.data()).containsOnly(0f);

    DepthMap one = DepthMap.allocate(7, 5);
    one.set(3, 2, 4f);
    linear.reconstruct(one, out);
    assertThat(out.data()).containsOnly(4f);

    DepthMap two = DepthMap.allocate(7, 5);
    two.set(0, 0, 1f);
    two.set(6, 4, 2f);
    linear.reconstruct(two, out);
    new NearestValidFill().reconstruct(two, nearest);
    assertThat(out.data()).containsExactly(nearest.data());

    DepthMap line = DepthMap.allocate(7, 5);
    line.set(1, 2, 1f);
    line.set(3, 2, 2f);
    line.set(5, 2, 3f);
    linear.reconstruct(line, out);
    new NearestValidFill().reconstruct(line, nearest);
    assertThat(out.data()).containsExactly(nearest.data());
  }

  @Test
  void keepsEveryMeasuredPixelAndHandlesAChangeOfFrameSize() {
    LinearInterpolation linear = new LinearInterpolation();
    Random random = new Random(3);
    for (int[] size : new int[][] {{64, 48}, {31, 17}, {64, 48}}) {
      DepthMap sparse = DepthMap.allocate(size[0], size[1]);
      for (int k = 0; k < 40; k++) {
        sparse.set(random.nextInt(size[0]), random.nextInt(size[1]), 0.5f + 10 * random.nextFloat());
      }
      DepthMap out = DepthMap.allocate(size[0], size[1]);
      linear.reconstruct(sparse, out);
      for (int i = 0; i < sparse.size(); i++) {
        if (sparse.data()[i] > 0f) {
          assertThat(out.data()[i]).as("sample %d of %dx%d", i, size[0], size[1])
              .isCloseTo(sparse.data()[i], within(1e-5f));
        } else {
          assertThat(out.data()[i]).as("pixel %d of %dx%d", i, size[0], size[1]).isBetween(0.5f, 10.5f);
        }
      }
    }
  }

  @Test
  void refusesMismatchedSizesAndInvalidDepths() {
    LinearInterpolation linear = new LinearInterpolation();
    assertThatThrownBy(() -> linear.reconstruct(DepthMap.allocate(4, 4), DepthMap.allocate(5, 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4x4").hasMessageContaining("5x4");
    DepthMap bad = DepthMap.allocate(4, 4);
    bad.set(1, 1, Float.NaN);
    assertThatThrownBy(() -> linear.reconstruct(bad, DepthMap.allocate(4, 4)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBlendIsNearestFillsShareOfEachPixelPlusLinearsAndTheSamplesStayExact() {
    // Two depth layers (a near box on a far wall), 80 scattered samples in 96x72: linear and nearest-fill differ
    // across the box's edges; the blend must be w * nearest + (1 - w) * linear of the same samples at every pixel.
    int w = 96;
    int h = 72;
    DepthMap sparse = boxOnWall(w, h, 80, 3);
    DepthMap linear = DepthMap.allocate(w, h);
    DepthMap nearest = DepthMap.allocate(w, h);
    DepthMap blend = DepthMap.allocate(w, h);
    new LinearInterpolation().reconstruct(sparse, linear);
    new NearestValidFill().reconstruct(sparse, nearest);
    LinearInterpolation blended = LinearInterpolation.blendedWithNearest(0.25);
    assertThat(blended.name()).isEqualTo(LinearInterpolation.BLEND_NAME).isEqualTo("linear-nearest-blend");
    assertThat(blended.nearestWeight()).isEqualTo(0.25);
    assertThat(new LinearInterpolation().name()).isEqualTo("linear");
    assertThat(new LinearInterpolation().nearestWeight()).isZero();
    for (int round = 0; round < 2; round++) { // the second frame reuses the kept nearest-fill buffer
      blended.reconstruct(sparse, blend);
      int differing = 0;
      for (int i = 0; i < sparse.size(); i++) {
        float expected = 0.25f * nearest.data()[i] + 0.75f * linear.data()[i];
        assertThat(blend.data()[i]).as("pixel %d", i).isCloseTo(expected, within(1e-5f));
        if (linear.data()[i] == nearest.data()[i]) {
          assertThat(blend.data()[i]).as("where both agree, exactly that (pixel %d)", i).isEqualTo(linear.data()[i]);
        } else {
          differing++;
        }
        if (sparse.data()[i] > 0f) {
          assertThat(blend.data()[i]).as("sample %d", i).isCloseTo(sparse.data()[i], within(1e-5f));
        }
      }
      assertThat(differing).as("the two methods disagree somewhere, so the blend is tested").isGreaterThan(w * h / 4);
    }
  }

  @Test
  void theBlendRefusesAWeightOutsideTheOpenUnitInterval() {
    for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> LinearInterpolation.blendedWithNearest(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearestWeight");
    }
  }

  @Test
  void aTriangleFillsExactlyThePixelsAndDepthsOfABarycentricTestOverItsBoundingBox() {
    Random random = new Random(11);
    int w = 40;
    int h = 30;
    for (int trial = 0; trial < 2000; trial++) {
      // Corners up to 10 px outside the map, and small ones: thin, flat and one-pixel-high triangles come up often.
      int span = trial % 2 == 0 ? 8 : 60;
      double[] corners = new double[9];
      int x0 = random.nextInt(w + 20) - 10;
      int y0 = random.nextInt(h + 20) - 10;
      for (int c = 0; c < 3; c++) {
        corners[3 * c] = x0 + random.nextInt(span) - span / 2;
        corners[3 * c + 1] = y0 + random.nextInt(span) - span / 2;
        corners[3 * c + 2] = 0.5 + 9 * random.nextDouble();
      }
      float[] spans = new float[w * h];
      float[] box = new float[w * h];
      LinearInterpolation.fillTriangle(corners, w, h, spans);
      fillByBoundingBox(corners, w, h, box);
      assertThat(spans).as("trial %d, corners %s", trial, java.util.Arrays.toString(corners)).containsExactly(box);
    }
  }

  @Test
  void aTriangleWithCornersOffThePixelGridIsRefused() {
    double[] corners = {0, 0, 1, 5.5, 0, 1, 0, 5, 1};
    assertThatThrownBy(() -> LinearInterpolation.fillTriangle(corners, 8, 8, new float[64]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pixel positions")
        .hasMessageContaining("5.5");
  }

  /**
   * The reference of {@link #aTriangleFillsExactlyThePixelsAndDepthsOfABarycentricTestOverItsBoundingBox}: every
   * pixel of the bounding box whose barycentric coordinates are all at least {@code -1e-9} gets their blend.
   */
  private static void fillByBoundingBox(double[] t, int w, int h, float[] out) {
    double det = (t[4] - t[7]) * (t[0] - t[6]) + (t[6] - t[3]) * (t[1] - t[7]);
    if (det == 0) {
      return;
    }
    double inv = 1 / det;
    double l1x = (t[4] - t[7]) * inv;
    double l2x = (t[7] - t[1]) * inv;
    int xLo = Math.max(0, (int) Math.ceil(Math.min(t[0], Math.min(t[3], t[6]))));
    int xHi = Math.min(w - 1, (int) Math.floor(Math.max(t[0], Math.max(t[3], t[6]))));
    int yLo = Math.max(0, (int) Math.ceil(Math.min(t[1], Math.min(t[4], t[7]))));
    int yHi = Math.min(h - 1, (int) Math.floor(Math.max(t[1], Math.max(t[4], t[7]))));
    for (int y = yLo; y <= yHi; y++) {
      double l1y = (t[6] - t[3]) * (y - t[7]) * inv;
      double l2y = (t[0] - t[6]) * (y - t[7]) * inv;
      for (int x = xLo; x <= xHi; x++) {
        double l1 = l1x * (x - t[6]) + l1y;
        double l2 = l2x * (x - t[6]) + l2y;
        double l3 = 1 - l1 - l2;
        if (l1 >= -1e-9 && l2 >= -1e-9 && l3 >= -1e-9) {
          out[y * w + x] = (float) (l1 * t[2] + l2 * t[5] + l3 * t[8]);
        }
      }
    }
  }

  /**
   * {@code samples} random samples ({@code seed}) of a near box (1.2 m over x 31-59, y 21-49) on a far wall sloping
   * from 4 m: two depth layers on which linear interpolation, inpainting and nearest-fill disagree.
   */
  static DepthMap boxOnWall(int w, int h, int samples, long seed) {
    DepthMap sparse = DepthMap.allocate(w, h);
    Random random = new Random(seed);
    for (int k = 0; k < samples; k++) {
      int x = random.nextInt(w);
      int y = random.nextInt(h);
      sparse.set(x, y, x > 30 && x < 60 && y > 20 && y < 50 ? 1.2f : 4f + 0.01f * x);
    }
    return sparse;
  }

  private static float plane(int x, int y) {
    return 2f + 0.1f * x + 0.05f * y;
  }
}
