package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/** Deterministic 640x480-style test scenes for the benchmarks, built in code so a run needs no data files. */
final class BenchScenes {
  private BenchScenes() {}

  /**
   * An indoor-like dense scene in metres: a floor receding from 1.5 m to 8 m, a back wall at 8 m and a few
   * boxes in front, so the methods meet depth edges, slopes and flat areas.
   */
  static DepthMap dense(int width, int height) {
    DepthMap d = DepthMap.allocate(width, height);
    int horizon = height / 3;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float v = y <= horizon ? 8f : Math.min(8f, 1.5f + 6.5f * (height - y) / (float) (height - horizon));
        d.set(x, y, v);
      }
    }
    box(d, width / 8, height / 3, width / 4, height / 3, 2.5f);
    box(d, width / 2, height / 4, width / 5, height / 2, 4f);
    box(d, 3 * width / 4, height / 2, width / 6, height / 4, 1.8f);
    return d;
  }

  /**
   * Exactly {@code points} distinct pixels of {@link #dense} drawn uniformly (seeded), the rest 0: the evaluator's
   * {@code --densities} kind of input (30 points, 300 points, 5 % of the pixels).
   */
  static DepthMap uniformPoints(int width, int height, int points, long seed) {
    DepthMap dense = dense(width, height);
    DepthMap sparse = DepthMap.allocate(width, height);
    SplittableRandom random = new SplittableRandom(seed);
    for (int placed = 0; placed < points;) {
      int i = random.nextInt(width * height);
      if (sparse.data()[i] == 0f) {
        sparse.data()[i] = dense.data()[i];
        placed++;
      }
    }
    return sparse;
  }

  /**
   * A Kinect-like map: the dense scene with invalid shadows next to the box edges, a large region with no return
   * (a window) and 3% scattered dropouts.
   */
  static DepthMap kinectWithHoles(int width, int height, long seed) {
    DepthMap d = dense(width, height);
    float[] a = d.data();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 1; x < width; x++) {
        // Shadow: a band of 6 px on the right of every step towards the background (IR projector offset).
        if (a[y * width + x] > a[y * width + x - 1] + 0.5f && a[y * width + x - 1] > 0f) {
          for (int k = 0; k < 6 && x + k < width; k++) {
            a[y * width + x + k] = 0f;
          }
        }
      }
    }
    for (int y = height / 10; y < height / 4; y++) {
      for (int x = width / 3; x < width / 2; x++) {
        a[y * width + x] = 0f;
      }
    }
    for (int i = 0; i < a.length; i++) {
      if (rnd.nextDouble() < 0.03) {
        a[i] = 0f;
      }
    }
    return d;
  }

  private static void box(DepthMap d, int x0, int y0, int w, int h, float depth) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        d.set(x, y, depth);
      }
    }
  }
}
