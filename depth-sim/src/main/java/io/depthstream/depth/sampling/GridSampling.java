package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/**
 * Regular grid sampling ({@code grid:step=8}): pixels {@code (ox + i * step, oy + j * step)} whose ground truth
 * is valid, like a low-resolution sensor registered to the image. The offset {@code (ox, oy)} is drawn per call
 * from the seed, uniformly in {@code [0, step)^2}, so training sees every grid phase ({@code offset=random}); a
 * fixed {@code offset=k} uses {@code ox = oy = k}.
 */
public final class GridSampling implements SamplingPattern {
  /** Marks a seeded random offset. */
  public static final int RANDOM_OFFSET = -1;

  private final int step;
  private final int offset;

  /**
   * @param step grid spacing in pixels, {@code >= 1}
   * @param offset fixed offset in {@code [0, step)}, or {@link #RANDOM_OFFSET}
   */
  public GridSampling(int step, int offset) {
    if (step < 1) {
      throw new IllegalArgumentException("grid: step=" + step + " must be >= 1");
    }
    if (offset != RANDOM_OFFSET && (offset < 0 || offset >= step)) {
      throw new IllegalArgumentException("grid: offset=" + offset + " must be in [0, " + step + ") or random");
    }
    this.step = step;
    this.offset = offset;
  }

  @Override
  public void sample(DepthMap dense, DepthMap sparseOut, long seed) {
    SampleChecks.begin("grid", dense, sparseOut);
    int ox = offset;
    int oy = offset;
    if (offset == RANDOM_OFFSET) {
      SplittableRandom rnd = new SplittableRandom(seed);
      ox = rnd.nextInt(step);
      oy = rnd.nextInt(step);
    }
    float[] in = dense.data();
    float[] out = sparseOut.data();
    int w = dense.width();
    for (int y = oy; y < dense.height(); y += step) {
      for (int x = ox; x < w; x += step) {
        out[y * w + x] = in[y * w + x];
      }
    }
  }

  @Override
  public String spec() {
    return "grid:step=" + step + ",offset=" + (offset == RANDOM_OFFSET ? "random" : Integer.toString(offset));
  }
}
