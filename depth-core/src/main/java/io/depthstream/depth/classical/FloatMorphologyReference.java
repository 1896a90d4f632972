package io.depthstream.depth.classical;

/**
 * The float morphology and filters used by {@link MorphologicalFillReference}, frozen as they were before the
 * int-domain rewrite in {@link FloatMorphology}: kept only as the test oracle and benchmark baseline. Pixels
 * outside the image are ignored by the max filters (OpenCV's default border). Not thread-safe.
 */
final class FloatMorphologyReference {
  private int width = -1;
  private int height = -1;
  /** Scratch for the separable passes, one image. */
  private float[] tmp = new float[0];
  private float[] tmp2 = new float[0];
  private float[] tmp3 = new float[0];
  /** Blur: one row of value sums then one row of weight sums. */
  private float[] blurAcc = new float[0];
  /** van Herk / Gil-Werman prefix (g) and suffix (h) maxima, sized for the largest padded line seen. */
  private float[] lineG = new float[0];
  private float[] lineH = new float[0];
  private float[] lineF = new float[0];
  /** Vertical pass scratch: padded rows of g and h (row vectors, so the inner loop runs along x). */
  private float[] colG = new float[0];
  private float[] colH = new float[0];
  /** Median scratch: one tile of 25 shifted rows. */
  private final float[][] medianRows = new float[25][MEDIAN_TILE];

  private static final int MEDIAN_TILE = 256;
  private static final int[] MEDIAN25 = SelectionNetwork.median(25);

  void ensureSize(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    width = w;
    height = h;
    tmp = new float[w * h];
    tmp2 = new float[w * h];
    tmp3 = new float[w * h];
  }

  /**
   * Square dilation (max filter) with a {@code (2r+1) x (2r+1)} full kernel, separable: a horizontal then a
   * vertical 1-D max filter, each by the van Herk / Gil-Werman algorithm (van Herk, Pattern Recognition Letters
   * 13(7), 1992; Gil and Werman, IEEE PAMI 15(5), 1993): three comparisons per pixel whatever the radius.
   * {@code src} and {@code dst} may be the same array.
   */
  void dilateSquare(float[] src, float[] dst, int r) {
    maxRows(src, tmp, r);
    maxCols(tmp, dst, r);
  }

  /** Square erosion (min filter), as {@code -dilate(-f)} so that one max filter serves both. */
  void erodeSquare(float[] src, float[] dst, int r) {
    int n = width * height;
    for (int i = 0; i < n; i++) {
      dst[i] = -src[i];
    }
    dilateSquare(dst, dst, r);
    for (int i = 0; i < n; i++) {
      dst[i] = -dst[i];
    }
  }

  /**
   * Dilation with the 5x5 diamond (city-block radius 2) kernel of IP-Basic, as two dilations with the 3x3 cross:
   * the Minkowski sum of two crosses is the diamond, and every intermediate pixel of a diamond offset lies
   * inside the image when both ends do, so the decomposition is exact at the borders too. {@code src != dst}.
   */
  void dilateDiamond5(float[] src, float[] dst) {
    dilateCross3(src, tmp);
    dilateCross3(tmp, dst);
  }

