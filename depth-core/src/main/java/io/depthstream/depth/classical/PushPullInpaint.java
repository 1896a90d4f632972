package io.depthstream.depth.classical;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;

/**
 * Hole inpainting for Kinect-style maps ({@code inpaint}): multi-scale push-pull interpolation (Gortler,
 * Grzeszczuk, Szeliski and Cohen, "The Lumigraph", SIGGRAPH 1996, section 3.4). Measured pixels are copied
 * unchanged; every hole pixel gets a smooth value blended from coarser and coarser averages of the measurements
 * around it.
 *
 * <p><b>Why push-pull and not Telea fast marching:</b> Kinect holes range from single pixels to large regions
 * (shadows, glass, out of range). Push-pull costs O(N) (a pyramid of 4/3 N cells, two passes, no priority queue)
 * whatever the hole sizes, needs no boundary ordering, and fills any hole, however large, with a smooth surface;
 * Telea's method (J. Graphics Tools 9(1), 2004) costs O(N log N) with a heap over the hole boundary and weighs
 * only a small neighbourhood, so large holes get streaks. Push-pull blurs across depth edges inside a hole;
 * for edge-aware filling use {@code morphological}, which prefers the nearer surface.
 *
 * <ul>
 *   <li><b>Pull</b> (fine to coarse): a coarse cell averages its 2x2 children weighted by their confidence
 *       {@code w}, {@code d = sum(w_i d_i) / sum(w_i)}, and its confidence is {@code min(1, sum w_i)}; level 0
 *       has {@code w = 1} at measured pixels and 0 elsewhere.
 *   <li><b>Push</b> (coarse to fine): each cell becomes {@code w d + (1 - w) up(d_coarse)}, where {@code up} is
 *       bilinear interpolation of the coarser level, so holes are filled smoothly and confident cells are kept.
 * </ul>
 *
 * <p>An image with no valid pixel gives an all-zero (invalid) output. Not thread-safe; the pyramid is allocated
 * once per frame size and reused.
 */
public final class PushPullInpaint implements DepthReconstructor {
  /** The registry name. */
  public static final String NAME = "inpaint";

