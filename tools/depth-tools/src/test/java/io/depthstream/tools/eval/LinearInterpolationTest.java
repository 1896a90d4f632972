package io.depthstream.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import org.junit.jupiter.api.Test;

class LinearInterpolationTest {
  @Test
  void reproducesAPlaneExactlyInsideTheHull() {
    // Samples of the plane z = 2 + 0.1 x + 0.05 y at the four corners and the centre of a 9x9 image: linear
    // interpolation over any triangulation reproduces a plane exactly.
    DepthMap sparse = DepthMap.allocate(9, 9);
    int[][] points = {{0, 0}, {8, 0}, {0, 8}, {8, 8}, {4, 4}};
    for (int[] p : points) {
      sparse.set(p[0], p[1], plane(p[0], p[1]));
    }
    DepthMap out = DepthMap.allocate(9, 9);
    new LinearInterpolation().reconstruct(sparse, out);
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 9; x++) {
        assertThat(out.get(x, y)).as("(%d,%d)", x, y).isCloseTo(plane(x, y), within(1e-4f));
      }
    }
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
    // (2,1) is on the edge from (2,0) to (2,2): halfway between depths 1 and 3.
    assertThat(out.get(2, 1)).isCloseTo(2f, within(1e-5f));
  }

  private static float plane(int x, int y) {
    return 2f + 0.1f * x + 0.05f * y;
  }
}
