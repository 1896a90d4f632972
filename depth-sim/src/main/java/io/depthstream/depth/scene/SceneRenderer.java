package io.depthstream.depth.scene;

import io.depthstream.depth.DepthMap;
import java.util.Arrays;

/**
 * Ray-casts a list of {@link Primitive}s into a dense depth map and a shaded RGB image, for one
 * {@link PinholeCamera}.
 *
 * <p><b>Depth is z-depth</b>, the distance along the optical axis as a pinhole depth camera (Kinect, stereo)
 * reports it, not the length of the ray: the ray of pixel {@code (x, y)} is cast as
 * {@code d = forward + a * right + b * down} with {@code a = (x - cx) / fx}, {@code b = (y - cy) / fy}, whose
 * component along the optical axis is exactly 1, so the ray parameter {@code t} of a hit is its z-depth.
 * {@link PinholeCamera#rayLength} converts. Pixels with no surface in {@code (nearClip, maxRange]} get 0
 * (see {@link RenderSettings}).
 *
 * <p>RGB is Lambertian shading from one directional light with an ambient term, per-material procedural
 * texture, optional fog, and a sky gradient where nothing is hit; written interleaved {@code R, G, B} bytes,
 * row-major, encoded with gamma 2 ({@code 255 * sqrt(linear)}). No shadows or reflections.
 *
 * <p>Speed: before casting, every bounded primitive's world box is projected (clipped against the near plane)
 * to a screen rectangle and binned into 16x16-pixel tiles, so each pixel only tests the primitives that can
 * cover it. Scratch arrays are kept between frames; nothing is allocated per pixel. Not thread-safe: use one
 * renderer per thread.
 */
public final class SceneRenderer {
  static final int TILE = 16;

  private final PinholeCamera camera;
  private final int width;
  private final int height;
  private final int tilesX;
  private final int tilesY;
  /** {@code (x - cx) / fx} per column and {@code (y - cy) / fy} per row. */
  private final double[] colA;
  private final double[] rowB;
  /** Candidate lists per tile, compressed: tile t holds {@code tileItems[tileStart[t] .. tileStart[t + 1])}. */
  private final int[] tileStart;
  private final int[] tileFill;
  private int[] tileItems = new int[4096];
  /** Screen rectangle per primitive, in tiles; {@code rectX0 < 0} when culled. */
  private int[] rectX0 = new int[0];
  private int[] rectX1 = new int[0];
  private int[] rectY0 = new int[0];
  private int[] rectY1 = new int[0];
  /** Smallest z-depth any point of each primitive can have (its box's nearest corner); 0 if unbounded. */
  private double[] primNear = new double[0];
  /** Visible primitives as {@code (float bits of primNear) << 32 | index}, sorted near to far. */
  private long[] order = new long[0];
  private final double[] cornerX = new double[8];
  private final double[] cornerY = new double[8];
  private final double[] cornerZ = new double[8];
  private final double[] bounds = new double[4];
  /** Set by {@link #project}: the nearest corner's z-depth of the projected box. */
  private double nearestZ;
  private final double[] surface = new double[6];
  private final double[] albedo = new double[3];

  // Camera basis of the current frame (world frame).
  private double fX;
  private double fY;
  private double fZ;
  private double rX;
  private double rZ;
  private double dnX;
  private double dnY;
  private double dnZ;

  public SceneRenderer(PinholeCamera camera) {
    if (camera == null) {
      throw new IllegalArgumentException("camera must not be null");
    }
    this.camera = camera;
    this.width = camera.width();
    this.height = camera.height();
    this.tilesX = (width + TILE - 1) / TILE;
    this.tilesY = (height + TILE - 1) / TILE;
    this.colA = new double[width];
    this.rowB = new double[height];
    for (int x = 0; x < width; x++) {
      colA[x] = (x - camera.cx()) / camera.fx();
    }
    for (int y = 0; y < height; y++) {
      rowB[y] = (y - camera.cy()) / camera.fy();
    }
    this.tileStart = new int[tilesX * tilesY + 1];
    this.tileFill = new int[tilesX * tilesY];
  }

  public PinholeCamera camera() {
    return camera;
  }

