package io.depthstream.depth.scene;

import java.util.SplittableRandom;

/** Random colours for procedural scenes, as {@code 0xRRGGBB}. */
final class Palette {
  private Palette() {}

  /** HSV to {@code 0xRRGGBB}; h in [0, 1), s and v in [0, 1]. */
  static int hsv(double h, double s, double v) {
    double hh = (h - Math.floor(h)) * 6;
    int i = (int) hh;
    double f = hh - i;
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    double r;
    double g;
    double b;
    switch (i) {
      case 0 -> {
        r = v;
        g = t;
        b = p;
      }
      case 1 -> {
        r = q;
        g = v;
        b = p;
      }
      case 2 -> {
        r = p;
        g = v;
        b = t;
      }
      case 3 -> {
        r = p;
        g = q;
        b = v;
      }
      case 4 -> {
        r = t;
        g = p;
        b = v;
      }
      default -> {
        r = v;
        g = p;
        b = q;
      }
    }
    return (channel(r) << 16) | (channel(g) << 8) | channel(b);
  }

  private static int channel(double x) {
    return (int) Math.round(Math.max(0, Math.min(1, x)) * 255);
  }

  /** A colour with hue anywhere and saturation/value drawn from the given ranges. */
  static int random(SplittableRandom rng, double sMin, double sMax, double vMin, double vMax) {
    return hsv(rng.nextDouble(), sMin + (sMax - sMin) * rng.nextDouble(), vMin + (vMax - vMin) * rng.nextDouble());
  }

  /** A colour near hue {@code h} (+/- {@code spread}). */
  static int near(SplittableRandom rng, double h, double spread, double s, double v) {
    return hsv(h + spread * (2 * rng.nextDouble() - 1), s, v);
  }

  /** A darker or lighter variant of {@code rgb}, scaled by {@code k}. */
  static int scale(int rgb, double k) {
    int r = (int) Math.min(255, ((rgb >> 16) & 0xff) * k);
    int g = (int) Math.min(255, ((rgb >> 8) & 0xff) * k);
    int b = (int) Math.min(255, (rgb & 0xff) * k);
    return (r << 16) | (g << 8) | b;
  }
}
