package io.depthstream.depth.classical;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;

/**
 * Morphological depth completion ({@code morphological}): the IP-Basic pipeline of Ku, Harakeh and Waslander,
 * "In Defense of Classical Image Processing: Fast Depth Completion on the CPU", CRV 2018 (arXiv:1802.00036),
 * reference code {@code fill_in_fast} in github.com/kujason/ip_basic, with {@code extrapolate=True}.
 *
 * <p>Stages, in the paper's order (kernel sizes in pixels):
 *
 * <ol>
 *   <li><b>Invert</b> valid depths, {@code d' = D - d}, so that max filters prefer the nearer surface, whose
 *       edges should win where foreground and background samples meet. {@code D} is {@link #maxDepth()} (100 m,
 *       as in the paper for KITTI), raised per frame to the frame's largest depth + 1 m so every valid pixel
 *       stays positive; {@code 0} stays "empty".
 *   <li><b>Dilate</b> with the 5x5 diamond kernel (the paper's best custom kernel) to grow each sample.
 *   <li><b>Close small holes</b>: 5x5 full closing (dilate then erode).
 *   <li><b>Fill small holes</b>: empty pixels take their 7x7 full dilation.
 *   <li><b>Extend to the top</b>: per column, pixels above the topmost valid one take its value (sensors such as
 *       LiDAR see nothing above the horizon band).
 *   <li><b>Fill large holes</b>: empty pixels take their 31x31 full dilation.
 *   <li><b>Blur</b>: 5x5 median (removes outliers the dilations spread), then a 5x5 Gaussian on valid pixels
 *       (the paper's Gaussian variant; here normalised over valid pixels so empty ones do not bias edges).
 *   <li><b>Invert back</b>, {@code d = D - d'} for non-empty pixels.
 * </ol>
 *
 * <p>Speed (about 11 ms instead of 37 ms of CPU per 640x480 frame on one core, see {@code ClassicalBench}): the
 * pipeline runs on the int bit patterns of the inverted depths, which order exactly like the non-negative floats
 * they encode, so max, min and median steps are branch-free integer arithmetic that C2 vectorises; the median
 * shares sorted 5-pixel columns between neighbouring windows (70 instead of 118 compare-exchanges per pixel);
 * square max filters are separable. See {@link FloatMorphology}. The output
 * is bit-identical to the plain float implementation kept as {@link MorphologicalFillReference}. Output pixels that no stage reached (an image with no valid pixel, or columns far from
 * all samples below the top band) stay {@code 0} (invalid). Measured pixels are not kept verbatim: the blur stage
 * smooths them, as in the paper. Not thread-safe; scratch buffers are reused while the frame size stays the same.
 */
public final class MorphologicalFill implements DepthReconstructor {
  /** The registry name. */
  public static final String NAME = "morphological";

  /** The paper's inversion constant for KITTI, metres. */
  public static final float DEFAULT_MAX_DEPTH = 100f;

  private final float maxDepth;
  private final FloatMorphology morph = new FloatMorphology();
  private int width = -1;
  private int height = -1;
  /** Float bits of the inverted depths (see {@link FloatMorphology}), two ping-pong images. */
  private int[] a = new int[0];
  private int[] b = new int[0];
  /** The blurred inverted depths, metres. */
  private float[] blurred = new float[0];
  /** Stage 5: per column, the topmost valid value so far ({@code 0} = none yet). */
  private int[] top = new int[0];
  private int[] seen = new int[0];

  /** With the paper's {@value #DEFAULT_MAX_DEPTH} m inversion constant. */
  public MorphologicalFill() {
    this(DEFAULT_MAX_DEPTH);
  }

  /**
   * @param maxDepth inversion constant in metres, finite and {@code > 0}; frames with deeper samples use their own
   *     maximum + 1 m instead
   */
  public MorphologicalFill(float maxDepth) {
    if (!(maxDepth > 0f) || Float.isInfinite(maxDepth)) {
      throw new IllegalArgumentException("maxDepth must be finite and > 0 metres, got " + maxDepth);
    }
    this.maxDepth = maxDepth;
  }

  /** The configured inversion constant, metres. */
  public float maxDepth() {
    return maxDepth;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    int valid = DepthChecks.requireValidPair(NAME, input, output);
    float[] in = input.data();
    float[] out = output.data();
    if (valid == 0) {
      java.util.Arrays.fill(out, 0f);
      return;
    }
    int w = input.width();
    int h = input.height();
    ensureScratch(w, h);
    int n = w * h;

    // 1. Invert; from here on a pixel is the int bit pattern of its non-negative float (0 = empty).
    float frameMax = 0f;
    for (int i = 0; i < n; i++) {
      frameMax = Math.max(frameMax, in[i]);
    }
    float inv = frameMax < maxDepth ? maxDepth : frameMax + 1f;
    for (int i = 0; i < n; i++) {
      float d = in[i];
      a[i] = d > 0f ? Float.floatToRawIntBits(inv - d) : 0;
    }
    // 2. Diamond dilation.
    morph.dilateDiamond5(a, b);
    // 3. Closing with the full 5x5 kernel.
    morph.dilateSquare(b, a, 2);
    morph.erodeSquare(a, a, 2);
    // 4. Small hole fill: empty pixels take the 7x7 dilation.
    morph.dilateSquare(a, b, 3);
    fillEmpty(a, b, n);
    // 5. Extend the topmost valid value of each column to the top row.
    extendToTop(w, h);
    // 6. Large hole fill: empty pixels take the 31x31 dilation.
    morph.dilateSquare(a, b, 15);
    fillEmpty(a, b, n);
    // 7. 5x5 median, then the valid-normalised 5x5 Gaussian.
    morph.median5(a, b);
    morph.blurValid5(b, blurred);
    // 8. Invert back.
    float[] f = blurred;
    for (int i = 0; i < n; i++) {
      float v = f[i];
      out[i] = (inv - v) * FloatMorphology.isPositive(v); // v > 0 ? inv - v : 0, branch-free (inv is finite)
    }
  }

  /**
   * Empty target pixels take the filler's value, branch-free: for {@code t >= 0}, {@code (t - 1) >> 31} is all
   * ones exactly when {@code t == 0}.
   */
  private static void fillEmpty(int[] target, int[] filler, int n) {
    for (int i = 0; i < n; i++) {
      int t = target[i];
      target[i] = t | (filler[i] & ((t - 1) >> 31));
    }
  }

  /**
   * Stage 5 row by row (a column scan strides through memory): first find each column's topmost valid value,
   * stopping at the first row by which every column has one, then fill the empty pixels above it in those rows.
   */
  private void extendToTop(int w, int h) {
    java.util.Arrays.fill(top, 0, w, 0);
    java.util.Arrays.fill(seen, 0, w, 0);
    int last = h - 1;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      int missing = 0;
      for (int x = 0; x < w; x++) {
        int t = top[x];
        t |= a[row + x] & ((t - 1) >> 31);
        top[x] = t;
        missing += (t - 1) >>> 31;
      }
      if (missing == 0) {
        last = y;
        break;
      }
    }
    for (int y = 0; y <= last; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int v = a[row + x];
        int s = seen[x] | ((-v) >> 31); // all ones once the column has had a valid (v > 0) pixel
        seen[x] = s;
        a[row + x] = v | (top[x] & ~s);
      }
    }
  }

  private void ensureScratch(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    width = w;
    height = h;
    a = new int[w * h];
    b = new int[w * h];
    blurred = new float[w * h];
    top = new int[w];
    seen = new int[w];
    morph.ensureSize(w, h);
  }
}
