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
 * <p>Square max filters are separable van Herk / Gil-Werman passes, O(1) per pixel for any size; see
 * {@link FloatMorphology}. Output pixels that no stage reached (an image with no valid pixel, or columns far from
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
  private float[] a = new float[0];
  private float[] b = new float[0];

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

    // 1. Invert.
    float frameMax = 0f;
    for (int i = 0; i < n; i++) {
      frameMax = Math.max(frameMax, in[i]);
    }
    float inv = frameMax < maxDepth ? maxDepth : frameMax + 1f;
    for (int i = 0; i < n; i++) {
      float d = in[i];
      a[i] = d > 0f ? inv - d : 0f;
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
    for (int x = 0; x < w; x++) {
      int y = 0;
      while (y < h && !(a[y * w + x] > 0f)) {
        y++;
      }
      if (y < h) {
        float top = a[y * w + x];
        for (int yy = 0; yy < y; yy++) {
          a[yy * w + x] = top;
        }
      }
    }
    // 6. Large hole fill: empty pixels take the 31x31 dilation.
    morph.dilateSquare(a, b, 15);
    fillEmpty(a, b, n);
    // 7. 5x5 median, then the valid-normalised 5x5 Gaussian.
    morph.median5(a, b);
    morph.blurValid5(b, a);
    // 8. Invert back.
    for (int i = 0; i < n; i++) {
      float v = a[i];
      out[i] = v > 0f ? inv - v : 0f;
    }
  }

  private static void fillEmpty(float[] target, float[] filler, int n) {
    for (int i = 0; i < n; i++) {
      if (!(target[i] > 0f)) {
        target[i] = filler[i];
      }
    }
  }

  private void ensureScratch(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    width = w;
    height = h;
    a = new float[w * h];
    b = new float[w * h];
    morph.ensureSize(w, h);
  }
}
