package io.depthstream.depth.support;

import io.depthstream.depth.DepthMap;
import java.util.Arrays;

/**
 * Per output pixel, how far it is from a measured input pixel: what a consumer of a dense (filled) map needs to
 * tell measured depth from depth a method invented.
 *
 * <p>Two views of the same support, each computed on first use after {@link #compute} (which itself only records
 * which output pixels are measured and which are special), so a frame pays only for the view its consumers read:
 *
 * <ul>
 *   <li>{@link #within(int)}: a bit per output pixel, set where the distance code is at most a limit. This is all
 *       that guidance and point clouds ask ("does this depth rest on a measurement within N pixels?"), and it is
 *       computed by dilating the measured bits with the chamfer ball of that radius, 64 pixels per {@code long}
 *       operation: about a tenth of the cost of the distance transform below.
 *   <li>{@link #data()}: the distance codes themselves, one unsigned byte per output pixel, for the optional
 *       support channel of the dense output.
 * </ul>
 *
 * <table>
 *   <caption>support codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0 ({@link #MEASURED})</td><td>the pixel was measured (input depth {@code > 0})</td></tr>
 *   <tr><td>1 .. 250 ({@link #MAX_DISTANCE})</td><td>distance in output pixels to the nearest measured pixel,
 *       rounded; 250 means 250 or more, or no measured pixel in the frame at all</td></tr>
 *   <tr><td>254 ({@link #NO_RETURN_CODE})</td><td>the sensor reported {@code +Inf} there: no return within its
 *       range ({@link SpecialPixels#NO_RETURN})</td></tr>
 *   <tr><td>255 ({@link #TOO_CLOSE_CODE})</td><td>the sensor reported {@code -Inf} there: nearer than its minimum
 *       range ({@link SpecialPixels#TOO_CLOSE})</td></tr>
 * </table>
 *
 * <p>For a super-resolution method ({@code scaleFactor f > 1}) the output is {@code f} times larger per side; an
 * input pixel covers the {@code f x f} output block {@code [x f, x f + f) x [y f, y f + f)}, so all of that block
 * is measured (or special) and distances are counted in output pixels.
 *
 * <p>Distance: the two-pass 3-4 chamfer transform (G. Borgefors, "Distance transformations in digital images",
 * CVGIP 34, 1986): a horizontal or vertical step costs 3, a diagonal step 4, and the forward (top-left to
 * bottom-right) then backward pass give every pixel the least path cost {@code c} to a measured pixel. For an
 * offset {@code (a, b)} with {@code a >= b >= 0} pixels that cost is {@code c = 3a + b}, so {@code c / 3 = a + b/3}
 * against the Euclidean {@code sqrt(a^2 + b^2)}: the ratio lies in {@code [2 sqrt(2) / 3, sqrt(10) / 3] = [0.943,
 * 1.054]} (extremes at {@code b = a} and {@code b = a/3}), i.e. at most 5.7% short of or 5.4% beyond the exact
 * distance, before rounding {@code round(c / 3) = (c + 1) / 3} to whole pixels. Chosen over the exact
 * Felzenszwalb-Huttenlocher transform of {@link io.depthstream.depth.classical.NearestValidFill} because it needs no
 * argmin and no parabola envelope: two passes of int additions and minima over a padded buffer.
 *
 * <p>Within a limit: since the least path cost to one measured pixel at offset {@code (a, b)} is exactly
 * {@code 3a + b} (the image is a rectangle, so the straight-then-diagonal path always lies inside it), the code is
 * at most {@code k} exactly where some measured pixel lies in the ball {@code 3 max(|dx|,|dy|) + min(|dx|,|dy|)
 * <= 3k + 1}. Per row offset {@code dy} that ball is the run {@code |dx| <= halfWidth(dy)}, so {@link #within}
 * ORs each measured row dilated horizontally by the right half width over the rows {@code |dy| <= k}: the same
 * set as thresholding {@link #data()}, which {@code SupportMapTest} checks on random masks.
 *
 * <p>Not thread-safe; the buffers are allocated on first use and again only when the output size changes.
 */
public final class SupportMap {
  /** Code of a measured pixel. */
  public static final int MEASURED = 0;
  /** Largest distance code: 250 output pixels or more, or no measured pixel in the frame. */
  public static final int MAX_DISTANCE = 250;
  /** Code of a pixel whose sensor value was {@code +Inf} (no return within range). */
  public static final byte NO_RETURN_CODE = (byte) 254;
  /** Code of a pixel whose sensor value was {@code -Inf} (nearer than the minimum range). */
  public static final byte TOO_CLOSE_CODE = (byte) 255;
  /**
   * Largest limit {@link #within} dilates for; above it the bits come from the distance codes (the dilation's cost
   * grows with the square of the limit, the transform's does not).
   */
  static final int LARGEST_DILATION = 16;

