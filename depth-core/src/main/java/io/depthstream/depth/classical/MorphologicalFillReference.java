package io.depthstream.depth.classical;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;

/**
 * The straightforward float implementation of {@link MorphologicalFill} (IP-Basic, Ku et al., CRV 2018), frozen
 * as it was before the single-core speed-up: the exactness oracle for {@code MorphologicalFillTest} (the fast
 * pipeline must give bit-identical output) and the baseline that {@code ClassicalBench} measures the speed-up
 * against. Same stages, conventions and checks as {@link MorphologicalFill}; not registered in
 * {@link ClassicalMethods}. Not thread-safe.
 */
public final class MorphologicalFillReference implements DepthReconstructor {
  /** A name for reports; not a registry name. */
  public static final String NAME = "morphological-reference";

  /** The paper's inversion constant for KITTI, metres. */
  public static final float DEFAULT_MAX_DEPTH = 100f;

  private final float maxDepth;
  private final FloatMorphologyReference morph = new FloatMorphologyReference();
  private int width = -1;
  private int height = -1;
  private float[] a = new float[0];
  private float[] b = new float[0];

  /** With the paper's {@value #DEFAULT_MAX_DEPTH} m inversion constant. */
  public MorphologicalFillReference() {
    this(DEFAULT_MAX_DEPTH);
  }

  /**
   * @param maxDepth inversion constant in metres, finite and {@code > 0}; frames with deeper samples use their own
   *     maximum + 1 m instead
   */
  public MorphologicalFillReference(float maxDepth) {
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
