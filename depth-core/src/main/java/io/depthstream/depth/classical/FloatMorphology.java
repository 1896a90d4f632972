package io.depthstream.depth.classical;

/**
 * Grey-level morphology and small filters for {@link MorphologicalFill}, written for speed on one core.
 *
 * <p><b>Images are float bit patterns in {@code int[]}.</b> Every image here holds {@code Float.floatToRawIntBits}
 * of a finite value {@code >= +0f} ({@code 0} = empty). For such values the IEEE 754 encoding is monotonic: {@code
 * a < b} as floats exactly when their bits compare {@code <} as signed ints. So max/min filters, the median and
 * the empty test ({@code bits == 0}) give bit-identical results on the int patterns, and the branch-free int
 * max ({@link #max}: subtract, shift, and, subtract) vectorises without Java's NaN and {@code -0.0} handling
 * that a float {@code Math.max} carries. Loops run along whole rows over arrays indexed from 0 at the same
 * index, the shape C2 (JDK 17) vectorises; see {@link #max2}.
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
  /** Row-sized buffers, indexed from 0 so that loops over them vectorise (see {@link #max2}). */
  private int[] lineA = new int[0];
  private int[] lineB = new int[0];
  private int[] lineC = new int[0];
  private int[] lineD = new int[0];
  private int[] lineE = new int[0];
  /** Vertical van Herk / Gil-Werman pass: padded images of the prefix (g) and suffix (h) maxima. */
  private int[] colG = new int[0];
  private int[] colH = new int[0];
  /** Median: the 5 rank rows of the column-sorted window rows, each padded by 2 pixels per side. */
  private int[][] ranks = new int[5][0];
  /** Median: the network's 25 wires, each a shifted rank row of one tile. */
  private int[][] wires = new int[25][0];
  /** Blur: 5-row rings of the row values, their horizontal sums and integer-valued weight sums. */
  private float[][] blurValue = new float[5][0];
  private float[][] blurSum = new float[5][0];
  private float[][] blurWeight = new float[5][0];
  /** Blur: 5 shifted copies of a row's values, then of its mask, then the two interior outputs. */
  private float[][] blurShift = new float[12][0];
  private float[] blurMask = new float[0];
  private float[] blurNum = new float[0];
  private float[] blurDen = new float[0];
  private float[] blurOut = new float[0];

  void ensureSize(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    width = w;
    height = h;
    tmp = new int[w * h];
    for (int k = 0; k < 5; k++) {
      ranks[k] = new int[w + 4];
      for (int j = 0; j < 5; j++) {
        wires[5 * k + j] = new int[Math.min(w, MEDIAN_TILE)];
      }
      blurValue[k] = new float[w];
      blurSum[k] = new float[w];
      blurWeight[k] = new float[w];
    }
    for (int k = 0; k < blurShift.length; k++) {
      blurShift[k] = new float[w];
    }
    blurMask = new float[w];
    blurNum = new float[w];
    blurDen = new float[w];
    blurOut = new float[w];
    ensureLines(w + 30);
  }

  /**
   * Square dilation (max filter) with a {@code (2r+1) x (2r+1)} full kernel, {@code r >= 1}, separable: a
   * horizontal then a vertical 1-D max filter. {@code src} and {@code dst} may be the same array.
   */
  void dilateSquare(int[] src, int[] dst, int r) {
    dilateSquare(src, dst, r, 0);
  }

  /**
   * @param pad a value no larger than any pixel, standing for pixels outside the image; with all pixels {@code >=
   *     0}, {@code 0} serves, since every window holds its in-image centre
   */
  private void dilateSquare(int[] src, int[] dst, int r, int pad) {
    maxRows(src, tmp, r, pad);
    maxCols(tmp, dst, r, pad);
  }

  /**
   * Square erosion (min filter) with a {@code (2r+1) x (2r+1)} kernel, as {@code -dilate(-f)}: negation is exact
   * and order-reversing on non-negative ints, and the padding
   * is below every {@code -f}.
   */
  void erodeSquare(int[] src, int[] dst, int r) {
    int n = width * height;
    for (int i = 0; i < n; i++) {
      dst[i] = -src[i];
    }
    dilateSquare(dst, dst, r, -0x7F800000); // -(bits of +inf): below every negated finite value
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
    ensureLines(w + 1);
    int[] c = lineA;
    int[] left = lineB;
    int[] right = lineC;
    int[] up = lineD;
    int[] down = lineE;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      // Aligned copies (see max2): centre, the rows above and below (clamped: the pixel itself), and the row
      // shifted by one pixel each way with the edge pixel standing in for its missing neighbour.
      System.arraycopy(src, row, c, 0, w);
      System.arraycopy(src, y > 0 ? row - w : row, up, 0, w);
      System.arraycopy(src, y < h - 1 ? row + w : row, down, 0, w);
      left[0] = src[row];
      System.arraycopy(src, row, left, 1, w - 1);
      right[w - 1] = src[row + w - 1];
      System.arraycopy(src, row + 1, right, 0, w - 1);
      for (int x = 0; x < w; x++) {
        c[x] = max(max(c[x], up[x]), max(down[x], max(left[x], right[x])));
      }
      System.arraycopy(c, 0, dst, row, w);
    }
  }

  /**
   * {@code dst[i] = max(a[i], b[i])} for {@code i < n}. All hot loops here go through line buffers indexed from
   * 0 and filled by {@code System.arraycopy}: JDK 17's C2 leaves a loop scalar when its arrays are read at
   * different offsets ({@code a[i]} and {@code a[i + 1]}, or {@code a[row + i]} and {@code b[i]}), and an
   * aligned copy costs far less than the lost vectorisation (about 0.04 vs 0.4 ns per pixel, measured).
   */
  private static void max2(int[] dst, int[] a, int[] b, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = max(a[i], b[i]);
    }
  }

  private void ensureLines(int len) {
    if (lineA.length < len) {
      lineA = new int[len];
      lineB = new int[len];
      lineC = new int[len];
      lineD = new int[len];
      lineE = new int[len];
    }
  }

  /**
   * 1-D max filter of width {@code k = 2r+1} along each row by doubling: with {@code m_s[i]} the max of the
   * padded row over {@code [i, i+s)}, {@code m_2s[i] = max(m_s[i], m_s[i+s])}, and a window of {@code k} is
   * covered by two overlapping windows of the largest power of two {@code P <= k}: {@code max(m_P[x],
   * m_P[x+k-P])}. That is {@code log2(P) + 1} passes of one max each (3 for k = 5 or 7, 5 for k = 31), every one a
   * straight loop that C2 vectorises, where van Herk / Gil-Werman needs 3 serial (unvectorisable) scans.
   */
  private void maxRows(int[] src, int[] dst, int r, int pad) {
    int w = width;
    int k = 2 * r + 1;
    int len = w + 2 * r;
    ensureLines(len);
    int p = Integer.highestOneBit(k);
    int[] shifted = lineC;
    for (int y = 0; y < height; y++) {
      int[] cur = lineA;
      int[] nxt = lineB;
      java.util.Arrays.fill(cur, 0, r, pad);
      System.arraycopy(src, y * w, cur, r, w);
      java.util.Arrays.fill(cur, r + w, len, pad);
      for (int s = 1; s < p; s <<= 1) {
        int valid = len - 2 * s + 1; // m_2s[i] needs m_s[i + s], defined for i + s <= len - s
        System.arraycopy(cur, s, shifted, 0, valid);
        max2(nxt, cur, shifted, valid);
        int[] t = cur;
        cur = nxt;
        nxt = t;
      }
      System.arraycopy(cur, k - p, shifted, 0, w);
      max2(nxt, cur, shifted, w);
      System.arraycopy(nxt, 0, dst, y * w, w);
    }
  }

  /**
   * The same filter along each column, a row at a time through line buffers. Small kernels take the max of the
   * {@code k} rows directly; large ones use van Herk / Gil-Werman (van Herk, Pattern Recognition Letters 13(7),
   * 1992; Gil and Werman, IEEE PAMI 15(5), 1993), three maxima per pixel whatever the radius.
   */
  private void maxCols(int[] src, int[] dst, int r, int pad) {
    int w = width;
    int h = height;
    ensureLines(w);
    int[] acc = lineA;
    int[] line = lineB;
    if (r <= 3) {
      for (int y = 0; y < h; y++) {
        int y0 = Math.max(0, y - r);
        int y1 = Math.min(h - 1, y + r);
        System.arraycopy(src, y0 * w, acc, 0, w);
        for (int yy = y0 + 1; yy <= y1; yy++) {
          System.arraycopy(src, yy * w, line, 0, w);
          max2(acc, acc, line, w);
        }
        System.arraycopy(acc, 0, dst, y * w, w);
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
      // Forward: g row i = max(g row i-1, f row i), f row p = src row p - r or pad outside the image; the
      // running max stays in acc.
      java.util.Arrays.fill(acc, 0, w, pad);
      for (int i = b; i < b + k; i++) {
        int y = i - r;
        if (y >= 0 && y < h) {
          System.arraycopy(src, y * w, line, 0, w);
          max2(acc, acc, line, w);
        }
        System.arraycopy(acc, 0, g, i * w, w);
      }
      java.util.Arrays.fill(acc, 0, w, pad);
      for (int i = b + k - 1; i >= b; i--) {
        int y = i - r;
        if (y >= 0 && y < h) {
          System.arraycopy(src, y * w, line, 0, w);
          max2(acc, acc, line, w);
        }
        System.arraycopy(acc, 0, hh, i * w, w);
      }
    }
    for (int y = 0; y < h; y++) {
      System.arraycopy(hh, y * w, acc, 0, w);
      System.arraycopy(g, (y + k - 1) * w, line, 0, w);
      max2(acc, acc, line, w);
      System.arraycopy(acc, 0, dst, y * w, w);
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
    int[][] c = ranks;
    int[][] v = wires;
    int[] net = MEDIAN25_SORTED_COLUMNS;
    int out = net[net.length - 1];
    for (int y = 0; y < h; y++) {
      // The 5 window rows, padded by 2 replicated pixels per side.
      for (int k = 0; k < 5; k++) {
        int sy = Math.min(h - 1, Math.max(0, y + k - 2)) * w;
        int[] r = c[k];
        System.arraycopy(src, sy, r, 2, w);
        r[0] = r[2];
        r[1] = r[2];
        r[w + 2] = r[w + 1];
        r[w + 3] = r[w + 1];
      }
      // Sort each column: the optimal 9-comparator 5-sorter (Knuth 5.3.4, fig. 49).
      int wp = w + 4;
      for (int i = 0; i < SORT5.length; i += 2) {
        compareExchange(c[SORT5[i]], c[SORT5[i + 1]], 0, wp, BOTH);
      }
      for (int x0 = 0; x0 < w; x0 += MEDIAN_TILE) {
        int n = Math.min(MEDIAN_TILE, w - x0);
        // Wire 5i+j is rank i of window column j: row i of the sorted columns shifted by j.
        for (int wire = 0; wire < 25; wire++) {
          if (MEDIAN_WIRE_USED[wire]) {
            System.arraycopy(c[wire / 5], x0 + wire % 5, v[wire], 0, n);
          }
        }
        for (int k = 0; k + 2 < net.length; k += 3) {
          compareExchange(v[net[k]], v[net[k + 1]], 0, n, net[k + 2]);
        }
        System.arraycopy(v[out], 0, dst, y * w + x0, n);
      }
    }
  }

  /**
   * {@code lo[i], hi[i] = min, max} for {@code i} in {@code [from, to)}, or only the min ({@code MIN_ONLY}) or the
   * max ({@code MAX_ONLY}). One comparator per loop over separate arrays at the same index is the shape C2
   * vectorises (a long fused network body or loads at several offsets of one array stay scalar, as measured on
   * JDK 17).
   */
  private static void compareExchange(int[] lo, int[] hi, int from, int to, int mode) {
    switch (mode) {
      case BOTH:
        for (int i = from; i < to; i++) {
          int p = lo[i];
          int q = hi[i];
          int m = (p - q) & ((p - q) >> 31); // p - q where p < q, else 0
          lo[i] = q + m;
          hi[i] = p - m;
        }
        break;
      case MIN_ONLY:
        for (int i = from; i < to; i++) {
          lo[i] = min(lo[i], hi[i]);
        }
        break;
      default:
        for (int i = from; i < to; i++) {
          hi[i] = max(lo[i], hi[i]);
        }
        break;
    }
  }

  /**
   * Branch-free max of two ints whose difference does not overflow (all images here hold values in {@code [0,
   * 0x7F800000]} or their negations). JDK 17's C2 turns {@code Math.max(int, int)} into a scalar conditional
   * move that it does not vectorise; this arithmetic form vectorises (about 3x faster per pixel, measured).
   */
  static int max(int a, int b) {
    int d = a - b;
    return a - (d & (d >> 31));
  }

  /** Branch-free min, as {@link #max}. */
  static int min(int a, int b) {
    int d = a - b;
    return b + (d & (d >> 31));
  }

  private static final int BOTH = SelectionNetwork.BOTH;
  private static final int MIN_ONLY = SelectionNetwork.MIN_ONLY;
  private static final int MEDIAN_TILE = 640;
  static final int[] SORT5 = {0, 1, 3, 4, 2, 4, 2, 3, 0, 3, 0, 2, 1, 4, 1, 3, 1, 2};

  /**
   * The pruned network of {@link #median5} as {@code (lowWire, highWire, mode)} triples then the output wire;
   * wire {@code 5i+j} is rank {@code i} of window column {@code j}. Generated offline from 5 row 5-sorters and
   * {@code SelectionNetwork.median(13)} on the candidates, pruned against all column-sorted 0-1 inputs;
   * {@code FloatMorphologyTest} re-checks it on all 6^5 of them.
   */
  static final int[] MEDIAN25_SORTED_COLUMNS = {
      0, 1, 0, 3, 4, 0, 2, 4, 0, 2, 3, 2, 0, 3, 2, 1, 4, 0, 1, 3, 2, 5, 6, 0, 8, 9, 0, 7, 9, 0, 7, 8, 0,
      5, 8, 0, 5, 7, 2, 6, 9, 0, 6, 8, 0, 6, 7, 2, 10, 11, 0, 13, 14, 0, 12, 14, 0, 12, 13, 0, 10, 13, 0,
      10, 12, 2, 11, 14, 1, 11, 13, 0, 11, 12, 0, 15, 16, 0, 18, 19, 0, 17, 19, 0, 17, 18, 0, 15, 18, 0,
      15, 17, 0, 16, 19, 1, 16, 18, 1, 16, 17, 0, 20, 21, 0, 23, 24, 0, 22, 24, 0, 22, 23, 0, 20, 23, 0,
      20, 22, 0, 21, 24, 1, 21, 23, 1, 21, 22, 1, 3, 7, 0, 4, 8, 0, 4, 7, 0, 9, 11, 0, 11, 13, 0, 11, 12, 0,
      3, 9, 2, 7, 9, 0, 4, 11, 0, 8, 11, 0, 4, 7, 0, 8, 9, 0, 11, 12, 0, 17, 20, 0, 16, 17, 0, 20, 21, 0,
      9, 20, 1, 7, 16, 2, 12, 16, 1, 12, 9, 2, 4, 15, 2, 11, 21, 1, 11, 15, 2, 8, 17, 2, 13, 17, 1, 13, 15, 1,
      13, 9, 1, 13
  };

  private static final boolean[] MEDIAN_WIRE_USED = new boolean[25];

  static {
    for (int k = 0; k + 2 < MEDIAN25_SORTED_COLUMNS.length; k += 3) {
      MEDIAN_WIRE_USED[MEDIAN25_SORTED_COLUMNS[k]] = true;
      MEDIAN_WIRE_USED[MEDIAN25_SORTED_COLUMNS[k + 1]] = true;
    }
  }

  /**
   * 5x5 binomial blur ([1 4 6 4 1]/16 per axis, OpenCV's {@code GaussianBlur} kernel for ksize 5, sigma 0),
   * normalised over valid ({@code > 0}) pixels only, and written only where {@code src} is valid: empty pixels
   * neither receive a value nor pull their neighbours towards zero (normalised convolution, Knutsson and Westin,
   * CVPR 1993). {@code src} holds float bits as above; {@code dst} gets float values, {@code 0f} where empty.
   *
   * <p>Bit-identical to the float reference: the value sums keep the reference's order of float operations
   * exactly (Java float arithmetic is strict IEEE, so equal order means equal bits). The weight sums are small
   * integers times 1/256 and exact in any order, so they are summed as integer-valued floats and scaled by the
   * exact power of two 1/256 at the end. Branch-free, so that the division vectorises: see {@link #isPositive}.
   */
  void blurValid5(int[] src, float[] dst) {
    int w = width;
    int h = height;
    for (int y = 0; y < Math.min(2, h); y++) {
      blurRowPass(src, y);
    }
    float[] num = blurNum;
    float[] den = blurDen;
    for (int y = 0; y < h; y++) {
      if (y + 2 < h) {
        blurRowPass(src, y + 2);
      }
      if (y >= 2 && y + 2 < h) {
        // Interior row: the reference's ((((0 + c0 s0) + c1 s1) + c2 s2) + c3 s3) + c4 s4, where 0 + p == p
        // because every product is >= +0.
        float[] a0 = blurSum[(y - 2) % 5];
        float[] a1 = blurSum[(y - 1) % 5];
        float[] a2 = blurSum[y % 5];
        float[] a3 = blurSum[(y + 1) % 5];
        float[] a4 = blurSum[(y + 2) % 5];
        float[] b0 = blurWeight[(y - 2) % 5];
        float[] b1 = blurWeight[(y - 1) % 5];
        float[] b2 = blurWeight[y % 5];
        float[] b3 = blurWeight[(y + 1) % 5];
        float[] b4 = blurWeight[(y + 2) % 5];
        for (int x = 0; x < w; x++) {
          num[x] = K0 * a0[x] + K1 * a1[x] + K2 * a2[x] + K1 * a3[x] + K0 * a4[x];
          den[x] = (b0[x] + b4[x]) + 4f * (b1[x] + b3[x]) + 6f * b2[x];
        }
      } else {
        java.util.Arrays.fill(num, 0, w, 0f);
        java.util.Arrays.fill(den, 0, w, 0f);
        for (int dy = -2; dy <= 2; dy++) {
          int yy = y + dy;
          if (yy < 0 || yy >= h) {
            continue;
          }
          float c = BINOMIAL5[dy + 2];
          float ci = BINOMIAL5_INT[dy + 2];
          float[] a = blurSum[yy % 5];
          float[] b = blurWeight[yy % 5];
          for (int x = 0; x < w; x++) {
            num[x] += c * a[x];
            den[x] += ci * b[x];
          }
        }
      }
      float[] centre = blurValue[y % 5];
      float[] out = blurOut;
      for (int x = 0; x < w; x++) {
        // Valid centre: num / (den / 256), as the reference (den >= 36 there, and adding 1 - 1 = +0 is exact);
        // empty centre: a finite quotient (den + 1 > 0) times 0.
        float valid = isPositive(centre[x]);
        out[x] = num[x] / (den[x] * (1f / 256f) + (1f - valid)) * valid;
      }
      System.arraycopy(out, 0, dst, y * w, w);
    }
  }

  /**
   * {@code 1f} if {@code v > 0}, {@code 0f} if {@code v == +0}, for finite {@code v >= 0}, without a branch or a
   * conditional move (JDK 17's C2 does not vectorise either): two scalings by {@code 2^126} lift even the
   * smallest subnormal ({@code 2^-149}) to {@code 2^103 >= 1}, and the min caps every positive value at 1
   * (overflow to {@code +inf} included); {@code 0} stays {@code 0}.
   */
  static float isPositive(float v) {
    return Math.min(v * 0x1p126f * 0x1p126f, 1f);
  }

  /**
   * Horizontal pass of {@link #blurValid5} for image row {@code y} into ring slot {@code y % 5}: the row's
   * float values, their value sums and integer-valued weight sums. The interior uses 5 aligned shifted copies of
   * the row (see {@link #max2} for why); the 2-pixel borders use clamped taps, in the reference's order of
   * additions.
   */
  private void blurRowPass(int[] src, int y) {
    int w = width;
    int slot = y % 5;
    float[] v = blurValue[slot];
    float[] m = blurMask;
    int[] bits = lineA;
    System.arraycopy(src, y * w, bits, 0, w);
    for (int x = 0; x < w; x++) {
      v[x] = Float.intBitsToFloat(bits[x]);
    }
    for (int x = 0; x < w; x++) {
      m[x] = isPositive(v[x]);
    }
    float[] sum = blurSum[slot];
    float[] wsum = blurWeight[slot];
    int n = w - 4;
    if (n > 0) {
      float[][] f = blurShift;
      for (int k = 0; k < 5; k++) {
        System.arraycopy(v, k, f[k], 0, n);
        System.arraycopy(m, k, f[5 + k], 0, n);
      }
      float[] v0 = f[0];
      float[] v1 = f[1];
      float[] v2 = f[2];
      float[] v3 = f[3];
      float[] v4 = f[4];
      float[] m0 = f[5];
      float[] m1 = f[6];
      float[] m2 = f[7];
      float[] m3 = f[8];
      float[] m4 = f[9];
      float[] os = f[10];
      float[] ow = f[11];
      for (int x = 0; x < n; x++) {
        os[x] = K0 * (v0[x] + v4[x]) + K1 * (v1[x] + v3[x]) + K2 * v2[x];
        ow[x] = (m0[x] + m4[x]) + 4f * (m1[x] + m3[x]) + 6f * m2[x];
      }
      System.arraycopy(os, 0, sum, 2, n);
      System.arraycopy(ow, 0, wsum, 2, n);
    }
    for (int x = 0; x < w; x++) {
      if (x == 2 && w > 4) {
        x = w - 3;
        continue;
      }
      float s = 0f;
      float ws = 0f;
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
  private static final float[] BINOMIAL5_INT = {1f, 4f, 6f, 4f, 1f};
}