  /** Chamfer cost of a pixel with no measured pixel anywhere; large, yet far from int overflow after + 4. */
  private static final int FAR = 1 << 24;
  private static final int STRAIGHT = 3;
  private static final int DIAGONAL = 4;
  /** How many limits {@link #within} keeps per frame (guidance and point clouds may use two different ones). */
  private static final int WITHIN_SLOTS = 2;

  private int width;
  private int height;
  /** {@code ceil(width / 64)}: longs per row of every bit view. */
  private int words;
  /** Input geometry of the last {@link #compute}: special pixels are input indices. */
  private int inWidth;
  private int scaleFactor = 1;
  /** The input's measured pixels when this map reads them from a depth map itself. */
  private final MeasuredBits ownBits = new MeasuredBits();
  /** Measured output pixels, a bit each; bits past the width are always 0. */
  private long[] measured = new long[0];
  private int specialCount;
  private int[] specialIndex = new int[16];
  private byte[] specialKind = new byte[16];
  /** Set by {@link #allMeasured}: codes are 0 or {@link #MAX_DISTANCE}, nothing in between. */
  private boolean estimateOnly;

  private boolean codesReady;
  private byte[] data = new byte[0];
  /**
   * Chamfer costs with a one-pixel border of {@link #FAR}, (width + 2) x (height + 2), so the passes need no edge
   * tests.
   */
  private int[] cost = new int[0];

  private final int[] withinLimit = new int[WITHIN_SLOTS];
  private final long[][] withinBits = new long[WITHIN_SLOTS][];
  private int nextSlot;
  /** Horizontal dilations of the measured rows by 0 .. limit pixels, for {@link #dilate}. */
  private long[][] rowDilations = new long[0][];
  private boolean specialBitsReady;
  private long[] noReturnBits = new long[0];
  private long[] tooCloseBits = new long[0];

  /** Output width in pixels (0 before the first frame). */
  public int width() {
    return width;
  }

  /** Output height in pixels (0 before the first frame). */
  public int height() {
    return height;
  }

  /** Longs per row of the bit views ({@link #within}, {@link #noReturnBits}, {@link #tooCloseBits}). */
  public int wordsPerRow() {
    return words;
  }

  /**
   * The codes, row-major, {@code width * height} bytes; read {@code data[i] & 0xFF}. Reused across frames, and
   * computed on the first call after {@link #compute}.
   */
  public byte[] data() {
    if (!codesReady) {
      computeCodes();
      codesReady = true;
    }
    return data;
  }

  /** The code of output pixel {@code index} as an unsigned value, 0 .. 255 (see the class table). */
  public int distance(int index) {
    return data()[index] & 0xFF;
  }

  /** Whether this map covers a frame of {@code map}'s size. */
  public boolean sameSizeAs(DepthMap map) {
    return width == map.width() && height == map.height();
  }

  /**
   * Records the support of an output of {@code (input.width * scaleFactor) x (input.height * scaleFactor)}
   * pixels: which output pixels are measured and which are special. The views are computed when first read.
   *
   * @param input the reconstruction's input, metres, {@code > 0} = measured (the {@link DepthMap} convention)
   * @param specials the input pixels whose sensor value was {@code +/-Inf}; they override the distance code of
   *     their output block (the map holds 0 there, so they are never "measured")
   * @param scaleFactor output side / input side, {@code >= 1}
   * @throws IllegalArgumentException for a scale factor below 1, an output side beyond
   *     {@link DepthMap#MAX_SIDE}, or a special pixel outside the input
   */
  public void compute(DepthMap input, SpecialPixels specials, int scaleFactor) {
    ownBits.reset(input.width(), input.height());
    ownBits.pack(input.data());
    compute(ownBits, specials, scaleFactor);
  }

