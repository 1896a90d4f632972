package io.depthstream.depth.resample;

import io.depthstream.depth.DepthMap;

/**
 * Downscales sparse or holey depth without ever mixing a measurement with a hole: each output cell reduces only
 * the valid ({@code > 0}) input pixels it covers, and remembers how many there were.
 *
 * <p>Cell {@code (cx, cy)} covers input columns {@code [floor(cx * inW / outW), floor((cx + 1) * inW / outW))} and
 * the same for rows, so for an integer factor {@code f} it is the {@code f x f} block starting at
 * {@code (f cx, f cy)}, and the cells tile the input exactly for any target size. A cell with no valid input is
 * {@code 0f} (invalid) with count 0.
 *
 * <ul>
 *   <li>{@link Reduction#MEAN}: average of the valid samples (for dense maps with holes).
 *   <li>{@link Reduction#MIN}: nearest valid sample, which keeps foreground edges (for LiDAR-like input, where a
 *       mean would invent a depth between a pole and the wall behind it).
 * </ul>
 *
 * <p>The count array ({@link #counts()}) and the confidence array ({@link #confidence()}, count divided by cell
 * area) are reused across calls and valid until the next call. Not thread-safe.
 */
public final class SparseDownsampler {
  /** How the valid samples of a cell are combined. */
  public enum Reduction {
    MEAN,
    MIN
  }

  private final Reduction reduction;
  private int[] counts = new int[0];
  private float[] confidence = new float[0];
  private int[] colStart = new int[0];
  private int[] rowStart = new int[0];
  private int lastOutSize;

  public SparseDownsampler(Reduction reduction) {
    this.reduction = reduction;
  }

  /**
   * Downscales {@code src} into {@code dst} (whose size is the target).
   *
   * @throws IllegalArgumentException if the target is larger than the source in either axis, or the source holds
   *     a negative, infinite or NaN value
   */
  public void downscale(DepthMap src, DepthMap dst) {
    run(src, dst, 0);
  }

  /** {@code factor == 0}: proportional cell bounds; else exact {@code factor x factor} blocks from the origin. */
  private void run(DepthMap src, DepthMap dst, int factor) {
    int inW = src.width();
    int inH = src.height();
    int outW = dst.width();
    int outH = dst.height();
    if (outW > inW || outH > inH) {
      throw new IllegalArgumentException("sparse downscale: target " + outW + "x" + outH + " is larger than source "
          + inW + "x" + inH);
    }
    int n = outW * outH;
    if (counts.length < n) {
      counts = new int[n];
      confidence = new float[n];
    }
    lastOutSize = n;
    if (colStart.length < outW + 1) {
      colStart = new int[outW + 1];
    }
    if (rowStart.length < outH + 1) {
      rowStart = new int[outH + 1];
    }
    for (int c = 0; c <= outW; c++) {
      colStart[c] = factor > 0 ? c * factor : (int) ((long) c * inW / outW);
    }
    for (int r = 0; r <= outH; r++) {
      rowStart[r] = factor > 0 ? r * factor : (int) ((long) r * inH / outH);
    }
    float[] s = src.data();
    float[] d = dst.data();
    boolean min = reduction == Reduction.MIN;
    for (int cy = 0; cy < outH; cy++) {
      int y0 = rowStart[cy];
      int y1 = rowStart[cy + 1];
      for (int cx = 0; cx < outW; cx++) {
        int x0 = colStart[cx];
        int x1 = colStart[cx + 1];
        double sum = 0;
        float best = Float.MAX_VALUE;
        int count = 0;
        for (int y = y0; y < y1; y++) {
          int row = y * inW;
          for (int x = x0; x < x1; x++) {
            float v = s[row + x];
            if (v > 0f) {
              if (v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("sparse downscale: infinite depth at (" + x + ", " + y + ")");
              }
              count++;
              sum += v;
              if (v < best) {
                best = v;
              }
            } else if (v != 0f) {
              throw new IllegalArgumentException("sparse downscale: invalid depth " + v + " at (" + x + ", " + y
                  + ")");
            }
          }
        }
        int o = cy * outW + cx;
        counts[o] = count;
        confidence[o] = count / (float) ((y1 - y0) * (x1 - x0));
        d[o] = count == 0 ? 0f : (min ? best : (float) (sum / count));
      }
    }
  }

  /**
   * Downscales by an integer factor: cell {@code (cx, cy)} is exactly the {@code f x f} block at {@code (f cx, f cy)};
   * the output is {@code floor(w / f) x floor(h / f)} (a partial block at the right/bottom edge is dropped).
   */
  public DepthMap downscale(DepthMap src, int factor) {
    if (factor < 1 || factor > src.width() || factor > src.height()) {
      throw new IllegalArgumentException("sparse downscale factor " + factor + " invalid for " + src.width() + "x"
          + src.height());
    }
    DepthMap dst = DepthMap.allocate(src.width() / factor, src.height() / factor);
    run(src, dst, factor);
    return dst;
  }

  /**
   * Integer-factor downscale into a reused {@code dst} of exactly {@code floor(w / f) x floor(h / f)}.
   *
   * @throws IllegalArgumentException if {@code dst} has another size
   */
  public void downscale(DepthMap src, int factor, DepthMap dst) {
    if (factor < 1 || dst.width() != src.width() / factor || dst.height() != src.height() / factor) {
      throw new IllegalArgumentException("sparse downscale by " + factor + " of " + src.width() + "x" + src.height()
          + " needs a " + (factor < 1 ? "?" : src.width() / factor + "x" + src.height() / factor) + " target, got "
          + dst.width() + "x" + dst.height());
    }
    run(src, dst, factor);
  }

  /**
   * Valid-sample count per output cell of the last call (row-major; only the first {@code outW*outH} entries are
   * meaningful; the array is reused by the next call).
   */
  public int[] counts() {
    return counts;
  }

  /** Fraction of each cell's input pixels that were valid, in [0, 1], from the last call (reused array). */
  public float[] confidence() {
    return confidence;
  }

  /** Number of cells written by the last call. */
  public int lastSize() {
    return lastOutSize;
  }
}
