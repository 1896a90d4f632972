package io.depthstream.depth.scene;

/**
 * A surface's colour: one or two linear-RGB albedos in [0, 1] and a procedural texture, evaluated at the hit
 * point's surface coordinates {@code (u, v)} in metres. Textures exist so that the RGB image has gradients
 * (floors, walls, roads) that RGB-guided methods and the trainer can use; they never change depth.
 */
public final class Material {

  /** Procedural patterns; {@code scale} is their period in metres. */
  public enum Texture {
    /** Uniform first colour. */
    PLAIN,
    /** Squares of side {@code scale} alternating the two colours, with a little noise (tiles, floors). */
    CHECKER,
    /** Bands of width {@code scale / 2} along u alternating the two colours (wallpaper). */
    STRIPES,
    /** First colour modulated by blocky value noise of cell size {@code scale} (paving, grass, plaster). */
    NOISE,
    /** Facade: a grid of windows in the second colour, period {@code scale}, on vertical faces only. */
    WINDOWS,
    /**
     * Asphalt in the first colour with lane markings in the second: a dashed centre line at u = 0 (3 m dash,
     * 6 m gap along v) and solid lines at |u| = {@code scale} (the lane width).
     */
    ROAD
  }

  final float r;
  final float g;
  final float b;
  final float r2;
  final float g2;
  final float b2;
  final Texture texture;
  final double scale;

  private Material(int rgb, int rgb2, Texture texture, double scale) {
    if (texture == null) {
      throw new IllegalArgumentException("texture must not be null");
    }
    if (!(scale > 0 && scale < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("texture scale must be positive metres, got " + scale);
    }
    this.r = ((rgb >> 16) & 0xff) / 255f;
    this.g = ((rgb >> 8) & 0xff) / 255f;
    this.b = (rgb & 0xff) / 255f;
    this.r2 = ((rgb2 >> 16) & 0xff) / 255f;
    this.g2 = ((rgb2 >> 8) & 0xff) / 255f;
    this.b2 = (rgb2 & 0xff) / 255f;
    this.texture = texture;
    this.scale = scale;
  }

  /** A uniform material of colour {@code 0xRRGGBB}. */
  public static Material plain(int rgb) {
    return new Material(rgb, rgb, Texture.PLAIN, 1);
  }

  /**
   * A textured material.
   *
   * @param rgb first colour {@code 0xRRGGBB}
   * @param rgb2 second colour {@code 0xRRGGBB} (unused by {@link Texture#NOISE})
   * @param scale texture period in metres, &gt; 0
   */
  public static Material textured(Texture texture, int rgb, int rgb2, double scale) {
    return new Material(rgb, rgb2, texture, scale);
  }

  /** The texture pattern. */
  public Texture texture() {
    return texture;
  }

  /**
   * Writes the albedo at surface coordinates {@code (u, v)} (metres) into {@code out[0..2]}.
   *
   * @param vertical whether the surface is a vertical face ({@code v} is then the height)
   */
  void albedo(double u, double v, boolean vertical, double[] out) {
    switch (texture) {
      case PLAIN -> set(out, r, g, b, 1);
      case CHECKER -> {
        long cell = (long) Math.floor(u / scale) + (long) Math.floor(v / scale);
        double n = 0.9 + 0.2 * noise(u * 4 / scale, v * 4 / scale);
        if ((cell & 1) == 0) {
          set(out, r, g, b, n);
        } else {
          set(out, r2, g2, b2, n);
        }
      }
      case STRIPES -> {
        double n = 0.93 + 0.14 * noise(u * 8 / scale, v * 8 / scale);
        if (frac(u / scale) < 0.5) {
          set(out, r, g, b, n);
        } else {
          set(out, r2, g2, b2, n);
        }
      }
      case NOISE -> set(out, r, g, b, 0.82 + 0.36 * noise(u / scale, v / scale));
      case WINDOWS -> {
        double fu = frac(u / scale);
        double fv = frac(v / (scale * 1.15));
        if (vertical && v > 1.0 && fu > 0.22 && fu < 0.78 && fv > 0.3 && fv < 0.8) {
          // Each window gets its own brightness (lit or dark rooms), constant over the pane.
          set(out, r2, g2, b2, 0.6 + 0.9 * noise(Math.floor(u / scale), Math.floor(v / (scale * 1.15))));
        } else {
          set(out, r, g, b, 0.9 + 0.2 * noise(u * 2, v * 2));
        }
      }
      case ROAD -> {
        double au = Math.abs(u);
        boolean centreDash = au < 0.075 && frac(v / 9.0) < 1.0 / 3.0;
        boolean edgeLine = Math.abs(au - scale) < 0.075;
        if (centreDash || edgeLine) {
          set(out, r2, g2, b2, 1);
        } else {
          set(out, r, g, b, 0.85 + 0.3 * noise(u * 5, v * 5));
        }
      }
      default -> throw new IllegalStateException("unknown texture " + texture);
    }
  }

  private static void set(double[] out, float r, float g, float b, double k) {
    out[0] = r * k;
    out[1] = g * k;
    out[2] = b * k;
  }

  private static double frac(double x) {
    return x - Math.floor(x);
  }

  /**
   * Blocky value noise in [0, 1): a 64-bit integer hash of the lattice cell containing {@code (u, v)}
   * (SplitMix64 finaliser, Steele et al. 2014), so it is deterministic and allocation-free.
   */
  static double noise(double u, double v) {
    long h = (long) Math.floor(u) * 0x9E3779B97F4A7C15L ^ (long) Math.floor(v) * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 30;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 27;
    h *= 0x94D049BB133111EBL;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53;
  }
}