  private int width = -1;
  private int height = -1;
  /** Per level: width, height, depth (metres) and confidence in [0, 1]. Level 0 is the full image. */
  private int[] levelW = new int[0];
  private int[] levelH = new int[0];
  private float[][] depth = new float[0][];
  private float[][] weight = new float[0][];
  /** Per level but the coarsest, per column: {@link #push}'s coarse columns and weight ({@link #columnTaps}). */
  private int[][] tapLeft = new int[0][];
  private int[][] tapRight = new int[0][];
  private float[][] tapFraction = new float[0][];

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    int valid = DepthChecks.requireValidPair(NAME, input, output);
    float[] in = input.data();
    float[] out = output.data();
    if (valid == 0 || valid == in.length) {
      // Nothing to propagate, or nothing to fill.
      System.arraycopy(in, 0, out, 0, in.length);
      return;
    }
    ensurePyramid(input.width(), input.height());
    float[] d0 = depth[0];
    float[] w0 = weight[0];
    for (int i = 0; i < in.length; i++) {
      float d = in[i];
      d0[i] = d;
      w0[i] = d > 0f ? 1f : 0f;
    }
    int levels = depth.length;
    for (int l = 1; l < levels; l++) {
      pull(l);
    }
    for (int l = levels - 2; l >= 0; l--) {
      push(l);
    }
    // Measured pixels unchanged (their weight was 1, but copy to be exact against rounding).
    for (int i = 0; i < in.length; i++) {
      float d = in[i];
      out[i] = d > 0f ? d : d0[i];
    }
  }

  private void pull(int l) {
    int fw = levelW[l - 1];
    int fh = levelH[l - 1];
    int cw = levelW[l];
    int ch = levelH[l];
    float[] fd = depth[l - 1];
    float[] fwt = weight[l - 1];
    float[] cd = depth[l];
    float[] cwt = weight[l];
    for (int cy = 0; cy < ch; cy++) {
      int y0 = 2 * cy;
      int y1 = Math.min(y0 + 1, fh - 1);
      for (int cx = 0; cx < cw; cx++) {
        int x0 = 2 * cx;
        int x1 = Math.min(x0 + 1, fw - 1);
        // Odd sizes: the last coarse cell repeats the edge child, which only reweights, never invents data.
        int i00 = y0 * fw + x0;
        int i01 = y0 * fw + x1;
        int i10 = y1 * fw + x0;
        int i11 = y1 * fw + x1;
        float ws = fwt[i00] + fwt[i01] + fwt[i10] + fwt[i11];
        int c = cy * cw + cx;
        if (ws > 0f) {
          cd[c] = (fwt[i00] * fd[i00] + fwt[i01] * fd[i01] + fwt[i10] * fd[i10] + fwt[i11] * fd[i11]) / ws;
          cwt[c] = Math.min(1f, ws);
        } else {
          cd[c] = 0f;
          cwt[c] = 0f;
        }
      }
    }
  }

  /**
   * Blends level {@code l} with the bilinear upsampling of level {@code l + 1}. Fine pixel centre x maps to
   * coarse coordinate {@code (x + 0.5) / 2 - 0.5}, clamped at the borders; the columns' coarse neighbours and
   * weights are the same in every row and come from {@link #columnTaps}.
   */
  private void push(int l) {
    int fw = levelW[l];
    int fh = levelH[l];
    int cw = levelW[l + 1];
    int ch = levelH[l + 1];
    float[] fd = depth[l];
    float[] fwt = weight[l];
    float[] cd = depth[l + 1];
    int[] left = tapLeft[l];
    int[] right = tapRight[l];
    float[] frac = tapFraction[l];
    for (int y = 0; y < fh; y++) {
      float cyf = coarseCoordinate(y, ch);
      int cy0 = (int) cyf;
      int top0 = cy0 * cw;
      int bottom0 = Math.min(cy0 + 1, ch - 1) * cw;
      float ty = cyf - cy0;
      for (int x = 0, i = y * fw; x < fw; x++, i++) {
        float wt = fwt[i];
        if (wt >= 1f) {
          continue;
        }
        int cx0 = left[x];
        int cx1 = right[x];
        float tx = frac[x];
        float top = cd[top0 + cx0] + tx * (cd[top0 + cx1] - cd[top0 + cx0]);
        float bottom = cd[bottom0 + cx0] + tx * (cd[bottom0 + cx1] - cd[bottom0 + cx0]);
        float up = top + ty * (bottom - top);
        fd[i] = wt * fd[i] + (1f - wt) * up;
        fwt[i] = 1f;
      }
    }
  }

  /** Fine pixel {@code i}'s coordinate on a coarse axis of {@code coarse} cells, clamped to it. */
  private static float coarseCoordinate(int i, int coarse) {
    return Math.max(0f, Math.min(coarse - 1f, (i + 0.5f) * 0.5f - 0.5f));
  }

  /** Per column of level {@code l}: the coarse columns either side and the weight of the right one. */
  private void columnTaps(int l) {
    int fw = levelW[l];
    int cw = levelW[l + 1];
    tapLeft[l] = new int[fw];
    tapRight[l] = new int[fw];
    tapFraction[l] = new float[fw];
    for (int x = 0; x < fw; x++) {
      float cxf = coarseCoordinate(x, cw);
      int cx0 = (int) cxf;
      tapLeft[l][x] = cx0;
      tapRight[l][x] = Math.min(cx0 + 1, cw - 1);
      tapFraction[l][x] = cxf - cx0;
    }
  }

  private void ensurePyramid(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    width = w;
    height = h;
    int levels = 1;
    for (int lw = w, lh = h; lw > 1 || lh > 1; lw = (lw + 1) / 2, lh = (lh + 1) / 2) {
      levels++;
    }
    levelW = new int[levels];
    levelH = new int[levels];
    depth = new float[levels][];
    weight = new float[levels][];
    int lw = w;
    int lh = h;
    for (int l = 0; l < levels; l++) {
      levelW[l] = lw;
      levelH[l] = lh;
      depth[l] = new float[lw * lh];
      weight[l] = new float[lw * lh];
      lw = (lw + 1) / 2;
      lh = (lh + 1) / 2;
    }
    tapLeft = new int[levels - 1][];
    tapRight = new int[levels - 1][];
    tapFraction = new float[levels - 1][];
    for (int l = 0; l < levels - 1; l++) {
      columnTaps(l);
    }
  }
}
