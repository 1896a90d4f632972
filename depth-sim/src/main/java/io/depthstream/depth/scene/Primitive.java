package io.depthstream.depth.scene;

/**
 * One analytic surface of a synthetic scene: a box (axis-aligned or rotated about the vertical axis), a
 * sphere, a vertical cylinder with caps, an infinite plane, or a room (the inside of a box, seen from within).
 * Coordinates are metres in the world frame of {@link CameraPose} (y up).
 *
 * <p>Rays are intersected in the form {@code o + t d} where {@code d} is the camera ray scaled so that its
 * component along the optical axis is 1; the returned {@code t} is therefore the z-depth directly (see
 * {@link SceneRenderer}). Immutable; scenes share instances across threads.
 */
public final class Primitive {
  static final int BOX = 0;
  static final int ROTATED_BOX = 1;
  static final int SPHERE = 2;
  static final int CYLINDER = 3;
  static final int PLANE = 4;
  static final int ROOM = 5;

  static final double MISS = Double.POSITIVE_INFINITY;

  final int type;
  /** Centre (boxes, spheres; cylinders use cx, cz), metres. */
  final double cx;
  final double cy;
  final double cz;
  /** Half extents along the local axes (boxes), metres. */
  final double hx;
  final double hy;
  final double hz;
  /** Yaw of a rotated box: local x maps to world (cos, 0, -sin), local z to (sin, 0, cos). */
  final double cos;
  final double sin;
  /** Sphere or cylinder radius, metres. */
  final double radius;
  /** Plane normal (unit) and offset: the plane is n . p = d. */
  final double nx;
  final double ny;
  final double nz;
  final double d;
  /** World-space axis-aligned bounds (boxes use them as slabs; all bounded types use them for culling). */
  final double minX;
  final double minY;
  final double minZ;
  final double maxX;
  final double maxY;
  final double maxZ;
  final boolean bounded;
  final Material material;
  /** Room faces in the order -x, +x, -y (floor), +y (ceiling), -z, +z. */
  private final Material[] faces;

  private Primitive(int type, double cx, double cy, double cz, double hx, double hy, double hz, double cos,
      double sin, double radius, double nx, double ny, double nz, double d, boolean bounded, Material material,
      Material[] faces) {
    if (material == null) {
      throw new IllegalArgumentException("material must not be null");
    }
    checkFinite(cx, cy, cz, hx, hy, hz, cos, sin, radius, nx, ny, nz, d);
    this.type = type;
    this.cx = cx;
    this.cy = cy;
    this.cz = cz;
    this.hx = hx;
    this.hy = hy;
    this.hz = hz;
    this.cos = cos;
    this.sin = sin;
    this.radius = radius;
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.d = d;
    this.bounded = bounded;
    this.material = material;
    this.faces = faces;
    // World bounds of the (possibly rotated) shape: |cos| hx + |sin| hz along x, and so on.
    double ex;
    double ez;
    switch (type) {
      case SPHERE, CYLINDER -> {
        ex = radius;
        ez = radius;
      }
      default -> {
        ex = Math.abs(this.cos) * hx + Math.abs(this.sin) * hz;
        ez = Math.abs(this.sin) * hx + Math.abs(this.cos) * hz;
      }
    }
    double ey = type == SPHERE ? radius : hy;
    this.minX = cx - ex;
    this.maxX = cx + ex;
    this.minY = cy - ey;
    this.maxY = cy + ey;
    this.minZ = cz - ez;
    this.maxZ = cz + ez;
  }

