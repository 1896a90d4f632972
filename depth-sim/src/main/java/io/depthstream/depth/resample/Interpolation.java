package io.depthstream.depth.resample;

/**
 * Resampling kernels for {@link Resampler}. Coordinates follow the pixel-centre convention of MATLAB
 * {@code imresize} and PIL: output pixel {@code o} (0-based) samples input position
 * {@code u = (o + 0.5) / scale - 0.5}, where {@code scale = outSize / inSize}.
 */
public enum Interpolation {
  /** The input pixel whose centre is nearest, ties rounding up ({@code floor(u + 0.5)}), as MATLAB. Never antialiased. */
  NEAREST(1.0),
  /** Triangle kernel {@code max(0, 1 - |x|)}, support 2. */
  BILINEAR(2.0),
  /**
   * Keys (1981) cubic convolution with {@code a = -0.5}, as MATLAB {@code imresize} and PIL:
   * {@code h(x) = 1.5|x|^3 - 2.5|x|^2 + 1} for {@code |x| <= 1},
   * {@code -0.5|x|^3 + 2.5|x|^2 - 4|x| + 2} for {@code 1 < |x| <= 2}, else 0. Support 4.
   */
  BICUBIC(4.0),
  /**
   * Exact area average: each output pixel averages the input pixels its footprint covers, weighted by overlap
   * (OpenCV {@code INTER_AREA}); an integer upscale replicates pixels.
   */
  AREA(1.0);

  private final double support;

  Interpolation(double support) {
    this.support = support;
  }

  /** Kernel support in input pixels at scale 1. */
  public double support() {
    return support;
  }

  /** Kernel value at offset {@code x} (input pixels); AREA and NEAREST are handled separately. */
  double kernel(double x) {
    double a = Math.abs(x);
    return switch (this) {
      case BILINEAR -> a < 1 ? 1 - a : 0;
      case BICUBIC -> a <= 1 ? (1.5 * a - 2.5) * a * a + 1 : (a < 2 ? ((-0.5 * a + 2.5) * a - 4) * a + 2 : 0);
      default -> (x >= -0.5 && x < 0.5) ? 1 : 0;
    };
  }
}
