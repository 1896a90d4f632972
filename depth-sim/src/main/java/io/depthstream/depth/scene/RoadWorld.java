package io.depthstream.depth.scene;

import io.depthstream.depth.scene.Material.Texture;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A procedural street along +z: a two-way road with lane markings, parking lanes with parked cars, raised
 * sidewalks with street lights and trees, buildings on both sides, queued cars in the oncoming lane, and a
 * lead car ahead in the ego lane. The camera drives along the right lane at a constant speed with small sway,
 * yaw and pitch wobble.
 *
 * <p>The street is infinite: it is made of {@link #SEGMENT}-metre segments, each generated from
 * {@code (seed, segment index)} alone, so any frame renders the same whatever was rendered before it.
 */
final class RoadWorld implements SceneDrive.World {
  /** Frames per second of the drive (KITTI's 10 Hz). */
  static final double FRAME_RATE_HZ = 10;
  /** Length of one independently generated street segment, metres. */
  static final double SEGMENT = 40;
  static final double LANE = 3.5;
  static final double PARKING = 2.2;
  /** Half width of the carriageway (driving lane plus parking lane), metres. */
  static final double ROAD_HALF = LANE + PARKING;
  /** Camera height above the road, metres (KITTI's camera is at 1.65 m). */
  static final double CAMERA_HEIGHT = 1.65;
  private static final int CACHE = 8;

  private final long seed;
  private final double speed;
  private final double sidewalk;
  private final double[] wobblePhase = new double[6];
  private final Material road;
  private final Material paving;
  private final Primitive ground;
  private final Primitive[] leadCar;
  private final double renderDistance;
  private final long[] cachedIndex = new long[CACHE];
  private final Primitive[][] cachedSegment = new Primitive[CACHE][];

  RoadWorld(long seed) {
    this.seed = seed;
    SplittableRandom rng = new SplittableRandom(seed);
    speed = 8 + 6 * rng.nextDouble();
    sidewalk = 2.5 + 1.5 * rng.nextDouble();
    for (int i = 0; i < wobblePhase.length; i++) {
      wobblePhase[i] = 2 * Math.PI * rng.nextDouble();
    }
    road = Material.textured(Texture.ROAD, Palette.hsv(0.6, 0.05, 0.22 + 0.1 * rng.nextDouble()), 0xe8e8e0, LANE);
    int slab = Palette.hsv(0.1, 0.05, 0.5 + 0.2 * rng.nextDouble());
    paving = Material.textured(Texture.CHECKER, slab, Palette.scale(slab, 0.85), 0.5);
    ground = Primitive.plane(0, 1, 0, -0.01,
        Material.textured(Texture.NOISE, Palette.hsv(0.25 + 0.08 * rng.nextDouble(), 0.5, 0.35), 0, 0.5));
    PrimitiveList lead = new PrimitiveList();
    car(rng, 0, 0, 0, lead);
    leadCar = lead.toArray();
    renderDistance = settings().renderDistance();
    Arrays.fill(cachedIndex, Long.MIN_VALUE);
  }

  @Override
  public RenderSettings settings() {
    return RenderSettings.road();
  }

  @Override
  public double frameRateHz() {
    return FRAME_RATE_HZ;
  }

  /** Driving speed, metres per second (8 to 14, from the seed). */
  double speed() {
    return speed;
  }

  @Override
  public CameraPose pose(int frame) {
    double t = frame / FRAME_RATE_HZ;
    double[] p = wobblePhase;
    double x = LANE / 2 + 0.25 * StrictMath.sin(0.35 * t + p[0]);
    double y = CAMERA_HEIGHT + 0.015 * StrictMath.sin(7 * t + p[1]);
    double yaw = 0.025 * StrictMath.sin(0.5 * t + p[2]) + 0.01 * StrictMath.sin(1.7 * t + p[3]);
    double pitch = 0.012 * StrictMath.sin(0.9 * t + p[4]) + 0.004 * StrictMath.sin(5.3 * t + p[5]);
    return new CameraPose(x, y, speed * t, yaw, pitch);
  }

  @Override
  public void collect(int frame, CameraPose pose, PrimitiveList out) {
    out.add(ground);
    long first = (long) Math.floor((pose.z() - 15) / SEGMENT);
    long last = (long) Math.floor((pose.z() + renderDistance) / SEGMENT);
    for (long k = first; k <= last; k++) {
      out.addAll(segment(k));
    }
    // The lead car keeps 12 to 20 m ahead, easing in and out.
    double t = frame / FRAME_RATE_HZ;
    double gap = 16 + 4 * StrictMath.sin(0.15 * t + wobblePhase[0]);
    double z = pose.z() + gap;
    for (Primitive part : leadCar) {
      out.add(part.translated(LANE / 2, 0, z));
    }
  }

  /** The primitives of segment {@code k} (z from {@code k * SEGMENT}), from a small cache. */
  Primitive[] segment(long k) {
    int slot = (int) Math.floorMod(k, (long) CACHE);
    if (cachedIndex[slot] != k) {
      cachedSegment[slot] = generate(k);
      cachedIndex[slot] = k;
    }
    return cachedSegment[slot];
  }

  private Primitive[] generate(long k) {
    SplittableRandom rng = new SplittableRandom(seed ^ (k * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L));
    PrimitiveList out = new PrimitiveList();
    double z0 = k * SEGMENT;
    double z1 = z0 + SEGMENT;
    out.add(Primitive.box(-ROAD_HALF, -0.05, z0, ROAD_HALF, 0, z1, road));
    out.add(Primitive.box(ROAD_HALF, -0.05, z0, ROAD_HALF + sidewalk, 0.15, z1, paving));
    out.add(Primitive.box(-ROAD_HALF - sidewalk, -0.05, z0, -ROAD_HALF, 0.15, z1, paving));
    for (int side = -1; side <= 1; side += 2) {
      buildings(rng, side, z0, z1, out);
      streetLights(rng, side, z0, z1, out);
      trees(rng, side, z0, z1, out);
      parkedCars(rng, side, z0, z1, out);
    }
    if (rng.nextBoolean()) {
      // Stopped traffic in the oncoming lane.
      double z = z0 + SEGMENT * rng.nextDouble();
      car(rng, -LANE / 2 + 0.3 * (rng.nextDouble() - 0.5), z, Math.PI + 0.03 * (rng.nextDouble() - 0.5), out);
    }
    return out.toArray();
  }

  private void buildings(SplittableRandom rng, int side, double z0, double z1, PrimitiveList out) {
    double z = z0 + 3 * rng.nextDouble();
    while (z < z1) {
      double w = 6 + 14 * rng.nextDouble();
      if (rng.nextInt(7) == 0) {
        z += 4 + 8 * rng.nextDouble();
        continue;
      }
      double depth = 8 + 10 * rng.nextDouble();
      double h = rng.nextInt(10) < 3 ? 4 + 4 * rng.nextDouble() : 8 + 20 * rng.nextDouble();
      double yaw = rng.nextInt(5) == 0 ? 0.24 * (rng.nextDouble() - 0.5) : 0;
      // A turned building's corner comes closer by |sin(yaw)| * w / 2; keep it off the sidewalk.
      double near = ROAD_HALF + sidewalk + 0.5 + 3 * rng.nextDouble() + Math.abs(StrictMath.sin(yaw)) * w / 2;
      double cx = side * (near + depth / 2);
      int facade = Palette.random(rng, 0.05, 0.35, 0.45, 0.9);
      int glass = Palette.hsv(0.58 + 0.06 * rng.nextDouble(), 0.3, 0.25 + 0.2 * rng.nextDouble());
      Material m = Material.textured(Texture.WINDOWS, facade, glass, 2.5 + rng.nextDouble());
      out.add(Primitive.rotatedBox(cx, h / 2, z + w / 2, depth / 2, h / 2, w / 2, yaw, m));
      z += w + 2 * rng.nextDouble();
    }
  }

  private static void streetLights(SplittableRandom rng, int side, double z0, double z1, PrimitiveList out) {
    Material metal = Material.plain(0x6a6e72);
    for (double z = z0 + 10 * rng.nextDouble(); z < z1; z += 20 + 10 * rng.nextDouble()) {
      double x = side * (ROAD_HALF + 0.4);
      double h = 6 + 2 * rng.nextDouble();
      out.add(Primitive.cylinder(x, z, 0, h, 0.1, metal));
      // The arm reaches over the parking lane.
      double x2 = x - side * 1.8;
      out.add(Primitive.box(Math.min(x, x2), h - 0.15, z - 0.08, Math.max(x, x2), h, z + 0.08, metal));
    }
  }

  private void trees(SplittableRandom rng, int side, double z0, double z1, PrimitiveList out) {
    for (double z = z0 + 8 * rng.nextDouble(); z < z1; z += 8 + 8 * rng.nextDouble()) {
      if (rng.nextInt(5) < 2) {
        continue;
      }
      double x = side * (ROAD_HALF + sidewalk - 0.7);
      double trunk = 2.2 + 1.5 * rng.nextDouble();
      double r = 1.2 + 0.8 * rng.nextDouble();
      out.add(Primitive.cylinder(x, z, 0.15, trunk, 0.12 + 0.08 * rng.nextDouble(),
          Material.textured(Texture.NOISE, 0x5a4030, 0, 0.1)));
      out.add(Primitive.sphere(x, trunk + 0.7 * r, z, r,
          Material.textured(Texture.NOISE, Palette.hsv(0.22 + 0.1 * rng.nextDouble(), 0.6, 0.4), 0, 0.3)));
    }
  }

  private static void parkedCars(SplittableRandom rng, int side, double z0, double z1, PrimitiveList out) {
    double z = z0 + 6 * rng.nextDouble();
    while (z < z1) {
      if (rng.nextInt(20) < 11) {
        double yaw = (side > 0 ? 0 : Math.PI) + 0.08 * (rng.nextDouble() - 0.5);
        double x = side * (LANE + PARKING / 2 - 0.05 + 0.1 * rng.nextDouble());
        z += 2.5;
        car(rng, x, z, yaw, out);
        z += 2.5 + 1 + 5 * rng.nextDouble();
      } else {
        z += 5 + 5 * rng.nextDouble();
      }
    }
  }

  /**
   * A car centred at {@code (x, 0, z)} facing {@code yaw}: a body box over a dark, inset underbody, and for
   * most cars a cabin box stacked on the body (vans and SUVs are one tall box).
   */
  static void car(SplittableRandom rng, double x, double z, double yaw, PrimitiveList out) {
    double length = 3.8 + 1.0 * rng.nextDouble();
    double width = 1.7 + 0.2 * rng.nextDouble();
    double cos = StrictMath.cos(yaw);
    double sin = StrictMath.sin(yaw);
    Material paint = Material.plain(Palette.random(rng, 0.3, 0.9, 0.25, 0.95));
    Material glass = Material.plain(0x1c232c);
    // Local frame: x across the car, z along it (front at +z); world = c + R(yaw) local.
    out.add(Primitive.rotatedBox(x, 0.2, z, width / 2 - 0.12, 0.1, length / 2 - 0.4, yaw, Material.plain(0x141414)));
    if (rng.nextInt(4) == 0) {
      double top = 1.7 + 0.3 * rng.nextDouble();
      out.add(Primitive.rotatedBox(x, (0.3 + top) / 2, z, width / 2, (top - 0.3) / 2, length / 2, yaw, paint));
      return;
    }
    out.add(Primitive.rotatedBox(x, 0.65, z, width / 2, 0.35, length / 2, yaw, paint));
    double cabin = length * (0.45 + 0.1 * rng.nextDouble());
    double shift = -0.08 * length;
    double cx = x + sin * shift;
    double cz = z + cos * shift;
    out.add(Primitive.rotatedBox(cx, 1.0 + 0.22, cz, width / 2 - 0.08, 0.22, cabin / 2, yaw, glass));
  }
}