  private void dilateCross3(float[] src, float[] dst) {
    int w = width;
    int h = height;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      int up = y > 0 ? row - w : row;
      int down = y < h - 1 ? row + w : row;
      for (int x = 0; x < w; x++) {
        dst[row + x] = Math.max(src[row + x], Math.max(src[up + x], src[down + x]));
      }
      for (int x = 0; x < w - 1; x++) {
        dst[row + x] = Math.max(dst[row + x], src[row + x + 1]);
      }
      for (int x = 1; x < w; x++) {
        dst[row + x] = Math.max(dst[row + x], src[row + x - 1]);
      }
    }
  }

  /** 1-D van Herk / Gil-Werman max filter along each row. */
  private void maxRows(float[] src, float[] dst, int r) {
    int w = width;
    int k = 2 * r + 1;
    // Padded line: r pixels of -inf on each side, rounded up to whole blocks of k.
    int padded = ((w + 2 * r + k - 1) / k) * k;
    if (lineF.length < padded) {
      lineF = new float[padded];
      lineG = new float[padded];
      lineH = new float[padded];
    }
    float[] f = lineF;
    float[] g = lineG;
    float[] hh = lineH;
    java.util.Arrays.fill(f, 0, padded, Float.NEGATIVE_INFINITY);
    for (int y = 0; y < height; y++) {
      System.arraycopy(src, y * w, f, r, w);
      // g: running max from the start of each block; h: running max to the end of each block.
      for (int b = 0; b < padded; b += k) {
        float m = f[b];
        g[b] = m;
        for (int i = b + 1; i < b + k; i++) {
          m = Math.max(m, f[i]);
          g[i] = m;
        }
        m = f[b + k - 1];
        hh[b + k - 1] = m;
        for (int i = b + k - 2; i >= b; i--) {
          m = Math.max(m, f[i]);
          hh[i] = m;
        }
      }
      // Window of output x is padded [x, x + k - 1]: it spans at most two blocks, max = max(h[x], g[x+k-1]).
      int row = y * w;
      for (int x = 0; x < w; x++) {
        dst[row + x] = Math.max(hh[x], g[x + k - 1]);
      }
    }
  }

  /** The same filter along each column, run on whole rows at once so the inner loop is along x. */
  private void maxCols(float[] src, float[] dst, int r) {
    int w = width;
    int h = height;
    int k = 2 * r + 1;
    int padded = ((h + 2 * r + k - 1) / k) * k;
    if (colG.length < padded * w) {
      colG = new float[padded * w];
      colH = new float[padded * w];
    }
    float[] g = colG;
    float[] hh = colH;
    for (int b = 0; b < padded; b += k) {
      // Forward: g row i = max(g row i-1, f row i), f row p = src row p - r or -inf outside the image.
      for (int i = b; i < b + k; i++) {
        int y = i - r;
        int gi = i * w;
        if (y < 0 || y >= h) {
          if (i == b) {
            java.util.Arrays.fill(g, gi, gi + w, Float.NEGATIVE_INFINITY);
          } else {
            System.arraycopy(g, gi - w, g, gi, w);
          }
        } else if (i == b) {
          System.arraycopy(src, y * w, g, gi, w);
        } else {
          int s = y * w;
          int gp = gi - w;
          for (int x = 0; x < w; x++) {
            g[gi + x] = Math.max(g[gp + x], src[s + x]);
          }
        }
      }
      for (int i = b + k - 1; i >= b; i--) {
        int y = i - r;
        int hi = i * w;
        if (y < 0 || y >= h) {
          if (i == b + k - 1) {
            java.util.Arrays.fill(hh, hi, hi + w, Float.NEGATIVE_INFINITY);
          } else {
            System.arraycopy(hh, hi + w, hh, hi, w);
          }
        } else if (i == b + k - 1) {
          System.arraycopy(src, y * w, hh, hi, w);
        } else {
          int s = y * w;
          int hn = hi + w;
          for (int x = 0; x < w; x++) {
            hh[hi + x] = Math.max(hh[hn + x], src[s + x]);
          }
        }
      }
    }
    for (int y = 0; y < h; y++) {
      int hi = y * w;
      int gi = (y + k - 1) * w;
      int d = y * w;
      for (int x = 0; x < w; x++) {
        dst[d + x] = Math.max(hh[hi + x], g[gi + x]);
      }
    }
  }

  /**
   * 5x5 median with replicated borders (OpenCV {@code medianBlur} convention). Each output row is built from 25
   * shifted copies of the input rows, tile by tile so the working set stays in L1, and reduced by a
   * median-selection network ({@link SelectionNetwork}) whose compare-exchanges run along x.
   * {@code src != dst}.
   */
  void median5(float[] src, float[] dst) {
    int w = width;
    int h = height;
    float[][] rows = medianRows;
    int[] net = MEDIAN25;
    int out = net[net.length - 1];
    for (int y = 0; y < h; y++) {
      for (int x0 = 0; x0 < w; x0 += MEDIAN_TILE) {
        int n = Math.min(MEDIAN_TILE, w - x0);
        int k = 0;
        for (int dy = -2; dy <= 2; dy++) {
          int sy = Math.min(h - 1, Math.max(0, y + dy)) * w;
          for (int dx = -2; dx <= 2; dx++, k++) {
            float[] row = rows[k];
            // Interior run copied in bulk; only the (at most 2) clamped border pixels are done one by one.
            int lo = Math.max(0, -(x0 + dx));
            int hi = Math.min(n, w - x0 - dx);
            for (int i = 0; i < lo; i++) {
              row[i] = src[sy];
            }
            if (hi > lo) {
              System.arraycopy(src, sy + x0 + dx + lo, row, lo, hi - lo);
            }
            for (int i = Math.max(hi, lo); i < n; i++) {
              row[i] = src[sy + w - 1];
            }
          }
        }
        for (int c = 0; c + 2 < net.length; c += 3) {
          float[] a = rows[net[c]];
          float[] b = rows[net[c + 1]];
          switch (net[c + 2]) {
            case SelectionNetwork.BOTH:
              for (int i = 0; i < n; i++) {
                float p = a[i];
                float q = b[i];
                a[i] = Math.min(p, q);
                b[i] = Math.max(p, q);
              }
              break;
            case SelectionNetwork.MIN_ONLY:
              for (int i = 0; i < n; i++) {
                a[i] = Math.min(a[i], b[i]);
              }
              break;
            default:
              for (int i = 0; i < n; i++) {
                b[i] = Math.max(a[i], b[i]);
              }
              break;
          }
        }
        System.arraycopy(rows[out], 0, dst, y * w + x0, n);
      }
    }
  }

  /**
   * 5x5 binomial blur ([1 4 6 4 1]/16 per axis, OpenCV's {@code GaussianBlur} kernel for ksize 5, sigma 0),
   * normalised over valid ({@code > 0}) pixels only, and written only where {@code src} is valid: empty pixels
   * neither receive a value nor pull their neighbours towards zero (normalised convolution, Knutsson and Westin,
   * CVPR 1993). {@code src != dst}.
   */
  void blurValid5(float[] src, float[] dst) {
    int w = width;
    int h = height;
    int n = w * h;
    float[] mask = tmp3;
    float[] sum = tmp;
    float[] wsum = tmp2;
    for (int i = 0; i < n; i++) {
      mask[i] = src[i] > 0f ? 1f : 0f;
    }
    // Horizontal pass into sum (src is 0 where invalid, so src is already value * mask) and wsum (mask).
    // The interior loop has fixed taps so the JIT can vectorise it; the 2-pixel borders use clamped taps.
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int i = row + 2; i < row + w - 2; i++) {
        sum[i] = K0 * (src[i - 2] + src[i + 2]) + K1 * (src[i - 1] + src[i + 1]) + K2 * src[i];
        wsum[i] = K0 * (mask[i - 2] + mask[i + 2]) + K1 * (mask[i - 1] + mask[i + 1]) + K2 * mask[i];
      }
      for (int x = 0; x < w; x++) {
        if (x == 2 && w > 4) {
          x = w - 3;
          continue;
        }
        float s = 0f;
        float m = 0f;
        for (int dx = -2; dx <= 2; dx++) {
          int xx = x + dx;
          if (xx >= 0 && xx < w) {
            s += BINOMIAL5[dx + 2] * src[row + xx];
            m += BINOMIAL5[dx + 2] * mask[row + xx];
          }
        }
        sum[row + x] = s;
        wsum[row + x] = m;
      }
    }
    // Vertical pass on row vectors, then the division. Rows outside the image contribute nothing.
    if (blurAcc.length < 2 * w) {
      blurAcc = new float[2 * w];
    }
    float[] acc = blurAcc;
    for (int y = 0; y < h; y++) {
      java.util.Arrays.fill(acc, 0, 2 * w, 0f);
      for (int dy = -2; dy <= 2; dy++) {
        int yy = y + dy;
        if (yy < 0 || yy >= h) {
          continue;
        }
        float c = BINOMIAL5[dy + 2];
        int r = yy * w;
        for (int x = 0; x < w; x++) {
          acc[x] += c * sum[r + x];
          acc[w + x] += c * wsum[r + x];
        }
      }
      int row = y * w;
      for (int x = 0; x < w; x++) {
        // The weight is >= (6/16)^2 > 0 wherever the centre pixel is valid.
        dst[row + x] = src[row + x] > 0f ? acc[x] / acc[w + x] : 0f;
      }
    }
  }

  private static final float K0 = 1f / 16f;
  private static final float K1 = 4f / 16f;
  private static final float K2 = 6f / 16f;

  private static final float[] BINOMIAL5 = {1f / 16f, 4f / 16f, 6f / 16f, 4f / 16f, 1f / 16f};
}
