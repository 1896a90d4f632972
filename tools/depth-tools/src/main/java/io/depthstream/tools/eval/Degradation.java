package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.resample.EdgeMode;
import io.depthstream.depth.resample.Interpolation;
import io.depthstream.depth.resample.Resampler;

/**
 * How a super-resolution benchmark makes the low-resolution input from the ground truth. Papers rarely say, and
 * the choice moves the baseline's RMSE by a factor of two on Middlebury (see {@code depth-tools/EVALUATION.md}).
 * Every variant gives a {@code ceil(w / f) x ceil(h / f)} map, as MATLAB {@code imresize(gt, 1/f)}.
 */
public enum Degradation {
  /** MATLAB {@code imresize(gt, 1/f)} default: Keys bicubic with the kernel stretched by f (antialiased). */
  BICUBIC_AA("bicubic-aa"),
  /** MATLAB {@code imresize(gt, 1/f, 'bicubic', 'Antialiasing', false)}: point-sampled cubic interpolation. */
  BICUBIC("bicubic"),
  /** Antialiased bilinear (triangle kernel stretched by f), as PIL {@code BILINEAR} downscaling. */
  BILINEAR_AA("bilinear-aa"),
  /** Mean of each f x f block (OpenCV {@code INTER_AREA}, {@code block_reduce(mean)}). */
  AREA("area"),
  /** MATLAB {@code imresize(gt, 1/f, 'nearest')}: pixel {@code f*i + f/2} of each block. */
  NEAREST("nearest"),
  /** Plain decimation {@code gt[::f, ::f]}: the top-left pixel of each block. */
  STRIDE("stride");

  private final String label;

  Degradation(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The enum constant with this label (for example {@code bicubic-aa}). */
  public static Degradation byLabel(String label) {
    for (Degradation d : values()) {
      if (d.label.equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown degradation '" + label + "'; known: " + String.join(", ", labels()));
  }

  /** Every label, in declaration order. */
  public static java.util.List<String> labels() {
    return java.util.Arrays.stream(values()).map(Degradation::label).toList();
  }

  /**
   * Makes the low-resolution input.
   *
   * @param zerosAreMissing {@code false} resamples holes ({@code 0}) as values, as MATLAB does on raw 8-bit GT
   */
  public DepthMap apply(DepthMap gt, int factor, EdgeMode edge, boolean zerosAreMissing) {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be >= 1, got " + factor);
    }
    int w = (gt.width() + factor - 1) / factor;
    int h = (gt.height() + factor - 1) / factor;
    if (this == STRIDE) {
      DepthMap out = DepthMap.allocate(w, h);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out.set(x, y, gt.get(x * factor, y * factor));
        }
      }
      return out;
    }
    Resampler r = switch (this) {
      case BICUBIC_AA -> new Resampler(Interpolation.BICUBIC, true, edge);
      case BICUBIC -> new Resampler(Interpolation.BICUBIC, false, edge);
      case BILINEAR_AA -> new Resampler(Interpolation.BILINEAR, true, edge);
      case AREA -> new Resampler(Interpolation.AREA, false, edge);
      default -> new Resampler(Interpolation.NEAREST, false, edge);
    };
    // Hole-aware: any valid pixel under the kernel yields a value (normalised convolution over valid pixels only).
    return r.zerosAreMissing(zerosAreMissing).minCoverage(1e-6).resize(gt, w, h);
  }

  /** Rounds every value to the nearest integer in [0, 255], as storing the input as uint8 does. */
  public static void roundToUint8(DepthMap map) {
    float[] d = map.data();
    for (int i = 0; i < d.length; i++) {
      float v = Math.round(d[i]);
      d[i] = v < 0 ? 0 : (v > 255 ? 255 : v);
    }
  }
}