  /**
   * Renders {@code primitives[0 .. count)} seen from {@code pose}.
   *
   * @param depthOut receives z-depth in metres, 0 = no measurement; must match the camera's size
   * @param rgbOut receives interleaved RGB bytes ({@code 3 * width * height}), or {@code null} for depth only
   * @throws IllegalArgumentException if an output does not match the camera's size or {@code count} is out of range
   */
  public void render(Primitive[] primitives, int count, CameraPose pose, RenderSettings settings, DepthMap depthOut,
      byte[] rgbOut) {
    if (primitives == null || pose == null || settings == null) {
      throw new IllegalArgumentException("primitives, pose and settings must not be null");
    }
    if (depthOut == null || depthOut.width() != width || depthOut.height() != height) {
      throw new IllegalArgumentException("depth output must be " + width + "x" + height + " (the camera's size), got "
          + (depthOut == null ? "null" : depthOut.width() + "x" + depthOut.height()));
    }
    if (rgbOut != null && rgbOut.length != 3 * width * height) {
      throw new IllegalArgumentException("rgb output must hold 3*" + width + "*" + height + " = " + (3 * width * height)
          + " bytes, got " + rgbOut.length);
    }
    if (count < 0 || count > primitives.length) {
      throw new IllegalArgumentException("primitive count " + count + " outside [0, " + primitives.length + "]");
    }
    setBasis(pose);
    bin(primitives, count, pose, settings);
    float[] depth = depthOut.data();
    double ox = pose.x();
    double oy = pose.y();
    double oz = pose.z();
    double near = settings.nearClip();
    double far = settings.renderDistance();
    double maxRange = settings.maxRange();
    for (int ty = 0; ty < tilesY; ty++) {
      int y0 = ty * TILE;
      int y1 = Math.min(y0 + TILE, height);
      for (int tx = 0; tx < tilesX; tx++) {
        int tile = ty * tilesX + tx;
        int from = tileStart[tile];
        int to = tileStart[tile + 1];
        int x0 = tx * TILE;
        int x1 = Math.min(x0 + TILE, width);
        for (int y = y0; y < y1; y++) {
          double b = rowB[y];
          double bx = fX + b * dnX;
          double by = fY + b * dnY;
          double bz = fZ + b * dnZ;
          for (int x = x0; x < x1; x++) {
            double a = colA[x];
            double dx = Primitive.nonZero(bx + a * rX);
            double dy = Primitive.nonZero(by);
            double dz = Primitive.nonZero(bz + a * rZ);
            double idx = 1.0 / dx;
            double idy = 1.0 / dy;
            double idz = 1.0 / dz;
            double best = far;
            int hit = -1;
            for (int i = from; i < to; i++) {
              int k = tileItems[i];
              if (primNear[k] >= best) {
                // Lists are sorted near to far: nothing after this can be nearer than the hit we have.
                break;
              }
              double t = primitives[k].intersect(ox, oy, oz, dx, dy, dz, idx, idy, idz, near);
              if (t < best) {
                best = t;
                hit = k;
              }
            }
            int index = y * width + x;
            depth[index] = hit >= 0 && best <= maxRange ? (float) best : 0f;
            if (rgbOut != null) {
              shade(hit < 0 ? null : primitives[hit], best, ox, oy, oz, dx, dy, dz, settings, rgbOut, 3 * index);
            }
          }
        }
      }
    }
  }

  private void setBasis(CameraPose pose) {
    // StrictMath: the same pose gives bit-identical rays (and depth) on every JVM and platform.
    double sy = StrictMath.sin(pose.yaw());
    double cy = StrictMath.cos(pose.yaw());
    double sp = StrictMath.sin(pose.pitch());
    double cp = StrictMath.cos(pose.pitch());
    fX = sy * cp;
    fY = sp;
    fZ = cy * cp;
    rX = cy;
    rZ = -sy;
    // down = -(d forward / d pitch)
    dnX = sy * sp;
    dnY = -cp;
    dnZ = cy * sp;
  }

