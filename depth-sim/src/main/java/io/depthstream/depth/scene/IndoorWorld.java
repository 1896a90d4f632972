package io.depthstream.depth.scene;

import io.depthstream.depth.scene.Material.Texture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A procedural room: walls, floor and ceiling (one {@link Primitive#room}), furniture made of box unions
 * (tables, shelves, sofas, cabinets), balls, columns, pictures and rugs, and a camera that loops smoothly
 * through the free middle of the room. Everything follows from the seed.
 */
final class IndoorWorld implements SceneDrive.World {
  /** Frames per second of the drive (a handheld RGB-D camera). */
  static final double FRAME_RATE_HZ = 30;
  /** Frames per loop around the room (12 s). */
  static final int LOOP_FRAMES = 360;
  /** Free space kept around the camera path, metres. */
  private static final double CLEARANCE = 0.5;
  private static final int PATH_SAMPLES = 72;

  private final double width;
  private final double depth;
  private final double height;
  private final double pathAx;
  private final double pathAz;
  private final double cameraHeight;
  private final double direction;
  private final double phase;
  private final double yawAmp;
  private final double yawPhase;
  private final double pitchBase;
  private final double pitchPhase;
  private final Primitive[] primitives;
  private final double[] pathX = new double[PATH_SAMPLES];
  private final double[] pathZ = new double[PATH_SAMPLES];

  IndoorWorld(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    width = 4 + 4 * rng.nextDouble();
    depth = 4 + 5 * rng.nextDouble();
    height = 2.5 + 0.7 * rng.nextDouble();
    pathAx = width * (0.18 + 0.1 * rng.nextDouble());
    pathAz = depth * (0.18 + 0.1 * rng.nextDouble());
    cameraHeight = 1.1 + 0.5 * rng.nextDouble();
    direction = rng.nextBoolean() ? 1 : -1;
    phase = 2 * Math.PI * rng.nextDouble();
    yawAmp = 0.2 + 0.3 * rng.nextDouble();
    yawPhase = 2 * Math.PI * rng.nextDouble();
    pitchBase = -0.15 + 0.15 * rng.nextDouble();
    pitchPhase = 2 * Math.PI * rng.nextDouble();
    for (int i = 0; i < PATH_SAMPLES; i++) {
      double phi = 2 * Math.PI * i / PATH_SAMPLES;
      pathX[i] = width / 2 + pathAx * StrictMath.cos(phi);
      pathZ[i] = depth / 2 + pathAz * StrictMath.sin(phi);
    }
    PrimitiveList out = new PrimitiveList();
    out.add(Primitive.room(0, 0, 0, width, height, depth, roomMaterials(rng)));
    int items = 8 + rng.nextInt(9);
    for (int i = 0, attempts = 0; i < items && attempts < 400; attempts++) {
      if (placeItem(rng, out)) {
        i++;
      }
    }
    addWallDecor(rng, out);
    primitives = out.toArray();
  }

  private static Material[] roomMaterials(SplittableRandom rng) {
    double wallHue = rng.nextDouble();
    int wall = Palette.hsv(wallHue, 0.1 + 0.25 * rng.nextDouble(), 0.65 + 0.3 * rng.nextDouble());
    Material walls = rng.nextBoolean()
        ? Material.textured(Texture.STRIPES, wall, Palette.scale(wall, 0.85), 0.15 + 0.3 * rng.nextDouble())
        : Material.textured(Texture.NOISE, wall, wall, 0.05 + 0.1 * rng.nextDouble());
    Material accent = Material.textured(Texture.NOISE, Palette.near(rng, wallHue + 0.5, 0.1, 0.35, 0.7), 0, 0.08);
    int floorA = Palette.near(rng, 0.08, 0.04, 0.3 + 0.4 * rng.nextDouble(), 0.35 + 0.4 * rng.nextDouble());
    int floorB = rng.nextBoolean() ? Palette.scale(floorA, 0.7) : Palette.random(rng, 0, 0.2, 0.5, 0.9);
    Material floor = Material.textured(Texture.CHECKER, floorA, floorB, 0.3 + 0.5 * rng.nextDouble());
    Material ceiling = Material.textured(Texture.NOISE, Palette.hsv(0.12, 0.05, 0.92), 0, 0.3);
    // One accent wall, chosen by seed, so the four walls are not all alike.
    Material[] faces = {walls, walls, floor, ceiling, walls, walls};
    int accentWall = new int[] {0, 1, 4, 5}[rng.nextInt(4)];
    faces[accentWall] = accent;
    return faces;
  }

  /** Tries to place one item at a random free spot; returns whether it was placed. */
  private boolean placeItem(SplittableRandom rng, PrimitiveList out) {
    int kind = rng.nextInt(7);
    double yaw = rng.nextInt(3) == 0 ? 0 : (rng.nextDouble() - 0.5) * Math.PI;
    Furniture f = new Furniture(yaw);
    switch (kind) {
      case 0 -> cabinet(rng, f);
      case 1 -> table(rng, f);
      case 2 -> shelf(rng, f);
      case 3 -> sofa(rng, f);
      case 4 -> {
        double r = 0.1 + 0.3 * rng.nextDouble();
        f.sphere(0, r, 0, r, Material.textured(Texture.NOISE, Palette.random(rng, 0.5, 0.9, 0.5, 0.95), 0, r / 2));
        f.radius = r;
      }
      case 5 -> {
        double r = 0.12 + 0.25 * rng.nextDouble();
        double h = rng.nextBoolean() ? height : 0.4 + 0.7 * rng.nextDouble();
        f.cylinder(0, 0, h, r, Material.textured(Texture.NOISE, Palette.random(rng, 0, 0.4, 0.5, 0.9), 0, 0.1));
        f.radius = r;
      }
      default -> cabinet(rng, f);
    }
    double margin = f.radius + 0.02;
    if (2 * margin >= Math.min(width, depth)) {
      return false;
    }
    double x = margin + (width - 2 * margin) * rng.nextDouble();
    double z = margin + (depth - 2 * margin) * rng.nextDouble();
    for (int i = 0; i < PATH_SAMPLES; i++) {
      double ddx = pathX[i] - x;
      double ddz = pathZ[i] - z;
      if (ddx * ddx + ddz * ddz < (f.radius + CLEARANCE) * (f.radius + CLEARANCE)) {
        return false;
      }
    }
    f.emit(x, z, out);
    return true;
  }

  private void cabinet(SplittableRandom rng, Furniture f) {
    double w = 0.4 + 0.8 * rng.nextDouble();
    double d = 0.4 + 0.4 * rng.nextDouble();
    double h = 0.3 + 1.1 * rng.nextDouble();
    Material m = Material.textured(Texture.NOISE, Palette.random(rng, 0.1, 0.6, 0.3, 0.9), 0, 0.04);
    f.box(0, h / 2, 0, w / 2, h / 2, d / 2, m);
    if (rng.nextInt(3) == 0) {
      // A smaller crate stacked on top.
      double w2 = w * (0.4 + 0.4 * rng.nextDouble());
      double h2 = 0.2 + 0.3 * rng.nextDouble();
      f.box(0, h + h2 / 2, 0, w2 / 2, h2 / 2, d * 0.35, Material.plain(Palette.random(rng, 0.2, 0.7, 0.4, 0.9)));
    }
    f.radius = StrictMath.hypot(w, d) / 2;
  }

  private void table(SplittableRandom rng, Furniture f) {
    double w = 0.8 + 1.0 * rng.nextDouble();
    double d = 0.6 + 0.4 * rng.nextDouble();
    double h = 0.7 + 0.08 * rng.nextDouble();
    double top = 0.04;
    double leg = 0.03;
    Material wood = Material.textured(Texture.STRIPES, Palette.near(rng, 0.08, 0.03, 0.55, 0.55),
        Palette.near(rng, 0.08, 0.03, 0.6, 0.45), 0.04);
    f.box(0, h - top / 2, 0, w / 2, top / 2, d / 2, wood);
    for (int sx = -1; sx <= 1; sx += 2) {
      for (int sz = -1; sz <= 1; sz += 2) {
        f.box(sx * (w / 2 - 0.05), (h - top) / 2, sz * (d / 2 - 0.05), leg, (h - top) / 2, leg, wood);
      }
    }
    if (rng.nextBoolean()) {
      double r = 0.05 + 0.1 * rng.nextDouble();
      f.sphere((rng.nextDouble() - 0.5) * (w - 2 * r), h + r, (rng.nextDouble() - 0.5) * (d - 2 * r), r,
          Material.plain(Palette.random(rng, 0.5, 1, 0.6, 1)));
    }
    f.radius = StrictMath.hypot(w, d) / 2;
  }

  private void shelf(SplittableRandom rng, Furniture f) {
    double w = 0.8 + 0.8 * rng.nextDouble();
    double d = 0.3 + 0.15 * rng.nextDouble();
    double h = 1.2 + Math.min(0.8, height - 1.4) * rng.nextDouble();
    double t = 0.02;
    Material m = Material.textured(Texture.NOISE, Palette.random(rng, 0.1, 0.5, 0.3, 0.85), 0, 0.03);
    f.box(-w / 2 + t, h / 2, 0, t, h / 2, d / 2, m);
    f.box(w / 2 - t, h / 2, 0, t, h / 2, d / 2, m);
    f.box(0, h / 2, -d / 2 + t / 2, w / 2, h / 2, t / 2, m);
    int boards = 3 + rng.nextInt(3);
    for (int i = 0; i < boards; i++) {
      double y = 0.05 + (h - 0.07) * i / (boards - 1);
      f.box(0, y, 0, w / 2 - 2 * t, t, d / 2, m);
      if (i < boards - 1 && rng.nextBoolean()) {
        // Books: a block on the board, sized to the gap.
        double gap = (h - 0.07) / (boards - 1) - 2 * t;
        double bw = w * (0.2 + 0.4 * rng.nextDouble());
        double bh = gap * (0.5 + 0.4 * rng.nextDouble());
        f.box((rng.nextDouble() - 0.5) * (w - bw - 4 * t), y + t + bh / 2, 0, bw / 2, bh / 2, d * 0.4,
            Material.textured(Texture.STRIPES, Palette.random(rng, 0.4, 0.9, 0.3, 0.9),
                Palette.random(rng, 0.4, 0.9, 0.3, 0.9), 0.06));
      }
    }
    f.radius = StrictMath.hypot(w, d) / 2;
  }

  private void sofa(SplittableRandom rng, Furniture f) {
    double w = 1.4 + 0.8 * rng.nextDouble();
    double d = 0.8 + 0.2 * rng.nextDouble();
    Material m = Material.textured(Texture.NOISE, Palette.random(rng, 0.2, 0.7, 0.3, 0.8), 0, 0.05);
    f.box(0, 0.22, 0.05, w / 2, 0.22, d / 2 - 0.05, m);
    f.box(0, 0.45, -d / 2 + 0.1, w / 2, 0.45, 0.1, m);
    f.box(-w / 2 + 0.1, 0.3, 0, 0.1, 0.3, d / 2, m);
    f.box(w / 2 - 0.1, 0.3, 0, 0.1, 0.3, d / 2, m);
    f.radius = StrictMath.hypot(w, d) / 2;
  }

  /** Pictures and a door on the walls, a rug on the floor: small depth steps and colour edges. */
  private void addWallDecor(SplittableRandom rng, PrimitiveList out) {
    int pictures = 2 + rng.nextInt(4);
    for (int i = 0; i < pictures; i++) {
      double w = 0.3 + 0.7 * rng.nextDouble();
      double h = 0.3 + 0.5 * rng.nextDouble();
      double y = 1.2 + (height - 1.6 - h / 2) * rng.nextDouble();
      Material m = Material.textured(Texture.CHECKER, Palette.random(rng, 0.3, 0.9, 0.3, 0.9),
          Palette.random(rng, 0.3, 0.9, 0.3, 0.9), 0.05 + 0.2 * rng.nextDouble());
      wallPanel(rng, out, w, y - h / 2, y + h / 2, 0.03, m);
    }
    Material door = Material.textured(Texture.NOISE, Palette.near(rng, 0.08, 0.04, 0.5, 0.45), 0, 0.05);
    wallPanel(rng, out, 0.9, 0, 2.05, 0.04, door);
    double rw = 1 + 1.5 * rng.nextDouble();
    double rd = 0.8 + 1.2 * rng.nextDouble();
    double rx = width / 2 + (rng.nextDouble() - 0.5) * (width - rw);
    double rz = depth / 2 + (rng.nextDouble() - 0.5) * (depth - rd);
    out.add(Primitive.box(rx - rw / 2, 0, rz - rd / 2, rx + rw / 2, 0.01, rz + rd / 2,
        Material.textured(Texture.STRIPES, Palette.random(rng, 0.4, 0.8, 0.3, 0.7),
            Palette.random(rng, 0.4, 0.8, 0.3, 0.7), 0.1 + 0.2 * rng.nextDouble())));
  }

  /** A thin panel of width {@code w} standing out {@code t} metres from a random wall, from y0 to y1. */
  private void wallPanel(SplittableRandom rng, PrimitiveList out, double w, double y0, double y1, double t,
      Material m) {
    int wall = rng.nextInt(4);
    double along = wall < 2 ? depth : width;
    if (w >= along - 0.2) {
      return;
    }
    double s = 0.1 + w / 2 + (along - w - 0.2) * rng.nextDouble();
    switch (wall) {
      case 0 -> out.add(Primitive.box(0, y0, s - w / 2, t, y1, s + w / 2, m));
      case 1 -> out.add(Primitive.box(width - t, y0, s - w / 2, width, y1, s + w / 2, m));
      case 2 -> out.add(Primitive.box(s - w / 2, y0, 0, s + w / 2, y1, t, m));
      default -> out.add(Primitive.box(s - w / 2, y0, depth - t, s + w / 2, y1, depth, m));
    }
  }

  @Override
  public RenderSettings settings() {
    return RenderSettings.indoor();
  }

  @Override
  public double frameRateHz() {
    return FRAME_RATE_HZ;
  }

  /**
   * The camera moves around an ellipse through the middle of the room (one loop every {@link #LOOP_FRAMES}
   * frames), looking along the path with a slow yaw swing towards and away from the centre, bobbing gently.
   */
  @Override
  public CameraPose pose(int frame) {
    double phi = phase + direction * 2 * Math.PI * frame / LOOP_FRAMES;
    double c = StrictMath.cos(phi);
    double s = StrictMath.sin(phi);
    double x = width / 2 + pathAx * c;
    double z = depth / 2 + pathAz * s;
    double y = cameraHeight + 0.05 * StrictMath.sin(3 * phi);
    // Heading along the tangent d(pos)/d(frame); forward is (sin yaw, cos yaw) in xz.
    double tx = -direction * pathAx * s;
    double tz = direction * pathAz * c;
    double yaw = StrictMath.atan2(tx, tz) + yawAmp * StrictMath.sin(2 * phi + yawPhase);
    double pitch = pitchBase + 0.08 * StrictMath.sin(3 * phi + pitchPhase);
    return new CameraPose(x, y, z, yaw, pitch);
  }

  @Override
  public void collect(int frame, CameraPose pose, PrimitiveList out) {
    out.addAll(primitives);
  }

  /** Parts of one item in its own frame (origin on the floor at its centre), rotated by a shared yaw. */
  private static final class Furniture {
    private final double yaw;
    private final double cos;
    private final double sin;
    /** Parts in the item frame: kind (0 box, 1 sphere, 2 cylinder), centre x, y, z, then sizes a, b, c. */
    private final List<double[]> specs = new ArrayList<>();
    private final List<Material> materials = new ArrayList<>();
    double radius;

    Furniture(double yaw) {
      this.yaw = yaw;
      this.cos = StrictMath.cos(yaw);
      this.sin = StrictMath.sin(yaw);
    }

    void box(double x, double y, double z, double hx, double hy, double hz, Material m) {
      add(0, x, y, z, hx, hy, hz, m);
    }

    void sphere(double x, double y, double z, double r, Material m) {
      add(1, x, y, z, r, 0, 0, m);
    }

    void cylinder(double x, double z, double h, double r, Material m) {
      add(2, x, h, z, r, 0, 0, m);
    }

    private void add(int kind, double x, double y, double z, double a, double b, double c, Material m) {
      specs.add(new double[] {kind, x, y, z, a, b, c});
      materials.add(m);
    }

    /** Places the item with its origin at {@code (x, 0, z)}: world = origin + R(yaw) local. */
    void emit(double x, double z, PrimitiveList out) {
      for (int i = 0; i < specs.size(); i++) {
        double[] s = specs.get(i);
        double wx = x + cos * s[1] + sin * s[3];
        double wz = z - sin * s[1] + cos * s[3];
        Material m = materials.get(i);
        switch ((int) s[0]) {
          case 0 -> out.add(Primitive.rotatedBox(wx, s[2], wz, s[4], s[5], s[6], yaw, m));
          case 1 -> out.add(Primitive.sphere(wx, s[2], wz, s[4], m));
          default -> out.add(Primitive.cylinder(wx, wz, 0, s[2], s[4], m));
        }
      }
    }
  }
}
