package io.depthstream.depth.classical;

/**
 * Grey-level morphology and small filters for {@link MorphologicalFill}, written for speed on one core.
 *
 * <p><b>Images are float bit patterns in {@code int[]}.</b> Every image here holds {@code Float.floatToRawIntBits}
 * of a finite value {@code >= +0f} ({@code 0} = empty). For such values the IEEE 754 encoding is monotonic: {@code
 * a < b} as floats exactly when their bits compare {@code <} as signed ints. So max/min filters, the median and
 * the empty test ({@code bits == 0}) give bit-identical results on the int patterns, and an int {@code Math.max}
 * compiles to one {@code vpmaxsd} per 8 or 16 pixels, where a float {@code Math.max} needs a blend sequence for
 * Java's NaN and {@code -0.0} rules. Loops run along whole rows with fixed offsets so that C2 vectorises them.
 *
 * <p>Pixels outside the image are ignored by the max/min filters (OpenCV's {@code dilate}/{@code erode} default
 * border); the median replicates the border (OpenCV {@code medianBlur}). Not thread-safe: an instance owns its
 * scratch buffers, allocated once per frame size.
 */
final class FloatMorphology {
  private int width = -1;
  private int height = -1;
  /** One image of scratch for the separable passes. */
  private int[] tmp = new int[0];
  /** Horizontal max filter: the padded row and the doubling buffers. */
  private int[] lineA = new int[0];
  private int[] lineB = new int[0];
  /** Vertical van Herk / Gil-Werman pass: padded images of the prefix (g) and suffix (h) maxima. */
  private int[] colG = new int[0];
  private int[] colH = new int[0];
  /** Median: the 5 rank rows of the column-sorted window rows, each padded by 2 pixels per side. */
  private int[][] ranks = new int[5][0];
  /** Blur: 5-row rings of horizontal value sums (float) and integer weight sums. */
  private float[][] blurSum = new float[5][0];
  private int[][] blurWeight = new int[5][0];
  private float[] blurRow = new float[0];
  private int[] blurMask = new int[0];
  private float[] blurNum = new float[0];
  private int[] blurDen = new int[0];

  void ensureSize(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    width = w;
    height = h;
    tmp = new int[w * h];
    for (int k = 0; k < 5; k++) {
      ranks[k] = new int[w + 4];
      blurSum[k] = new float[w];
      blurWeight[k] = new int[w];
    }
    blurRow = new float[w];
    blurMask = new int[w];
    blurNum = new float[w];
    blurDen = new int[w];
  }

  /**
   * Square dilation (max filter) with a {@code (2r+1) x (2r+1)} full kernel, {@code r >= 1}, separable: a
   * horizontal then a vertical 1-D max filter. {@code src} and {@code dst} may be the same array.
   */
  void dilateSquare(int[] src, int[] dst, int r) {
    maxRows(src, tmp, r);
    maxCols(tmp, dst, r);
  }