  /** Culls and bins the primitives into tiles (two passes: count, then fill). */
  private void bin(Primitive[] primitives, int count, CameraPose pose, RenderSettings settings) {
    if (rectX0.length < count) {
      int n = Math.max(count, 2 * rectX0.length);
      rectX0 = new int[n];
      rectX1 = new int[n];
      rectY0 = new int[n];
      rectY1 = new int[n];
      primNear = new double[n];
      order = new long[n];
    }
    int tiles = tilesX * tilesY;
    Arrays.fill(tileFill, 0);
    long total = 0;
    int visible = 0;
    for (int i = 0; i < count; i++) {
      Primitive p = primitives[i];
      if (p == null) {
        throw new IllegalArgumentException("primitive " + i + " is null");
      }
      if (!p.bounded) {
        rectX0[i] = 0;
        rectX1[i] = tilesX - 1;
        rectY0[i] = 0;
        rectY1[i] = tilesY - 1;
        primNear[i] = 0;
      } else if (!project(p, pose, settings)) {
        rectX0[i] = -1;
        continue;
      } else {
        rectX0[i] = (int) bounds[0] / TILE;
        rectX1[i] = (int) bounds[1] / TILE;
        rectY0[i] = (int) bounds[2] / TILE;
        rectY1[i] = (int) bounds[3] / TILE;
        // Rounded down to a float, so that the sort key and the early-exit bound are the same number.
        float f = (float) Math.max(0, nearestZ);
        primNear[i] = f > nearestZ ? Math.nextDown(f) : f;
      }
      // Non-negative floats order like their bit patterns; the index breaks ties, so the order is deterministic.
      order[visible++] = ((long) Float.floatToRawIntBits((float) primNear[i]) << 32) | i;
      for (int ty = rectY0[i]; ty <= rectY1[i]; ty++) {
        for (int tx = rectX0[i]; tx <= rectX1[i]; tx++) {
          tileFill[ty * tilesX + tx]++;
        }
      }
      total += (long) (rectX1[i] - rectX0[i] + 1) * (rectY1[i] - rectY0[i] + 1);
    }
    if (tileItems.length < total) {
      tileItems = new int[(int) Math.max(total, 2L * tileItems.length)];
    }
    int start = 0;
    for (int t = 0; t < tiles; t++) {
      tileStart[t] = start;
      start += tileFill[t];
      tileFill[t] = tileStart[t];
    }
    tileStart[tiles] = start;
    // Filling near to far makes every tile's list sorted too, which lets the pixel loop stop early.
    Arrays.sort(order, 0, visible);
    for (int j = 0; j < visible; j++) {
      int i = (int) order[j];
      for (int ty = rectY0[i]; ty <= rectY1[i]; ty++) {
        for (int tx = rectX0[i]; tx <= rectX1[i]; tx++) {
          tileItems[tileFill[ty * tilesX + tx]++] = i;
        }
      }
    }
  }