  /**
   * As {@link #compute(DepthMap, SpecialPixels, int)}, from the input's measured pixels as a decoder marked them while
   * reading the frame: the input is not read again (for a sparse frame, the bits were set per sample).
   *
   * @param measured the input's pixels with depth {@code > 0}, at input size
   * @throws IllegalArgumentException as {@link #compute(DepthMap, SpecialPixels, int)}
   */
  public void compute(MeasuredBits measured, SpecialPixels specials, int scaleFactor) {
    if (scaleFactor < 1) {
      throw new IllegalArgumentException("support: scale factor must be >= 1, got " + scaleFactor);
    }
    int f = scaleFactor;
    int inW = measured.width();
    int inH = measured.height();
    DepthMap.checkSize(inW * f, inH * f);
    checkSpecials(specials, inW, inH);
    startFrame(inW * f, inH * f, false);
    this.inWidth = inW;
    this.scaleFactor = f;
    long[] in = measured.words();
    if (f == 1) {
      System.arraycopy(in, 0, this.measured, 0, in.length); // the same layout at the same size
    } else {
      expand(in, measured.wordsPerRow(), inW, inH, f);
    }
    copySpecials(specials);
  }

  /**
   * For an estimate with no sparse input behind it (a focal stack's depth): every pixel with depth ({@code > 0})
   * counts as measured (code 0), every other pixel as unsupported ({@link #MAX_DISTANCE}).
   */
  public void allMeasured(DepthMap estimate) {
    startFrame(estimate.width(), estimate.height(), true);
    this.inWidth = estimate.width();
    this.scaleFactor = 1;
    ownBits.reset(estimate.width(), estimate.height());
    ownBits.pack(estimate.data());
    System.arraycopy(ownBits.words(), 0, measured, 0, measured.length);
    specialCount = 0;
  }

  /**
   * The output pixels whose code is at most {@code maxDistance} (so never a special pixel): bit {@code x % 64} of
   * {@code bits[y * wordsPerRow() + x / 64]}, i.e. {@code (bits[y * wordsPerRow() + (x >>> 6)] & (1L << x)) != 0}.
   * Reused across frames; valid until the next {@link #compute} or {@link #allMeasured}.
   *
   * @param maxDistance 0 .. {@link #MAX_DISTANCE} output pixels
   */
  public long[] within(int maxDistance) {
    if (maxDistance < 0 || maxDistance > MAX_DISTANCE) {
      throw new IllegalArgumentException("support: limit must be 0 .. " + MAX_DISTANCE + " px, got " + maxDistance);
    }
    for (int s = 0; s < WITHIN_SLOTS; s++) {
      if (withinLimit[s] == maxDistance) {
        return withinBits[s];
      }
    }
    int slot = nextSlot;
    nextSlot = (nextSlot + 1) % WITHIN_SLOTS;
    long[] bits = withinBits[slot];
    if (bits == null || bits.length != measured.length) {
      bits = new long[measured.length];
      withinBits[slot] = bits;
    }
    if (maxDistance == MAX_DISTANCE) {
      Arrays.fill(bits, -1L); // every code but the special ones is at most 250
      clearPastWidth(bits);
    } else if (estimateOnly) {
      System.arraycopy(measured, 0, bits, 0, measured.length);
    } else if (maxDistance <= LARGEST_DILATION) {
      dilate(maxDistance, bits);
    } else {
      thresholdCodes(maxDistance, bits);
    }
    if (specialCount > 0) {
      ensureSpecialBits();
      for (int i = 0; i < bits.length; i++) {
        bits[i] &= ~(noReturnBits[i] | tooCloseBits[i]);
      }
    }
    withinLimit[slot] = maxDistance;
    return bits;
  }

  /** Whether the last frame had any {@code +/-Inf} pixel; without one both special bit views are all 0. */
  public boolean hasSpecials() {
    return specialCount > 0;
  }

  /** The output pixels of code {@link #NO_RETURN_CODE}, laid out as {@link #within}. */
  public long[] noReturnBits() {
    ensureSpecialBits();
    return noReturnBits;
  }

  /** The output pixels of code {@link #TOO_CLOSE_CODE}, laid out as {@link #within}. */
  public long[] tooCloseBits() {
    ensureSpecialBits();
    return tooCloseBits;
  }

  private void startFrame(int w, int h, boolean fromEstimate) {
    if (w != width || h != height) {
      width = w;
      height = h;
      words = (w + 63) >>> 6;
      measured = new long[words * h];
      noReturnBits = new long[words * h];
      tooCloseBits = new long[words * h];
      data = new byte[w * h];
      cost = new int[0]; // made again by the first computeCodes of this size
    }
    estimateOnly = fromEstimate;
    codesReady = false;
    specialBitsReady = false;
    Arrays.fill(withinLimit, -1);
  }

