package io.depthstream.depth.scene;

import io.depthstream.depth.DepthMap;

/**
 * Focal stacks synthesised from an RGB-D pair with the layered-blur method the focal-stack network is trained on
 * (Bruns, "Scene Representations from Focal Stack for Depth Estimation"; DESIGN.md research item 3). The Java twin
 * of the trainer's {@code focal_synthesis.synthesize_stack} and of the evenly spaced focus distances its validation
 * and {@code evaluate_focal} use; {@code FocalStackSynthesisTest} pins it to that code's output.
 *
 * <p>The valid depth range {@code [near, far]} is cut into {@code K} equal layers. For a focus distance {@code f},
 * layer {@code k} (centre {@code d_k}) is blurred with a Gaussian of
 *
 * <pre>
 *   sigma_k = round(min(blurPerMetre * |d_k - f|, maxSigma) / sigmaStep) * sigmaStep     (pixels, half to even)
 * </pre>
 *
 * and each pixel takes the blur of its own layer (the K masked blurs summed: the masks partition the image, so the
 * sum is a per-pixel choice). Pixels without depth (0) belong to the farthest layer (background). The blur is a
 * separable Gaussian of radius {@code ceil(3 sigma)} (at least 1) with replicated borders; {@code sigma < 1e-3} px
 * is the identity. Colours are clamped to [0, 1] afterwards (float rounding of a kernel summing to 1 can leave
 * 1 + 1e-7, which the estimators reject).
 *
 * <p>Cost: one blur per distinct quantised sigma the stack needs (at most {@code maxSigma / sigmaStep + 1}), each
 * written to every image and pixel that uses it; memory one blurred image besides the output.
 *
 * @param layers depth layers {@code K}, 1..256
 * @param blurPerMetre Gaussian sigma in pixels per metre from the focal plane
 * @param maxSigma largest sigma, pixels
 * @param sigmaStep sigmas are quantised to multiples of this, pixels
 */
public record FocalStackSynthesis(int layers, double blurPerMetre, double maxSigma, double sigmaStep) {

  /** The blur model of the trainer's {@code BlurModel()} defaults, which the shipped focal net was trained with. */
  public static final FocalStackSynthesis TRAINING = new FocalStackSynthesis(256, 2.0, 8.0, 0.25);

  /** Below this sigma (pixels) a layer stays sharp, as in the Python {@code gaussian_kernel}. */
  private static final double SHARP_SIGMA = 1e-3;

  public FocalStackSynthesis {
    if (layers < 1 || layers > 256) {
      throw new IllegalArgumentException("layers must be in 1..256, got " + layers);
    }
    if (!(blurPerMetre >= 0) || !(maxSigma >= 0) || !(sigmaStep > 0)) {
      throw new IllegalArgumentException("blur per metre and max sigma must be >= 0 and the sigma step > 0, got "
          + blurPerMetre + ", " + maxSigma + ", " + sigmaStep);
    }
  }

  /**
   * {@code (near, far)} of the valid depths of {@code depth}, metres; {@code far >= near + 1e-3} so the layers are
   * never empty ({@code focal_synthesis.depth_range}).
   *
   * @throws IllegalArgumentException when no pixel has a depth
   */
  public static double[] depthRange(DepthMap depth) {
    float near = Float.POSITIVE_INFINITY;
    float far = 0f;
    for (float d : depth.data()) {
      if (d > 0f && d <= Float.MAX_VALUE) {
        near = Math.min(near, d);
        far = Math.max(far, d);
      }
    }
    if (far == 0f) {
      throw new IllegalArgumentException("the depth map has no valid pixel to focus on");
    }
    return new double[] {near, Math.max(far, near + 1e-3)};
  }

  /**
   * {@code t} focus distances evenly spaced strictly inside {@code [near, far]}, near to far: numpy's
   * {@code linspace(near, far, t + 2)[1:-1]}, as the trainer validates and evaluates.
   */
  public static double[] evenlySpacedFocus(double near, double far, int t) {
    if (t < 1) {
      throw new IllegalArgumentException("a stack needs at least one image, got " + t);
    }
    double step = (far - near) / (t + 1);
    double[] focus = new double[t];
    for (int i = 0; i < t; i++) {
      focus[i] = (i + 1) * step + near;
    }
    return focus;
  }

