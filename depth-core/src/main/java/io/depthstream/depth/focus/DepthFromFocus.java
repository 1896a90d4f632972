package io.depthstream.depth.focus;

import io.depthstream.depth.DepthMap;
import java.util.Arrays;

/**
 * Classical depth from focus ({@code depth-from-focus}): a focus measure per image, the sharpest image per pixel,
 * and Gaussian interpolation of the focus curve between the stack's focus distances. The Java twin of the
 * trainer's baseline {@code trainer/depthstream_trainer/depth_from_focus.py} (same formulas, same conventions;
 * {@code DepthFromFocusTest} checks it against that code's output).
 *
 * <p><b>Focus measure</b>: sum-modified-Laplacian (SML) of the luma, Nayar &amp; Nakagawa, "Shape from Focus",
 * IEEE PAMI 16(8), 1994, eqs. (8)-(9); operator LAP2 in Pertuz, Puig &amp; Garcia, "Analysis of focus measure
 * operators for shape-from-focus", Pattern Recognition 46(5), 2013:
 *
 * <pre>
 *   ML(x, y)  = |2 I(x, y) - I(x - 1, y) - I(x + 1, y)| + |2 I(x, y) - I(x, y - 1) - I(x, y + 1)|
 *   SML(x, y) = sum of ML over the window x window box around (x, y)
 * </pre>
 *
 * with {@code I = 0.299 R + 0.587 G + 0.114 B} (Rec. 601 luma), replicated borders for both the Laplacian and
 * the box, and no threshold on ML (Nayar &amp; Nakagawa's T1 = 0).
 *
 * <p><b>Depth</b>: per pixel {@code i* = argmax_i SML_i} (ties: the nearer image); if {@code i*} has a neighbour on
 * both sides, a parabola is fitted through {@code (f_i, ln SML_i)} for {@code i = i*-1, i*, i*+1} (a Gaussian
 * focus curve, Nayar &amp; Nakagawa 1994 section 5; Pertuz et al. 2013 section 2.2) and its vertex, clamped to
 * {@code [f_{i*-1}, f_{i*+1}]}, is the depth; otherwise (first or last image, flat curve) the depth is
 * {@code f_{i*}}.
 *
 * <p><b>Limits</b>: depth outside {@code [f_1, f_T]} cannot be returned; {@code T = 1} carries no depth
 * information and gives its focus distance everywhere; {@code T = 2} gives one of the two distances.
 * Textureless pixels (SML 0 in every image) get the first (nearest) image's focus distance: every output pixel is
 * a depth &gt; 0, none is marked invalid.
 *
 * <p>Cost O(T H W) whatever the window (running box sums). The stack is processed one image at a time, keeping
 * per pixel only the best index and the three SML values around it. Not thread-safe; scratch buffers are
 * allocated once per image size and reused.
 */
public final class DepthFromFocus implements FocalStackEstimator {
  /** The method name ({@code depthstream.method.focal=depth-from-focus}). */
  public static final String NAME = "depth-from-focus";

  /** The default SML window in pixels, as in the trainer's baseline. */
  public static final int DEFAULT_WINDOW = 9;

  /** Rec. 601 luma weights. */
  private static final float LUMA_R = 0.299f;

  private static final float LUMA_G = 0.587f;
  private static final float LUMA_B = 0.114f;

  /** Added before the logarithm so a zero SML gives a finite (very low) value, as in the Python baseline. */
  private static final double LOG_EPSILON = 1e-12;

  private final int window;

  private int width = -1;
  private int height = -1;
  private float[] luma = new float[0];
  private float[] laplacian = new float[0];
  /** Horizontal box sums of the modified Laplacian. */
  private float[] rowSums = new float[0];
  private double[] columnSums = new double[0];
  /** SML of the current and of the previous image. */
  private float[] sml = new float[0];
  private float[] previousSml = new float[0];
  /** Per pixel: index of the sharpest image so far and the SML before, at and after it. */
  private int[] best = new int[0];
  private float[] before = new float[0];
  private float[] atBest = new float[0];
  private float[] after = new float[0];

  /** Depth from focus with the default 9 x 9 window. */
  public DepthFromFocus() {
    this(DEFAULT_WINDOW);
  }

  /**
   * @param window side of the SML box in pixels, odd and &gt;= 1
   * @throws IllegalArgumentException if the window is not a positive odd number
   */
  public DepthFromFocus(int window) {
    if (window < 1 || window % 2 == 0) {
      throw new IllegalArgumentException(NAME + ": window must be a positive odd number of pixels, got " + window);
    }
    this.window = window;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Always {@code ""}: a classical method has no model version. */
  @Override
  public String version() {
    return "";
  }

  /** {@inheritDoc} Every output pixel gets a depth in {@code [focusMetres[0], focusMetres[t - 1]]}. */
  @Override
  public void estimate(float[] stackRgb, float[] focusMetres, int t, int h, int w, DepthMap out) {
    FocalStackEstimator.checkArguments(NAME, stackRgb, focusMetres, t, h, w, out);
    float[] depth = out.data();
    if (t == 1) {
      Arrays.fill(depth, focusMetres[0]);
      return;
    }
    ensureBuffers(w, h);
    int plane = w * h;
    for (int k = 0; k < t; k++) {
      float[] swap = previousSml;
      previousSml = sml;
      sml = swap;
      lumaOf(stackRgb, k * 3 * plane, plane);
      modifiedLaplacian(w, h);
      boxSum(w, h);
      track(k, plane);
    }
    for (int p = 0; p < plane; p++) {
      int b = best[p];
      depth[p] = b == 0 || b == t - 1
          ? focusMetres[b]
          : peakOfThree(focusMetres[b - 1], focusMetres[b], focusMetres[b + 1], before[p], atBest[p], after[p]);
    }
  }

  private void lumaOf(float[] stackRgb, int base, int plane) {
    for (int i = 0, r = base, g = base + plane, b = base + 2 * plane; i < plane; i++) {
      luma[i] = LUMA_R * stackRgb[r + i] + LUMA_G * stackRgb[g + i] + LUMA_B * stackRgb[b + i];
    }
  }

  /** ML with step 1 and replicated borders (Nayar &amp; Nakagawa 1994, eq. 8). */
  private void modifiedLaplacian(int w, int h) {
    float[] in = luma;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      int up = (y == 0 ? 0 : y - 1) * w;
      int down = (y == h - 1 ? y : y + 1) * w;
      for (int x = 0; x < w; x++) {
        int i = row + x;
        float c2 = 2f * in[i];
        float left = in[x == 0 ? i : i - 1];
        float right = in[x == w - 1 ? i : i + 1];
        laplacian[i] = Math.abs(c2 - left - right) + Math.abs(c2 - in[up + x] - in[down + x]);
      }
    }
  }