  /**
   * Projects the world box of {@code p} to a pixel rectangle {@code bounds = [x0, x1, y0, y1]} (inclusive, with a
   * one-pixel margin). The box is clipped to {@code z >= nearClip} first: its visible part is the convex hull of
   * the corners in front and the points where its 12 edges cross the near plane.
   *
   * @return false if nothing of the box can be seen
   */
  private boolean project(Primitive p, CameraPose pose, RenderSettings settings) {
    double near = settings.nearClip();
    double minZc = Double.POSITIVE_INFINITY;
    double maxZc = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < 8; c++) {
      double wx = ((c & 1) == 0 ? p.minX : p.maxX) - pose.x();
      double wy = ((c & 2) == 0 ? p.minY : p.maxY) - pose.y();
      double wz = ((c & 4) == 0 ? p.minZ : p.maxZ) - pose.z();
      double zc = wx * fX + wy * fY + wz * fZ;
      cornerX[c] = wx * rX + wz * rZ;
      cornerY[c] = wx * dnX + wy * dnY + wz * dnZ;
      cornerZ[c] = zc;
      minZc = Math.min(minZc, zc);
      maxZc = Math.max(maxZc, zc);
    }
    if (maxZc <= near || minZc >= settings.renderDistance()) {
      return false;
    }
    nearestZ = minZc;
    double uMin = Double.POSITIVE_INFINITY;
    double uMax = Double.NEGATIVE_INFINITY;
    double vMin = Double.POSITIVE_INFINITY;
    double vMax = Double.NEGATIVE_INFINITY;
    double fx = camera.fx();
    double fy = camera.fy();
    for (int c = 0; c < 8; c++) {
      if (cornerZ[c] >= near) {
        double u = fx * cornerX[c] / cornerZ[c];
        double v = fy * cornerY[c] / cornerZ[c];
        uMin = Math.min(uMin, u);
        uMax = Math.max(uMax, u);
        vMin = Math.min(vMin, v);
        vMax = Math.max(vMax, v);
      }
      for (int bit = 1; bit < 8; bit <<= 1) {
        int c2 = c | bit;
        if (c2 == c || (cornerZ[c] - near) * (cornerZ[c2] - near) >= 0) {
          continue;
        }
        double s = (near - cornerZ[c]) / (cornerZ[c2] - cornerZ[c]);
        double u = fx * (cornerX[c] + s * (cornerX[c2] - cornerX[c])) / near;
        double v = fy * (cornerY[c] + s * (cornerY[c2] - cornerY[c])) / near;
        uMin = Math.min(uMin, u);
        uMax = Math.max(uMax, u);
        vMin = Math.min(vMin, v);
        vMax = Math.max(vMax, v);
      }
    }
    double x0 = Math.max(0, Math.floor(uMin + camera.cx()) - 1);
    double x1 = Math.min(width - 1, Math.ceil(uMax + camera.cx()) + 1);
    double y0 = Math.max(0, Math.floor(vMin + camera.cy()) - 1);
    double y1 = Math.min(height - 1, Math.ceil(vMax + camera.cy()) + 1);
    if (!(x0 <= x1 && y0 <= y1)) {
      return false;
    }
    bounds[0] = x0;
    bounds[1] = x1;
    bounds[2] = y0;
    bounds[3] = y1;
    return true;
  }

  private void shade(Primitive p, double t, double ox, double oy, double oz, double dx, double dy, double dz,
      RenderSettings s, byte[] rgb, int offset) {
    double r;
    double g;
    double b;
    int horizon = s.skyHorizon();
    double hr = ((horizon >> 16) & 0xff) / 255.0;
    double hg = ((horizon >> 8) & 0xff) / 255.0;
    double hb = (horizon & 0xff) / 255.0;
    double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (p == null) {
      // Sky: horizon colour blending into the zenith colour with the ray's elevation.
      double e = Math.max(0, Math.min(1, dy / len));
      int zenith = s.skyZenith();
      r = hr + e * (((zenith >> 16) & 0xff) / 255.0 - hr);
      g = hg + e * (((zenith >> 8) & 0xff) / 255.0 - hg);
      b = hb + e * ((zenith & 0xff) / 255.0 - hb);
    } else {
      Material m = p.surface(ox + t * dx, oy + t * dy, oz + t * dz, surface);
      double nx = surface[0];
      double ny = surface[1];
      double nz = surface[2];
      if (nx * dx + ny * dy + nz * dz > 0) {
        // Seen from behind (planes): light the side facing the camera.
        nx = -nx;
        ny = -ny;
        nz = -nz;
      }
      m.albedo(surface[3], surface[4], surface[5] != 0, albedo);
      double lambert = Math.max(0, nx * s.lightX() + ny * s.lightY() + nz * s.lightZ());
      double k = s.ambient() + (1 - s.ambient()) * lambert;
      r = albedo[0] * k;
      g = albedo[1] * k;
      b = albedo[2] * k;
      if (s.fogDistance() < Double.POSITIVE_INFINITY) {
        // Exponential fog exp(-L / D) by its second-order rational (Pade-like) form 1 / (1 + q + q^2 / 2):
        // close enough for looks, and plain arithmetic keeps the RGB bit-identical across platforms.
        double q = t * len / s.fogDistance();
        double f = 1 / (1 + q + 0.5 * q * q);
        r = r * f + hr * (1 - f);
        g = g * f + hg * (1 - f);
        b = b * f + hb * (1 - f);
      }
    }
    rgb[offset] = encode(r);
    rgb[offset + 1] = encode(g);
    rgb[offset + 2] = encode(b);
  }

  /** Gamma-2 encoding {@code round(255 * sqrt(linear))} tabulated on 8192 steps: three square roots per pixel saved. */
  private static final int GAMMA_STEPS = 8192;
  private static final byte[] GAMMA = new byte[GAMMA_STEPS + 1];

  static {
    for (int i = 0; i <= GAMMA_STEPS; i++) {
      GAMMA[i] = (byte) Math.round(255 * Math.sqrt((double) i / GAMMA_STEPS));
    }
  }

  private static byte encode(double linear) {
    if (!(linear > 0)) {
      return 0;
    }
    return linear >= 1 ? (byte) 255 : GAMMA[(int) (linear * GAMMA_STEPS + 0.5)];
  }
}