  private static void checkFinite(double... values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("primitive parameters must be finite, got " + v);
      }
    }
  }

  private static void checkPositive(String what, double v) {
    if (!(v > 0)) {
      throw new IllegalArgumentException(what + " must be positive metres, got " + v);
    }
  }

  /** An axis-aligned box spanning {@code [minX, maxX] x [minY, maxY] x [minZ, maxZ]} metres. */
  public static Primitive box(double minX, double minY, double minZ, double maxX, double maxY, double maxZ,
      Material material) {
    checkPositive("box width (maxX - minX)", maxX - minX);
    checkPositive("box height (maxY - minY)", maxY - minY);
    checkPositive("box depth (maxZ - minZ)", maxZ - minZ);
    return new Primitive(BOX, (minX + maxX) / 2, (minY + maxY) / 2, (minZ + maxZ) / 2, (maxX - minX) / 2,
        (maxY - minY) / 2, (maxZ - minZ) / 2, 1, 0, 0, 0, 0, 0, 0, true, material, null);
  }

  /**
   * A box rotated by {@code yaw} radians about the vertical axis through its centre (same sense as
   * {@link CameraPose#yaw()}); half extents are along its own axes, metres. A zero yaw gives a plain box.
   */
  public static Primitive rotatedBox(double cx, double cy, double cz, double halfX, double halfY, double halfZ,
      double yaw, Material material) {
    checkPositive("box half extent x", halfX);
    checkPositive("box half extent y", halfY);
    checkPositive("box half extent z", halfZ);
    if (yaw == 0) {
      return new Primitive(BOX, cx, cy, cz, halfX, halfY, halfZ, 1, 0, 0, 0, 0, 0, 0, true, material, null);
    }
    // StrictMath: the same yaw gives bit-identical scenes on every platform.
    return new Primitive(ROTATED_BOX, cx, cy, cz, halfX, halfY, halfZ, StrictMath.cos(yaw), StrictMath.sin(yaw), 0, 0,
        0, 0, 0, true, material, null);
  }

  /** A sphere of centre {@code (cx, cy, cz)} and radius {@code r}, metres. */
  public static Primitive sphere(double cx, double cy, double cz, double r, Material material) {
    checkPositive("sphere radius", r);
    return new Primitive(SPHERE, cx, cy, cz, 0, 0, 0, 1, 0, r, 0, 0, 0, 0, true, material, null);
  }

  /** A vertical cylinder of axis {@code (cx, ., cz)} from height {@code y0} to {@code y1}, capped, metres. */
  public static Primitive cylinder(double cx, double cz, double y0, double y1, double r, Material material) {
    checkPositive("cylinder radius", r);
    checkPositive("cylinder height (y1 - y0)", y1 - y0);
    return new Primitive(CYLINDER, cx, (y0 + y1) / 2, cz, 0, (y1 - y0) / 2, 0, 1, 0, r, 0, 0, 0, 0, true,
        material, null);
  }

  /** The infinite plane {@code n . p = offset}; {@code n} need not be unit length but must not be zero. */
  public static Primitive plane(double nx, double ny, double nz, double offset, Material material) {
    double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (!(len > 0)) {
      throw new IllegalArgumentException("plane normal must be non-zero, got " + nx + ", " + ny + ", " + nz);
    }
    return new Primitive(PLANE, 0, 0, 0, 0, 0, 0, 1, 0, 0, nx / len, ny / len, nz / len, offset / len, false,
        material, null);
  }

  /**
   * The inside of the box {@code [minX, maxX] x [minY, maxY] x [minZ, maxZ]}: walls, floor and ceiling of a
   * room, seen by a camera inside it. A camera outside the room sees nothing of it.
   *
   * @param faces six materials: -x wall, +x wall, floor, ceiling, -z wall, +z wall
   */
  public static Primitive room(double minX, double minY, double minZ, double maxX, double maxY, double maxZ,
      Material[] faces) {
    if (faces == null || faces.length != 6) {
      throw new IllegalArgumentException("a room needs 6 face materials (-x, +x, floor, ceiling, -z, +z)");
    }
    for (Material m : faces) {
      if (m == null) {
        throw new IllegalArgumentException("room face material must not be null");
      }
    }
    checkPositive("room width", maxX - minX);
    checkPositive("room height", maxY - minY);
    checkPositive("room depth", maxZ - minZ);
    return new Primitive(ROOM, (minX + maxX) / 2, (minY + maxY) / 2, (minZ + maxZ) / 2, (maxX - minX) / 2,
        (maxY - minY) / 2, (maxZ - minZ) / 2, 1, 0, 0, 0, 0, 0, 0, false, faces[0], faces.clone());
  }

  /** A copy moved by {@code (dx, dy, dz)} metres (used for moving objects such as a lead car). */
  public Primitive translated(double dx, double dy, double dz) {
    if (type == PLANE) {
      double shift = nx * dx + ny * dy + nz * dz;
      return new Primitive(PLANE, 0, 0, 0, 0, 0, 0, 1, 0, 0, nx, ny, nz, d + shift, false, material, null);
    }
    return new Primitive(type, cx + dx, cy + dy, cz + dz, hx, hy, hz, cos, sin, radius, 0, 0, 0, 0, bounded, material,
        faces);
  }

  /**
   * The smallest {@code t > near} where {@code o + t d} meets this surface, or {@link #MISS}.
   * {@code idx, idy, idz} are {@code 1 / d} per component (precomputed once per pixel for the slab test of
   * Kay and Kajiya 1986); none of {@code d}'s components is exactly zero.
   */
  double intersect(double ox, double oy, double oz, double dx, double dy, double dz, double idx, double idy,
      double idz, double near) {
    switch (type) {
      case BOX:
        return slab(ox - cx, oy - cy, oz - cz, idx, idy, idz, near);
      case ROTATED_BOX: {
        // Into the box frame: local = R^T (p - c); the y axis is shared.
        double px = ox - cx;
        double pz = oz - cz;
        double lox = cos * px - sin * pz;
        double loz = sin * px + cos * pz;
        double ldx = cos * dx - sin * dz;
        double ldz = sin * dx + cos * dz;
        return slab(lox, oy - cy, loz, 1.0 / nonZero(ldx), idy, 1.0 / nonZero(ldz), near);
      }
      case SPHERE: {
        // |o + t d - c|^2 = r^2  ->  a t^2 + 2 h t + c = 0 with a = d.d, h = d.(o - c), c = |o - c|^2 - r^2.
        double px = ox - cx;
        double py = oy - cy;
        double pz = oz - cz;
        double a = dx * dx + dy * dy + dz * dz;
        double h = dx * px + dy * py + dz * pz;
        double c = px * px + py * py + pz * pz - radius * radius;
        double disc = h * h - a * c;
        if (disc < 0) {
          return MISS;
        }
        double t = (-h - Math.sqrt(disc)) / a;
        return t > near ? t : MISS;
      }
      case CYLINDER:
        return cylinder(ox, oy, oz, dx, dy, dz, idy, near);
      case PLANE: {
        double denom = nx * dx + ny * dy + nz * dz;
        if (denom == 0) {
          return MISS;
        }
        double t = (d - (nx * ox + ny * oy + nz * oz)) / denom;
        return t > near ? t : MISS;
      }
      case ROOM: {
        // From inside, the ray leaves through the nearest of the three faces it points at.
        double px = ox - cx;
        double py = oy - cy;
        double pz = oz - cz;
        if (Math.abs(px) >= hx || Math.abs(py) >= hy || Math.abs(pz) >= hz) {
          return MISS;
        }
        double tx = ((idx > 0 ? hx : -hx) - px) * idx;
        double ty = ((idy > 0 ? hy : -hy) - py) * idy;
        double tz = ((idz > 0 ? hz : -hz) - pz) * idz;
        double t = tx < ty ? tx : ty;
        t = t < tz ? t : tz;
        return t > near ? t : MISS;
      }
      default:
        throw new IllegalStateException("unknown primitive type " + type);
    }
  }

  /** Slab test against the box {@code [-h, h]} for a ray from {@code p} (box frame). */
  private double slab(double px, double py, double pz, double idx, double idy, double idz, double near) {
    double t1 = (-hx - px) * idx;
    double t2 = (hx - px) * idx;
    double tmin = t1 < t2 ? t1 : t2;
    double tmax = t1 < t2 ? t2 : t1;
    t1 = (-hy - py) * idy;
    t2 = (hy - py) * idy;
    double lo = t1 < t2 ? t1 : t2;
    double hi = t1 < t2 ? t2 : t1;
    tmin = tmin > lo ? tmin : lo;
    tmax = tmax < hi ? tmax : hi;
    t1 = (-hz - pz) * idz;
    t2 = (hz - pz) * idz;
    lo = t1 < t2 ? t1 : t2;
    hi = t1 < t2 ? t2 : t1;
    tmin = tmin > lo ? tmin : lo;
    tmax = tmax < hi ? tmax : hi;
    // A camera inside the box (tmin <= near) sees nothing of it; scenes keep cameras outside solids.
    return tmax >= tmin && tmin > near ? tmin : MISS;
  }

  private double cylinder(double ox, double oy, double oz, double dx, double dy, double dz, double idy,
      double near) {
    double px = ox - cx;
    double pz = oz - cz;
    double y0 = cy - hy;
    double y1 = cy + hy;
    double r2 = radius * radius;
    double best = MISS;
    // Side: the 2-D circle equation in the xz plane, nearer root only (cameras stay outside).
    double a = dx * dx + dz * dz;
    double h = dx * px + dz * pz;
    double c = px * px + pz * pz - r2;
    double disc = h * h - a * c;
    if (disc >= 0 && a > 0) {
      double t = (-h - Math.sqrt(disc)) / a;
      double y = oy + t * dy;
      if (t > near && y >= y0 && y <= y1) {
        best = t;
      }
    }
    // Caps: the ray may enter through the top (seen from above) or the bottom (seen from below).
    double t = ((oy > y1 ? y1 : y0) - oy) * idy;
    if (t > near && t < best && (oy > y1 || oy < y0)) {
      double qx = px + t * dx;
      double qz = pz + t * dz;
      if (qx * qx + qz * qz <= r2) {
        best = t;
      }
    }
    return best;
  }

  /**
   * Describes the surface at the hit point {@code p}: writes the outward normal into {@code out[0..2]}, the
   * texture coordinates (metres) into {@code out[3..4]} and 1 into {@code out[5]} for a vertical face (else 0).
   *
   * @return the material at that point
   */
  Material surface(double px, double py, double pz, double[] out) {
    switch (type) {
      case BOX, ROTATED_BOX -> {
        double qx = px - cx;
        double qz = pz - cz;
        double lx = cos * qx - sin * qz;
        double ly = py - cy;
        double lz = sin * qx + cos * qz;
        // The face hit is the one the point is closest to, relative to the half extents.
        double ax = Math.abs(lx) / hx;
        double ay = Math.abs(ly) / hy;
        double az = Math.abs(lz) / hz;
        double lnx = 0;
        double lny = 0;
        double lnz = 0;
        if (ay >= ax && ay >= az) {
          lny = Math.signum(ly);
          out[3] = lx + cx;
          out[4] = lz + cz;
          out[5] = 0;
        } else if (ax >= az) {
          lnx = Math.signum(lx);
          out[3] = lz + cz;
          out[4] = py;
          out[5] = 1;
        } else {
          lnz = Math.signum(lz);
          out[3] = lx + cx;
          out[4] = py;
          out[5] = 1;
        }
        // Back to the world: n = R n_local.
        out[0] = cos * lnx + sin * lnz;
        out[1] = lny;
        out[2] = -sin * lnx + cos * lnz;
        return material;
      }
      case SPHERE -> {
        out[0] = (px - cx) / radius;
        out[1] = (py - cy) / radius;
        out[2] = (pz - cz) / radius;
        // Longitude/latitude scaled by the radius, so texture cells stay roughly square.
        out[3] = StrictMath.atan2(px - cx, pz - cz) * radius;
        out[4] = py;
        out[5] = 1;
        return material;
      }
      case CYLINDER -> {
        double qx = px - cx;
        double qz = pz - cz;
        double rr = Math.sqrt(qx * qx + qz * qz);
        if (rr < radius * (1 - 1e-9) && (Math.abs(py - (cy + hy)) < 1e-6 || Math.abs(py - (cy - hy)) < 1e-6)) {
          out[0] = 0;
          out[1] = py > cy ? 1 : -1;
          out[2] = 0;
          out[3] = px;
          out[4] = pz;
          out[5] = 0;
        } else {
          out[0] = qx / rr;
          out[1] = 0;
          out[2] = qz / rr;
          out[3] = StrictMath.atan2(qx, qz) * radius;
          out[4] = py;
          out[5] = 1;
        }
        return material;
      }
      case PLANE -> {
        out[0] = nx;
        out[1] = ny;
        out[2] = nz;
        boolean horizontal = Math.abs(ny) >= Math.abs(nx) && Math.abs(ny) >= Math.abs(nz);
        out[3] = horizontal || Math.abs(nz) > Math.abs(nx) ? px : pz;
        out[4] = horizontal ? pz : py;
        out[5] = horizontal ? 0 : 1;
        return material;
      }
      case ROOM -> {
        // The face is the one nearest to the hit point; normals point into the room.
        double qx = px - cx;
        double qy = py - cy;
        double qz = pz - cz;
        double gx = hx - Math.abs(qx);
        double gy = hy - Math.abs(qy);
        double gz = hz - Math.abs(qz);
        out[0] = 0;
        out[1] = 0;
        out[2] = 0;
        int face;
        if (gy <= gx && gy <= gz) {
          face = qy < 0 ? 2 : 3;
          out[1] = qy < 0 ? 1 : -1;
          out[3] = px;
          out[4] = pz;
          out[5] = 0;
        } else if (gx <= gz) {
          face = qx < 0 ? 0 : 1;
          out[0] = qx < 0 ? 1 : -1;
          out[3] = pz;
          out[4] = py;
          out[5] = 1;
        } else {
          face = qz < 0 ? 4 : 5;
          out[2] = qz < 0 ? 1 : -1;
          out[3] = px;
          out[4] = py;
          out[5] = 1;
        }
        return faces[face];
      }
      default -> throw new IllegalStateException("unknown primitive type " + type);
    }
  }

  /** Replaces an exact zero ray component by a tiny value of the same sign, so 1/d stays finite. */
  static double nonZero(double v) {
    return v != 0 ? v : 1e-300;
  }
}