  /**
   * SML = the window x window box sum of ML with replicated borders (eq. 9), separable: running sums along rows,
   * then down columns. The running sums are kept in double so that adding and removing the same values leaves no
   * residue (a window of zeros sums to exactly 0, which the log of a textureless pixel depends on).
   */
  private void boxSum(int w, int h) {
    int r = window / 2;
    float[] ml = laplacian;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      double sum = 0;
      for (int j = -r; j <= r; j++) {
        sum += ml[row + clamp(j, w)];
      }
      rowSums[row] = (float) sum;
      for (int x = 1; x < w; x++) {
        sum += ml[row + clamp(x + r, w)] - (double) ml[row + clamp(x - 1 - r, w)];
        rowSums[row + x] = (float) sum;
      }
    }
    double[] col = columnSums;
    Arrays.fill(col, 0.0);
    for (int j = -r; j <= r; j++) {
      int row = clamp(j, h) * w;
      for (int x = 0; x < w; x++) {
        col[x] += rowSums[row + x];
      }
    }
    for (int x = 0; x < w; x++) {
      sml[x] = (float) Math.max(0.0, col[x]);
    }
    for (int y = 1; y < h; y++) {
      int add = clamp(y + r, h) * w;
      int remove = clamp(y - 1 - r, h) * w;
      int row = y * w;
      for (int x = 0; x < w; x++) {
        col[x] += rowSums[add + x] - (double) rowSums[remove + x];
        // Sums of non-negative terms; max guards against round-off below 0.
        sml[row + x] = (float) Math.max(0.0, col[x]);
      }
    }
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : i >= n ? n - 1 : i;
  }

  /** Folds image k's SML into the per-pixel argmax and the SML values on either side of it. */
  private void track(int k, int plane) {
    float[] s = sml;
    if (k == 0) {
      Arrays.fill(best, 0, plane, 0);
      System.arraycopy(s, 0, atBest, 0, plane);
      return;
    }
    float[] prev = previousSml;
    for (int p = 0; p < plane; p++) {
      float v = s[p];
      if (best[p] == k - 1) {
        after[p] = v;
      }
      if (v > atBest[p]) { // strictly greater: ties keep the nearer image, as argmax does
        best[p] = k;
        before[p] = prev[p];
        atBest[p] = v;
      }
    }
  }

  /**
   * The depth at the peak of the Gaussian through the focus values {@code s1, s2, s3} at {@code f1 <= f2 <= f3}:
   * the vertex of the parabola through {@code (f_i, y_i)}, {@code y_i = ln(s_i + 1e-12)}, for any spacing
   *
   * <pre>
   *   f* = f2 - 1/2 [(f2 - f1)^2 (y2 - y3) - (f2 - f3)^2 (y2 - y1)] / [(f2 - f1)(y2 - y3) - (f2 - f3)(y2 - y1)]
   * </pre>
   *
   * (uniform spacing d: {@code f2 + d/2 (y1 - y3) / (y1 - 2 y2 + y3)}); {@code f2} where the points are collinear;
   * clamped to {@code [f1, f3]} against round-off (with {@code y2} the largest the vertex lies there already).
   */
  static float peakOfThree(float f1, float f2, float f3, float s1, float s2, float s3) {
    // Only the differences of the logs enter: two logs of ratios instead of three logs (the per-pixel cost).
    double e2 = s2 + LOG_EPSILON;
    double d23 = Math.log(e2 / (s3 + LOG_EPSILON)); // y2 - y3
    double d21 = Math.log(e2 / (s1 + LOG_EPSILON)); // y2 - y1
    double a = (double) f2 - f1;
    double b = (double) f2 - f3;
    double num = a * a * d23 - b * b * d21;
    double den = a * d23 - b * d21;
    if (!(Math.abs(den) > 1e-12)) {
      return f2;
    }
    double peak = f2 - 0.5 * num / den;
    return (float) Math.min(Math.max(peak, f1), f3);
  }

  private void ensureBuffers(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    int plane = w * h;
    luma = new float[plane];
    laplacian = new float[plane];
    rowSums = new float[plane];
    columnSums = new double[w];
    sml = new float[plane];
    previousSml = new float[plane];
    best = new int[plane];
    before = new float[plane];
    atBest = new float[plane];
    after = new float[plane];
    width = w;
    height = h;
  }

  /** Drops the scratch buffers (a later call reallocates them); safe to call twice. */
  @Override
  public void close() {
    width = -1;
    height = -1;
    luma = new float[0];
    laplacian = new float[0];
    rowSums = new float[0];
    columnSums = new double[0];
    sml = new float[0];
    previousSml = new float[0];
    best = new int[0];
    before = new float[0];
    atBest = new float[0];
    after = new float[0];
  }
}