  /**
   * Measured bits at output size for f > 1: input pixel {@code (x, y)} covers output bits {@code [x f, x f + f)} of
   * rows {@code [y f, y f + f)}.
   */
  private void expand(long[] in, int inWords, int inW, int inH, int f) {
    Arrays.fill(measured, 0L);
    for (int iy = 0; iy < inH; iy++) {
      int firstWord = iy * f * words;
      for (int i = 0; i < inWords; i++) {
        for (long bits = in[iy * inWords + i]; bits != 0; bits &= bits - 1) {
          int ix = (i << 6) + Long.numberOfTrailingZeros(bits);
          setRun(measured, firstWord, ix * f, f);
        }
      }
      for (int r = 1; r < f; r++) {
        System.arraycopy(measured, firstWord, measured, firstWord + r * words, words);
      }
    }
  }

  private static void checkSpecials(SpecialPixels specials, int inWidth, int inHeight) {
    int inSize = inWidth * inHeight;
    for (int i = 0; i < specials.count(); i++) {
      if (specials.index(i) >= inSize) {
        throw new IllegalArgumentException("support: special pixel " + specials.index(i) + " lies outside the "
            + inWidth + "x" + inHeight + " input");
      }
    }
  }

  private void copySpecials(SpecialPixels specials) {
    specialCount = specials.count();
    if (specialIndex.length < specialCount) {
      specialIndex = new int[Math.max(specialCount, 2 * specialIndex.length)];
      specialKind = new byte[specialIndex.length];
    }
    for (int i = 0; i < specialCount; i++) {
      specialIndex[i] = specials.index(i);
      specialKind[i] = specials.kind(i);
    }
  }

  /** Sets bits {@code [x, x + n)} of the row starting at word {@code rowWord}. */
  private static void setRun(long[] bits, int rowWord, int x, int n) {
    for (int b = x; b < x + n; b++) {
      bits[rowWord + (b >>> 6)] |= 1L << b;
    }
  }

  private void ensureSpecialBits() {
    if (specialBitsReady) {
      return;
    }
    Arrays.fill(noReturnBits, 0L);
    Arrays.fill(tooCloseBits, 0L);
    int f = scaleFactor;
    for (int i = 0; i < specialCount; i++) {
      long[] bits = specialKind[i] == SpecialPixels.NO_RETURN ? noReturnBits : tooCloseBits;
      int x0 = (specialIndex[i] % inWidth) * f;
      int y0 = (specialIndex[i] / inWidth) * f;
      for (int y = y0; y < y0 + f; y++) {
        setRun(bits, y * words, x0, f);
      }
    }
    specialBitsReady = true;
  }

  /** Clears the bits past the last column, so a view never claims pixels the frame does not have. */
  private void clearPastWidth(long[] bits) {
    int used = width & 63;
    if (used == 0) {
      return;
    }
    long keep = (1L << used) - 1;
    for (int y = 0; y < height; y++) {
      bits[y * words + words - 1] &= keep;
    }
  }

  /**
   * Half width of the chamfer ball of code {@code <= limit} in the row {@code dy} away: the largest {@code |dx|}
   * with {@code 3 max + min <= 3 limit + 1}, or -1 when the row is beyond the ball.
   */
  static int halfWidth(int limit, int dy) {
    int half = -1;
    for (int dx = 0; dx <= limit; dx++) {
      int a = Math.max(dx, dy);
      int b = Math.min(dx, dy);
      if (3 * a + b > 3 * limit + 1) {
        break;
      }
      half = dx;
    }
    return half;
  }

  /** {@code out} = the measured bits dilated by the chamfer ball of code {@code <= limit} (see the class doc). */
  private void dilate(int limit, long[] out) {
    int n = words * height;
    if (rowDilations.length < limit + 1 || rowDilations[0].length != n) {
      rowDilations = new long[Math.max(limit + 1, rowDilations.length)][];
      for (int i = 0; i < rowDilations.length; i++) {
        rowDilations[i] = new long[n];
      }
    }
    long[] previous = measured;
    for (int w = 1; w <= limit; w++) {
      long[] next = rowDilations[w];
      for (int row = 0; row < n; row += words) {
        for (int i = 0; i < words; i++) {
          long m = measured[row + i];
          long v = previous[row + i] | (m << w) | (m >>> w);
          if (i > 0) {
            v |= measured[row + i - 1] >>> (64 - w);
          }
          if (i + 1 < words) {
            v |= measured[row + i + 1] << (64 - w);
          }
          next[row + i] = v;
        }
      }
      previous = next;
    }
    int[] half = new int[limit + 1];
    for (int dy = 0; dy <= limit; dy++) {
      half[dy] = halfWidth(limit, dy);
    }
    for (int y = 0; y < height; y++) {
      int row = y * words;
      long[] centre = half[0] == 0 ? measured : rowDilations[half[0]];
      System.arraycopy(centre, row, out, row, words);
      for (int dy = 1; dy <= limit && half[dy] >= 0; dy++) {
        long[] source = half[dy] == 0 ? measured : rowDilations[half[dy]];
        if (y - dy >= 0) {
          orRow(source, row - dy * words, out, row);
        }
        if (y + dy < height) {
          orRow(source, row + dy * words, out, row);
        }
      }
    }
    clearPastWidth(out);
  }