  /**
   * Square erosion (min filter) with a {@code (2r+1) x (2r+1)} kernel, as {@code -dilate(-f)}: negation is exact
   * and order-reversing on non-negative ints, and {@code Integer.MIN_VALUE} padding stays below every {@code -f}.
   */
  void erodeSquare(int[] src, int[] dst, int r) {
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
  void dilateDiamond5(int[] src, int[] dst) {
    dilateCross3(src, tmp);
    dilateCross3(tmp, dst);
  }

  private void dilateCross3(int[] src, int[] dst) {
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

  /**
   * 1-D max filter of width {@code k = 2r+1} along each row by doubling: with {@code m_s[i]} the max of the
   * padded row over {@code [i, i+s)}, {@code m_2s[i] = max(m_s[i], m_s[i+s])}, and a window of {@code k} is
   * covered by two overlapping windows of the largest power of two {@code P <= k}: {@code max(m_P[x],
   * m_P[x+k-P])}. That is {@code log2(P) + 1} passes of one max each (3 for k = 5 or 7, 5 for k = 31), every one a
   * straight loop that C2 vectorises, where van Herk / Gil-Werman needs 3 serial (unvectorisable) scans.
   */
  private void maxRows(int[] src, int[] dst, int r) {
    int w = width;
    int k = 2 * r + 1;
    int len = w + 2 * r;
    if (lineA.length < len) {
      lineA = new int[len];
      lineB = new int[len];
    }
    int p = Integer.highestOneBit(k);
    for (int y = 0; y < height; y++) {
      int[] cur = lineA;
      int[] nxt = lineB;
      java.util.Arrays.fill(cur, 0, r, Integer.MIN_VALUE);
      System.arraycopy(src, y * w, cur, r, w);
      java.util.Arrays.fill(cur, r + w, len, Integer.MIN_VALUE);
      for (int s = 1; s < p; s <<= 1) {
        int valid = len - 2 * s + 1; // m_2s[i] needs m_s[i + s], defined for i + s <= len - s
        for (int i = 0; i < valid; i++) {
          nxt[i] = Math.max(cur[i], cur[i + s]);
        }
        int[] t = cur;
        cur = nxt;
        nxt = t;
      }
      int row = y * w;
      int off = k - p;
      for (int x = 0; x < w; x++) {
        dst[row + x] = Math.max(cur[x], cur[x + off]);
      }
    }
  }

  /**
   * The same filter along each column, on whole rows at once so the inner loop runs along x. Small kernels take
   * the max of the {@code k} rows directly; large ones use van Herk / Gil-Werman (van Herk, Pattern Recognition
   * Letters 13(7), 1992; Gil and Werman, IEEE PAMI 15(5), 1993), three maxima per pixel whatever the radius.
   */
  private void maxCols(int[] src, int[] dst, int r) {
    int w = width;
    int h = height;
    if (r <= 3) {
      for (int y = 0; y < h; y++) {
        int y0 = Math.max(0, y - r);
        int y1 = Math.min(h - 1, y + r);
        int d = y * w;
        int s0 = y0 * w;
        for (int x = 0; x < w; x++) {
          dst[d + x] = src[s0 + x];
        }
        for (int yy = y0 + 1; yy <= y1; yy++) {
          int s = yy * w;
          for (int x = 0; x < w; x++) {
            dst[d + x] = Math.max(dst[d + x], src[s + x]);
          }
        }
      }
      return;
    }
    int k = 2 * r + 1;
    int padded = ((h + 2 * r + k - 1) / k) * k;
    if (colG.length < padded * w) {
      colG = new int[padded * w];
      colH = new int[padded * w];
    }
    int[] g = colG;
    int[] hh = colH;
    for (int b = 0; b < padded; b += k) {
      // Forward: g row i = max(g row i-1, f row i), f row p = src row p - r or -inf outside the image.
      for (int i = b; i < b + k; i++) {
        int y = i - r;
        int gi = i * w;
        if (y < 0 || y >= h) {
          if (i == b) {
            java.util.Arrays.fill(g, gi, gi + w, Integer.MIN_VALUE);
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
            java.util.Arrays.fill(hh, hi, hi + w, Integer.MIN_VALUE);
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
   * 5x5 median with replicated borders (OpenCV {@code medianBlur} convention), exact. {@code src != dst}.
   *
   * <p>Per output row, each of the {@code w} 5-pixel columns is sorted once (9 compare-exchanges) and shared by
   * the 5 windows that contain it, instead of sorting 25 values per pixel from scratch. With the columns of a
   * window sorted, sorting its rows too leaves the median among 13 candidates: the element at rank {@code i} of
   * its column and {@code j} of its row has at least {@code (i+1)(j+1)-1} smaller and {@code (5-i)(5-j)-1}
   * larger elements, which rules out the 6 smallest and 6 largest positions (the 3x3 "sort columns, then rows"
   * trick, extended). The row sorts and a median-of-13 network ({@link SelectionNetwork#median}) were then
   * pruned offline against all 6^5 column-sorted 0-1 inputs (a comparator whose order is already implied by the
   * sorted columns is dropped or relabelled; one whose outputs the median never reads is dropped): 70
   * compare-exchanges per pixel remain, against 118 for the plain 25-input network. By the 0-1 principle
   * (Knuth, TAOCP vol. 3, 5.3.4, ex. 36), a network that selects the median of every column-sorted 0-1 input
   * does so for every column-sorted input; {@code FloatMorphologyTest} checks it against sorting.
   */
  void median5(int[] src, int[] dst) {
    int w = width;
    int h = height;
    int[] s0 = ranks[0];
    int[] s1 = ranks[1];
    int[] s2 = ranks[2];
    int[] s3 = ranks[3];
    int[] s4 = ranks[4];
    for (int y = 0; y < h; y++) {
      int r0 = Math.max(0, y - 2) * w;
      int r1 = Math.max(0, y - 1) * w;
      int r2 = y * w;
      int r3 = Math.min(h - 1, y + 1) * w;
      int r4 = Math.min(h - 1, y + 2) * w;
      // Sort each column of the 5 window rows: the optimal 9-comparator 5-sorter (Knuth 5.3.4, fig. 49).
      for (int x = 0; x < w; x++) {
        int a = src[r0 + x];
        int b = src[r1 + x];
        int c = src[r2 + x];
        int d = src[r3 + x];
        int e = src[r4 + x];
        int t = Math.min(a, b);
        b = Math.max(a, b);
        a = t;
        t = Math.min(d, e);
        e = Math.max(d, e);
        d = t;
        t = Math.min(c, e);
        e = Math.max(c, e);
        c = t;
        t = Math.min(c, d);
        d = Math.max(c, d);
        c = t;
        t = Math.min(a, d);
        d = Math.max(a, d);
        a = t;
        t = Math.min(a, c);
        c = Math.max(a, c);
        a = t;
        t = Math.min(b, e);
        e = Math.max(b, e);
        b = t;
        t = Math.min(b, d);
        d = Math.max(b, d);
        b = t;
        t = Math.min(b, c);
        c = Math.max(b, c);
        b = t;
        s0[x + 2] = a;
        s1[x + 2] = b;
        s2[x + 2] = c;
        s3[x + 2] = d;
        s4[x + 2] = e;
      }
      // Replicated border: the columns left of x = 0 and right of x = w - 1 are copies of the edge columns.
      for (int[] s : ranks) {
        s[0] = s[2];
        s[1] = s[2];
        s[w + 2] = s[w + 1];
        s[w + 3] = s[w + 1];
      }
      medianOfSortedColumns(s0, s1, s2, s3, s4, dst, y * w, w);
    }
  }

  /**
   * The pruned network of {@link #median5}: wire {@code v(5i+j)} is rank {@code i} of window column {@code j}.
   * Generated code, one straight-line body so C2 can vectorise the loop over x.
   */
  private static void medianOfSortedColumns(
      int[] s0, int[] s1, int[] s2, int[] s3, int[] s4, int[] dst, int row, int w) {
    for (int x = 0; x < w; x++) {
      int t;
        int v0 = s0[x];
        int v1 = s0[x + 1];
        int v2 = s0[x + 2];
        int v3 = s0[x + 3];
        int v4 = s0[x + 4];
        int v5 = s1[x];
        int v6 = s1[x + 1];
        int v7 = s1[x + 2];
        int v8 = s1[x + 3];
        int v9 = s1[x + 4];
        int v10 = s2[x];
        int v11 = s2[x + 1];
        int v12 = s2[x + 2];
        int v13 = s2[x + 3];
        int v14 = s2[x + 4];
        int v15 = s3[x];
        int v16 = s3[x + 1];
        int v17 = s3[x + 2];
        int v18 = s3[x + 3];
        int v19 = s3[x + 4];
        int v20 = s4[x];
        int v21 = s4[x + 1];
        int v22 = s4[x + 2];
        int v23 = s4[x + 3];
        int v24 = s4[x + 4];
        t = Math.min(v0, v1); v1 = Math.max(v0, v1); v0 = t;
        t = Math.min(v3, v4); v4 = Math.max(v3, v4); v3 = t;
        t = Math.min(v2, v4); v4 = Math.max(v2, v4); v2 = t;
        v3 = Math.max(v2, v3);
        v3 = Math.max(v0, v3);
        t = Math.min(v1, v4); v4 = Math.max(v1, v4); v1 = t;
        v3 = Math.max(v1, v3);
        t = Math.min(v5, v6); v6 = Math.max(v5, v6); v5 = t;
        t = Math.min(v8, v9); v9 = Math.max(v8, v9); v8 = t;
        t = Math.min(v7, v9); v9 = Math.max(v7, v9); v7 = t;
        t = Math.min(v7, v8); v8 = Math.max(v7, v8); v7 = t;
        t = Math.min(v5, v8); v8 = Math.max(v5, v8); v5 = t;
        v7 = Math.max(v5, v7);
        t = Math.min(v6, v9); v9 = Math.max(v6, v9); v6 = t;
        t = Math.min(v6, v8); v8 = Math.max(v6, v8); v6 = t;
        v7 = Math.max(v6, v7);
        t = Math.min(v10, v11); v11 = Math.max(v10, v11); v10 = t;
        t = Math.min(v13, v14); v14 = Math.max(v13, v14); v13 = t;
        t = Math.min(v12, v14); v14 = Math.max(v12, v14); v12 = t;
        t = Math.min(v12, v13); v13 = Math.max(v12, v13); v12 = t;
        t = Math.min(v10, v13); v13 = Math.max(v10, v13); v10 = t;
        v12 = Math.max(v10, v12);
        v11 = Math.min(v11, v14);
        t = Math.min(v11, v13); v13 = Math.max(v11, v13); v11 = t;
        t = Math.min(v11, v12); v12 = Math.max(v11, v12); v11 = t;
        t = Math.min(v15, v16); v16 = Math.max(v15, v16); v15 = t;
        t = Math.min(v18, v19); v19 = Math.max(v18, v19); v18 = t;
        t = Math.min(v17, v19); v19 = Math.max(v17, v19); v17 = t;
        t = Math.min(v17, v18); v18 = Math.max(v17, v18); v17 = t;
        t = Math.min(v15, v18); v18 = Math.max(v15, v18); v15 = t;
        t = Math.min(v15, v17); v17 = Math.max(v15, v17); v15 = t;
        v16 = Math.min(v16, v19);
        v16 = Math.min(v16, v18);
        t = Math.min(v16, v17); v17 = Math.max(v16, v17); v16 = t;
        t = Math.min(v20, v21); v21 = Math.max(v20, v21); v20 = t;
        t = Math.min(v23, v24); v24 = Math.max(v23, v24); v23 = t;
        t = Math.min(v22, v24); v24 = Math.max(v22, v24); v22 = t;
        t = Math.min(v22, v23); v23 = Math.max(v22, v23); v22 = t;
        t = Math.min(v20, v23); v23 = Math.max(v20, v23); v20 = t;
        t = Math.min(v20, v22); v22 = Math.max(v20, v22); v20 = t;
        v21 = Math.min(v21, v24);
        v21 = Math.min(v21, v23);
        v21 = Math.min(v21, v22);
        t = Math.min(v3, v7); v7 = Math.max(v3, v7); v3 = t;
        t = Math.min(v4, v8); v8 = Math.max(v4, v8); v4 = t;
        t = Math.min(v4, v7); v7 = Math.max(v4, v7); v4 = t;
        t = Math.min(v9, v11); v11 = Math.max(v9, v11); v9 = t;
        t = Math.min(v11, v13); v13 = Math.max(v11, v13); v11 = t;
        t = Math.min(v11, v12); v12 = Math.max(v11, v12); v11 = t;
        v9 = Math.max(v3, v9);
        t = Math.min(v7, v9); v9 = Math.max(v7, v9); v7 = t;
        t = Math.min(v4, v11); v11 = Math.max(v4, v11); v4 = t;
        t = Math.min(v8, v11); v11 = Math.max(v8, v11); v8 = t;
        t = Math.min(v4, v7); v7 = Math.max(v4, v7); v4 = t;
        t = Math.min(v8, v9); v9 = Math.max(v8, v9); v8 = t;
        t = Math.min(v11, v12); v12 = Math.max(v11, v12); v11 = t;
        t = Math.min(v17, v20); v20 = Math.max(v17, v20); v17 = t;
        t = Math.min(v16, v17); v17 = Math.max(v16, v17); v16 = t;
        t = Math.min(v20, v21); v21 = Math.max(v20, v21); v20 = t;
        v9 = Math.min(v9, v20);
        v16 = Math.max(v7, v16);
        v12 = Math.min(v12, v16);
        v9 = Math.max(v12, v9);
        v15 = Math.max(v4, v15);
        v11 = Math.min(v11, v21);
        v15 = Math.max(v11, v15);
        v17 = Math.max(v8, v17);
        v13 = Math.min(v13, v17);
        v13 = Math.min(v13, v15);
        v13 = Math.min(v13, v9);
        dst[row + x] = v13;
    }
  }

  /**
   * 5x5 binomial blur ([1 4 6 4 1]/16 per axis, OpenCV's {@code GaussianBlur} kernel for ksize 5, sigma 0),
   * normalised over valid ({@code > 0}) pixels only, and written only where {@code src} is valid: empty pixels
   * neither receive a value nor pull their neighbours towards zero (normalised convolution, Knutsson and Westin,
   * CVPR 1993). {@code src} holds float bits as above; {@code dst} gets float values, {@code 0f} where empty.
   *
   * <p>Bit-identical to the float reference: the value sums keep the reference's order of float operations
   * exactly (Java float arithmetic is strict IEEE, so equal order means equal bits). The weight sums are exact
   * in any order (multiples of 1/256 no larger than 1), so they are summed as integers ({@code 16 x 16} times the
   * weight) and scaled by the exact power of two {@code 1/256}.
   */
  void blurValid5(int[] src, float[] dst) {
    int w = width;
    int h = height;
    for (int y = 0; y < Math.min(2, h); y++) {
      blurRowPass(src, y);
    }
    float[] num = blurNum;
    int[] den = blurDen;
    for (int y = 0; y < h; y++) {
      if (y + 2 < h) {
        blurRowPass(src, y + 2);
      }
      int row = y * w;
      if (y >= 2 && y + 2 < h) {
        // Interior row: the reference's ((((0 + c0 s0) + c1 s1) + c2 s2) + c3 s3) + c4 s4, where 0 + p == p
        // because every product is >= +0.
        float[] a0 = blurSum[(y - 2) % 5];
        float[] a1 = blurSum[(y - 1) % 5];
        float[] a2 = blurSum[y % 5];
        float[] a3 = blurSum[(y + 1) % 5];
        float[] a4 = blurSum[(y + 2) % 5];
        int[] b0 = blurWeight[(y - 2) % 5];
        int[] b1 = blurWeight[(y - 1) % 5];
        int[] b2 = blurWeight[y % 5];
        int[] b3 = blurWeight[(y + 1) % 5];
        int[] b4 = blurWeight[(y + 2) % 5];
        for (int x = 0; x < w; x++) {
          num[x] = K0 * a0[x] + K1 * a1[x] + K2 * a2[x] + K1 * a3[x] + K0 * a4[x];
          den[x] = (b0[x] + b4[x]) + 4 * (b1[x] + b3[x]) + 6 * b2[x];
        }
      } else {
        java.util.Arrays.fill(num, 0, w, 0f);
        java.util.Arrays.fill(den, 0, w, 0);
        for (int dy = -2; dy <= 2; dy++) {
          int yy = y + dy;
          if (yy < 0 || yy >= h) {
            continue;
          }
          float c = BINOMIAL5[dy + 2];
          int ci = BINOMIAL5_INT[dy + 2];
          float[] a = blurSum[yy % 5];
          int[] b = blurWeight[yy % 5];
          for (int x = 0; x < w; x++) {
            num[x] += c * a[x];
            den[x] += ci * b[x];
          }
        }
      }
      for (int x = 0; x < w; x++) {
        // The weight is >= (6/16)^2 > 0 wherever the centre pixel is valid.
        dst[row + x] = src[row + x] != 0 ? num[x] / (den[x] * (1f / 256f)) : 0f;
      }
    }
  }

  /** Horizontal pass of {@link #blurValid5} for image row {@code y} into ring slot {@code y % 5}. */
  private void blurRowPass(int[] src, int y) {
    int w = width;
    int row = y * w;
    float[] v = blurRow;
    int[] m = blurMask;
    for (int x = 0; x < w; x++) {
      int bits = src[row + x];
      v[x] = Float.intBitsToFloat(bits);
      m[x] = (-bits) >>> 31; // 1 where valid (bits > 0), else 0
    }
    float[] sum = blurSum[y % 5];
    int[] wsum = blurWeight[y % 5];
    // The interior loop has fixed taps so the JIT can vectorise it; the 2-pixel borders use clamped taps, in the
    // reference's order of additions.
    for (int x = 2; x < w - 2; x++) {
      sum[x] = K0 * (v[x - 2] + v[x + 2]) + K1 * (v[x - 1] + v[x + 1]) + K2 * v[x];
      wsum[x] = (m[x - 2] + m[x + 2]) + 4 * (m[x - 1] + m[x + 1]) + 6 * m[x];
    }
    for (int x = 0; x < w; x++) {
      if (x == 2 && w > 4) {
        x = w - 3;
        continue;
      }
      float s = 0f;
      int ws = 0;
      for (int dx = -2; dx <= 2; dx++) {
        int xx = x + dx;
        if (xx >= 0 && xx < w) {
          s += BINOMIAL5[dx + 2] * v[xx];
          ws += BINOMIAL5_INT[dx + 2] * m[xx];
        }
      }
      sum[x] = s;
      wsum[x] = ws;
    }
  }

  private static final float K0 = 1f / 16f;
  private static final float K1 = 4f / 16f;
  private static final float K2 = 6f / 16f;

  private static final float[] BINOMIAL5 = {1f / 16f, 4f / 16f, 6f / 16f, 4f / 16f, 1f / 16f};
  private static final int[] BINOMIAL5_INT = {1, 4, 6, 4, 1};
}
