package io.depthstream.depth.io;

import io.depthstream.depth.DepthMap;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Renders depth maps with Google's Turbo colour map (Mikhailov 2019, "Turbo, An Improved Rainbow Colormap for
 * Visualization"), using its published polynomial approximation baked into a 256-entry table. Low values are dark
 * blue, high values dark red; invalid pixels ({@code 0f}) are drawn black, which Turbo never produces.
 */
public final class DepthColormap {
  /** Default robust range percentiles: ignore the 2% extremes on each side so outliers do not flatten contrast. */
  public static final double LOW_PERCENTILE = 2.0;
  public static final double HIGH_PERCENTILE = 98.0;

  private static final int[] TURBO = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      TURBO[i] = turboPolynomial(i / 255.0);
    }
  }

  private DepthColormap() {}

  /**
   * Turbo colour for {@code t} in [0, 1] (clamped), as {@code 0xRRGGBB}, from the 256-entry table.
   */
  public static int turbo(double t) {
    double c = t < 0 ? 0 : (t > 1 ? 1 : t);
    return TURBO[(int) Math.round(c * 255.0)];
  }

  /**
   * Google's polynomial approximation of Turbo (the GLSL {@code TurboColormap} from the announcement post):
   * each channel is a degree-5 polynomial in x, coefficients below, clamped to [0, 1].
   */
  static int turboPolynomial(double x) {
    double x2 = x * x;
    double x3 = x2 * x;
    double x4 = x2 * x2;
    double x5 = x4 * x;
    double r = 0.13572138 + 4.61539260 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4
        + 59.28637943 * x5;
    double g = 0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4
        + 2.82956604 * x5;
    double b = 0.10667330 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4
        + 27.34824973 * x5;
    return (channel(r) << 16) | (channel(g) << 8) | channel(b);
  }

  private static int channel(double v) {
    double c = v < 0 ? 0 : (v > 1 ? 1 : v);
    return (int) Math.round(c * 255.0);
  }

  /**
   * The [{@value #LOW_PERCENTILE}, {@value #HIGH_PERCENTILE}] percentile range of the valid ({@code > 0}) pixels of
   * all given maps together, so several panels can share one scale.
   *
   * @throws IllegalArgumentException if no map has a valid pixel
   */
  public static ColorRange autoRange(DepthMap... maps) {
    return percentileRange(LOW_PERCENTILE, HIGH_PERCENTILE, maps);
  }

  /** The {@code [lowPct, highPct]} percentile range (nearest-rank) of the valid pixels of {@code maps}. */
  public static ColorRange percentileRange(double lowPct, double highPct, DepthMap... maps) {
    if (!(lowPct >= 0 && lowPct < highPct && highPct <= 100)) {
      throw new IllegalArgumentException("percentiles must satisfy 0 <= low < high <= 100, got " + lowPct + ", "
          + highPct);
    }
    int n = 0;
    for (DepthMap m : maps) {
      n += m.validCount();
    }
    if (n == 0) {
      throw new IllegalArgumentException("auto colour range: no valid (> 0) pixel in the given maps");
    }
    float[] values = new float[n];
    int k = 0;
    for (DepthMap m : maps) {
      for (float v : m.data()) {
        if (v > 0f) {
          values[k++] = v;
        }
      }
    }
    Arrays.sort(values);
    float lo = values[(int) Math.floor(lowPct / 100.0 * (n - 1))];
    float hi = values[(int) Math.ceil(highPct / 100.0 * (n - 1))];
    if (!(hi > lo)) {
      // A constant map still needs a non-empty range; widen symmetrically.
      float pad = Math.max(Math.abs(lo) * 1e-3f, 1e-6f);
      return new ColorRange(lo - pad, hi + pad);
    }
    return new ColorRange(lo, hi);
  }

  /** Renders with an automatic robust range ({@link #autoRange}). */
  public static BufferedImage render(DepthMap map) {
    return render(map, autoRange(map));
  }

  /**
   * Renders {@code map} to an RGB image: valid values map linearly from {@code range} onto Turbo (clamped
   * outside it), invalid ({@code 0f}) pixels are black.
   */
  public static BufferedImage render(DepthMap map, ColorRange range) {
    int w = map.width();
    int h = map.height();
    int[] rgb = new int[w * h];
    float[] d = map.data();
    double scale = 255.0 / ((double) range.max() - range.min());
    for (int i = 0; i < rgb.length; i++) {
      float v = d[i];
      if (v > 0f) {
        rgb[i] = TURBO[index(v, range.min(), scale)];
      }
    }
    return toImage(rgb, w, h);
  }

  /**
   * Renders a scalar field where every finite value is meaningful (zero included, as in an error map) and
   * {@code NaN} marks "no value" (drawn black).
   *
   * @param values row-major, {@code width * height} values
   */
  public static BufferedImage renderField(float[] values, int width, int height, ColorRange range) {
    DepthMap.checkSize(width, height);
    if (values.length != width * height) {
      throw new IllegalArgumentException("field has " + values.length + " values, expected " + width * height);
    }
    int[] rgb = new int[values.length];
    double scale = 255.0 / ((double) range.max() - range.min());
    for (int i = 0; i < rgb.length; i++) {
      float v = values[i];
      if (v == v) {
        rgb[i] = TURBO[index(v, range.min(), scale)];
      }
    }
    return toImage(rgb, width, height);
  }

  private static int index(float v, float min, double scale) {
    double t = (v - min) * scale;
    return t <= 0 ? 0 : (t >= 255 ? 255 : (int) (t + 0.5));
  }

  private static BufferedImage toImage(int[] rgb, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, w, h, rgb, 0, w);
    return img;
  }

  /** Renders and writes a PNG. */
  public static void writePng(DepthMap map, ColorRange range, Path file) throws IOException {
    if (!ImageIO.write(render(map, range), "png", file.toFile())) {
      throw new IOException(file + ": no PNG writer available");
    }
  }
}