  private void orRow(long[] source, int from, long[] out, int to) {
    for (int i = 0; i < words; i++) {
      out[to + i] |= source[from + i];
    }
  }

  private void thresholdCodes(int limit, long[] bits) {
    byte[] codes = data();
    Arrays.fill(bits, 0L);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if ((codes[y * width + x] & 0xFF) <= limit) {
          bits[y * words + (x >>> 6)] |= 1L << x;
        }
      }
    }
  }

  private void computeCodes() {
    if (estimateOnly) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          boolean m = (measured[y * words + (x >>> 6)] & (1L << x)) != 0;
          data[y * width + x] = m ? (byte) MEASURED : (byte) MAX_DISTANCE;
        }
      }
      return;
    }
    if (cost.length != (width + 2) * (height + 2)) {
      cost = new int[(width + 2) * (height + 2)];
      Arrays.fill(cost, FAR); // the border keeps FAR for good: the passes only write the interior
    }
    seed();
    forwardPass();
    backwardPass();
    markSpecials();
  }

  /** Cost 0 on every measured output pixel, FAR elsewhere. */
  private void seed() {
    int stride = width + 2;
    for (int y = 0; y < height; y++) {
      int p = (y + 1) * stride + 1;
      int row = y * words;
      for (int x = 0; x < width; x++) {
        cost[p + x] = (measured[row + (x >>> 6)] & (1L << x)) != 0 ? 0 : FAR;
      }
    }
  }

  /**
   * Top-left to bottom-right: each pixel takes the least of its own cost (0 if measured) and its upper-left, upper,
   * upper-right and left neighbours' plus their step cost. Split per row into the three upper terms, which depend on
   * the finished row above only (a loop the JIT can vectorise), then the left term, a serial scan; the same minimum
   * as one loop, 40% less time measured.
   */
  private void forwardPass() {
    int stride = width + 2;
    int w = width;
    int[] c = cost;
    for (int y = 1; y <= height; y++) {
      int first = y * stride + 1;
      int end = first + w;
      for (int p = first; p < end; p++) {
        int up = Math.min(Math.min(c[p - stride - 1], c[p - stride + 1]) + DIAGONAL, c[p - stride] + STRAIGHT);
        c[p] = Math.min(c[p], up);
      }
      int left = c[first - 1];
      for (int p = first; p < end; p++) {
        left = Math.min(c[p], left + STRAIGHT);
        c[p] = left;
      }
    }
  }

  /**
   * Bottom-right to top-left with the mirrored neighbours (lower terms, then the right-to-left scan), writing the
   * code {@code round(c / 3) = (c + 1) / 3} capped at 250: with c clamped to 749 first, {@code (c + 1) / 3} equals
   * {@code ((c + 1) * 43691) >>> 17} (43691 / 2^17 = 1/3 + 1.5e-6, exact for c + 1 < 2^15).
   */
  private void backwardPass() {
    int stride = width + 2;
    int w = width;
    int[] c = cost;
    byte[] out = data;
    for (int y = height; y >= 1; y--) {
      int first = y * stride + 1;
      int end = first + w;
      for (int p = first; p < end; p++) {
        int down = Math.min(Math.min(c[p + stride - 1], c[p + stride + 1]) + DIAGONAL, c[p + stride] + STRAIGHT);
        c[p] = Math.min(c[p], down);
      }
      int outOffset = (y - 1) * w - first;
      int right = c[end];
      for (int p = end - 1; p >= first; p--) {
        right = Math.min(c[p], right + STRAIGHT);
        c[p] = right;
        out[p + outOffset] = (byte) (((Math.min(right, 3 * MAX_DISTANCE - 1) + 1) * 43691) >>> 17);
      }
    }
  }

  private void markSpecials() {
    int f = scaleFactor;
    for (int i = 0; i < specialCount; i++) {
      byte code = specialKind[i] == SpecialPixels.NO_RETURN ? NO_RETURN_CODE : TOO_CLOSE_CODE;
      int x0 = (specialIndex[i] % inWidth) * f;
      int y0 = (specialIndex[i] / inWidth) * f;
      for (int y = y0; y < y0 + f; y++) {
        Arrays.fill(data, y * width + x0, y * width + x0 + f, code);
      }
    }
  }
}