  /**
   * The stack of {@code rgb} focused at each distance of {@code focusMetres}, in that order.
   *
   * @param rgb planar RGB {@code [3][H][W]} in [0, 1], registered to {@code depth}
   * @param depth metres, 0 = no depth
   * @param focusMetres focus distances, metres
   * @param near the near end of the layers, metres (usually {@link #depthRange})
   * @param far the far end, metres, &gt; near
   * @return planar {@code [T][3][H][W]} in [0, 1], the layout {@code FocalStackEstimator.estimate} takes
   */
  public float[] synthesize(float[] rgb, DepthMap depth, double[] focusMetres, double near, double far) {
    int w = depth.width();
    int h = depth.height();
    int plane = w * h;
    if (rgb.length != 3 * plane) {
      throw new IllegalArgumentException("rgb has " + rgb.length + " values, expected 3 x " + w + " x " + h);
    }
    if (!(far > near)) {
      throw new IllegalArgumentException("depth range must be non-empty, got near=" + near + ", far=" + far);
    }
    int[] layerOf = layerIndex(depth, near, far);
    float[] centres = layerCentres(near, far);
    int levels = (int) Math.round(maxSigma / sigmaStep) + 1;
    // level (sigma / sigmaStep) of every (image, layer); which levels any used layer needs
    int[][] levelOf = new int[focusMetres.length][layers];
    boolean[] usedLayer = new boolean[layers];
    for (int k : layerOf) {
      usedLayer[k] = true;
    }
    boolean[] needed = new boolean[levels + 1];
    for (int i = 0; i < focusMetres.length; i++) {
      for (int k = 0; k < layers; k++) {
        double sigma = Math.min(Math.abs((double) centres[k] - focusMetres[i]) * blurPerMetre, maxSigma);
        levelOf[i][k] = (int) Math.rint(sigma / sigmaStep);
        if (usedLayer[k]) {
          needed[levelOf[i][k]] = true;
        }
      }
    }
    float[] out = new float[focusMetres.length * 3 * plane];
    float[] blurred = new float[3 * plane];
    float[] rows = new float[plane];
    for (int level = 0; level < needed.length; level++) {
      if (!needed[level]) {
        continue;
      }
      double sigma = level * sigmaStep;
      for (int c = 0; c < 3; c++) {
        gaussianBlur(rgb, c * plane, w, h, sigma, rows, blurred);
      }
      for (int i = 0; i < focusMetres.length; i++) {
        int[] levelOfLayer = levelOf[i];
        int base = i * 3 * plane;
        for (int p = 0; p < plane; p++) {
          if (levelOfLayer[layerOf[p]] == level) {
            for (int c = 0; c < 3; c++) {
              out[base + c * plane + p] = Math.min(1f, Math.max(0f, blurred[c * plane + p]));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Layer of each pixel, {@code floor((d - near) / (far - near) * K)} clamped to {@code [0, K - 1]}, in float32 as
   * the trainer computes it; pixels without depth go to the last layer.
   */
  int[] layerIndex(DepthMap depth, double near, double far) {
    float[] d = depth.data();
    int[] index = new int[d.length];
    float nearF = (float) near;
    float range = (float) (far - near);
    for (int p = 0; p < d.length; p++) {
      if (d[p] > 0f) {
        float scaled = (d[p] - nearF) / range * layers;
        index[p] = Math.max(0, Math.min(layers - 1, (int) Math.floor(scaled)));
      } else {
        index[p] = layers - 1;
      }
    }
    return index;
  }

  /** Layer centres {@code near + (k + 0.5) (far - near) / K} in float32 (the trainer's {@code layer_centres}). */
  float[] layerCentres(double near, double far) {
    float[] centres = new float[layers];
    float range = (float) (far - near);
    for (int k = 0; k < layers; k++) {
      centres[k] = (float) near + (k + 0.5f) * range / layers;
    }
    return centres;
  }

  /**
   * Separable Gaussian blur of one plane ({@code src[offset .. offset + w h)}) into the same plane of {@code dst}:
   * horizontal into {@code rows}, then vertical, with replicated borders (clamped indices).
   */
  static void gaussianBlur(float[] src, int offset, int w, int h, double sigma, float[] rows, float[] dst) {
    if (sigma < SHARP_SIGMA) {
      System.arraycopy(src, offset, dst, offset, w * h);
      return;
    }
    float[] kernel = gaussianKernel(sigma);
    int r = kernel.length / 2;
    for (int y = 0; y < h; y++) {
      int row = offset + y * w;
      for (int x = 0; x < w; x++) {
        float sum = 0f;
        for (int j = -r; j <= r; j++) {
          sum += kernel[j + r] * src[row + Math.max(0, Math.min(w - 1, x + j))];
        }
        rows[y * w + x] = sum;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float sum = 0f;
        for (int j = -r; j <= r; j++) {
          sum += kernel[j + r] * rows[Math.max(0, Math.min(h - 1, y + j)) * w + x];
        }
        dst[offset + y * w + x] = sum;
      }
    }
  }

  /** Normalised Gaussian of {@code 2 ceil(3 sigma) + 1} taps (radius at least 1), in float32. */
  static float[] gaussianKernel(double sigma) {
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    float[] kernel = new float[2 * r + 1];
    float twoSigmaSquared = (float) (2 * sigma * sigma);
    float sum = 0f;
    for (int i = -r; i <= r; i++) {
      float x = i;
      kernel[i + r] = (float) Math.exp(-(x * x) / twoSigmaSquared);
      sum += kernel[i + r];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= sum;
    }
    return kernel;
  }
}
