package io.depthstream.depth.classical;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import java.util.Arrays;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.triangulate.IncrementalDelaunayTriangulator;
import org.locationtech.jts.triangulate.quadedge.QuadEdge;
import org.locationtech.jts.triangulate.quadedge.QuadEdgeSubdivision;
import org.locationtech.jts.triangulate.quadedge.Vertex;

/**
 * Linear interpolation of sparse samples ({@code linear}): the measured pixels are Delaunay-triangulated and every
 * pixel centre inside a triangle gets the barycentric blend of its three corners' depths, as
 * {@code scipy.interpolate.griddata(method='linear')} does. Pixels outside the samples' convex hull, where griddata
 * would return NaN, take the nearest sample's depth ({@link NearestValidFill}), so every pixel is written. Fewer than
 * 3 samples, or samples on one line, span no triangle: the output is then nearest-fill's.
 *
 * <p>The triangulation is JTS's incremental Delaunay ({@link IncrementalDelaunayTriangulator} on a
 * {@link QuadEdgeSubdivision}), driven directly: no {@code Geometry} objects, one JTS vertex and a few quad-edges per
 * sample, nothing per pixel. The sites go in in the order and with the frame that JTS's
 * {@code DelaunayTriangulationBuilder} uses (sorted by x, then y; the frame around the samples' envelope), so a grid
 * of co-circular samples is split into the same triangles as by that builder, and the output equals the evaluation
 * baseline's up to float rounding on shared edges. For the fast path at low densities (its density fallback):
 * at 300 samples the triangulation is a fraction of a millisecond and the frame's cost is the two fills.
 *
 * <p>Barycentric coordinates of pixel {@code p} in triangle {@code (a, b, c)} (e.g. de Berg et al., "Computational
 * Geometry", 3rd ed., section 9): with {@code det = (b.y - c.y)(a.x - c.x) + (c.x - b.x)(a.y - c.y)},
 * {@code l1 = ((b.y - c.y)(p.x - c.x) + (c.x - b.x)(p.y - c.y)) / det},
 * {@code l2 = ((c.y - a.y)(p.x - c.x) + (a.x - c.x)(p.y - c.y)) / det}, {@code l3 = 1 - l1 - l2}; the pixel is inside
 * (edges included, to 1e-9) when all three are {@code >= 0}, and its depth is {@code l1 za + l2 zb + l3 zc}.
 *
 * <p>{@link #blendedWithNearest} makes the hedged variant the fast path's density fallback serves its sparsest frames
 * with: every pixel inside the hull gets {@code w * nearest + (1 - w) * linear} of the same samples (outside the hull
 * both are the nearest sample's depth). At a few hundred samples neither pure method is the better one on every
 * frame (linear blurs across occlusion edges inside its large triangles, nearest-fill leaves steps on smooth
 * surfaces), and a small share of nearest-fill keeps the blend close to whichever is ahead (trainer/TRAINING.md,
 * "Fast path density fallback: linear blended with nearest-fill").
 *
 * <p>Not thread-safe; the sample buffers are reused and grow only when a frame has more samples than any before.
 */
public final class LinearInterpolation implements DepthReconstructor {
  /** The registry name. */
  public static final String NAME = "linear";

  /** The name of the {@link #blendedWithNearest} variant. */
  public static final String BLEND_NAME = "linear-nearest-blend";

  private final NearestValidFill outside = new NearestValidFill();
  /** Per column, where its samples start in {@link #order} (a counting sort by x, then y). */
  private int[] columnStart = new int[0];
  /** Pixel indices of the samples in insertion order: by column, then by row. */
  private int[] order = new int[0];
  /** The corners of the triangle being filled, {@link #fillTriangle}'s layout. */
  private final double[] corners = new double[9];
  /** Nearest-fill's share of each pixel inside the hull; 0 = plain linear interpolation. */
  private final float nearestWeight;
  /** The nearest-fill of the last frame, kept for the blend (allocated only when {@link #nearestWeight} > 0). */
  private float[] nearest = new float[0];

  /** Plain linear interpolation ({@value #NAME}). */
  public LinearInterpolation() {
    this.nearestWeight = 0f;
  }

  private LinearInterpolation(float nearestWeight) {
    this.nearestWeight = nearestWeight;
  }

  /**
   * Linear interpolation blended with nearest-fill of the same samples ({@value #BLEND_NAME}): {@code w * nearest +
   * (1 - w) * linear} at every pixel.
   *
   * @param nearestWeight {@code w}, in (0, 1)
   * @throws IllegalArgumentException if {@code nearestWeight} is outside (0, 1)
   */
  public static LinearInterpolation blendedWithNearest(double nearestWeight) {
    if (!(nearestWeight > 0 && nearestWeight < 1)) {
      throw new IllegalArgumentException("nearestWeight must be in (0, 1), got " + nearestWeight);
    }
    return new LinearInterpolation((float) nearestWeight);
  }

  /** Nearest-fill's share of each pixel: 0 for plain linear interpolation. */
  public double nearestWeight() {
    return nearestWeight;
  }

  @Override
  public String name() {
    return nearestWeight == 0f ? NAME : BLEND_NAME;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    // The hull's outside; the triangles below overwrite the inside. It also checks sizes and depths.
    outside.reconstruct(input, output);
    int w = input.width();
    int h = input.height();
    float[] in = input.data();
    int samples = sortSamples(in, w, h);
    if (samples < 3) {
      return;
    }
    QuadEdgeSubdivision triangulation = triangulate(in, w, samples);
    float[] out = output.data();
    if (nearestWeight == 0f) {
      fillTriangles(triangulation, w, h, out);
      return;
    }
    if (nearest.length != out.length) {
      nearest = new float[out.length];
    }
    System.arraycopy(out, 0, nearest, 0, out.length);
    fillTriangles(triangulation, w, h, out);
    blend(nearest, out, nearestWeight);
  }

  /**
   * {@code out = w * nearest + (1 - w) * out} per pixel; pixels where the two agree (outside the hull) stay exactly
   * as they are.
   */
  static void blend(float[] nearest, float[] out, float w) {
    float keep = 1f - w;
    for (int i = 0; i < out.length; i++) {
      float n = nearest[i];
      float l = out[i];
      if (n != l) {
        out[i] = w * n + keep * l;
      }
    }
  }

  /** Lists the measured pixels by column, then row (JTS's builder order), in {@link #order}; returns how many. */
  private int sortSamples(float[] in, int w, int h) {
    if (columnStart.length != w + 1) {
      columnStart = new int[w + 1];
    } else {
      Arrays.fill(columnStart, 0);
    }
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      if (in[i] > 0f) {
        columnStart[i % w + 1]++;
        n++;
      }
    }
    if (n < 3) {
      return n;
    }
    for (int x = 0; x < w; x++) {
      columnStart[x + 1] += columnStart[x];
    }
    if (order.length < n) {
      order = new int[Math.max(n, order.length * 2)];
    }
    // Rows ascending within each column: scanning row-major keeps each column's samples in row order. The starts
    // are advanced to the ends as the samples go in (not needed afterwards).
    int[] next = columnStart;
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i++) {
        if (in[i] > 0f) {
          order[next[x]++] = i;
        }
      }
    }
    return n;
  }

  /** The Delaunay triangulation of the {@code n} samples listed in {@link #order}, framed as JTS's builder does. */
  private QuadEdgeSubdivision triangulate(float[] in, int w, int n) {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      int x = i % w;
      int y = i / w;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    QuadEdgeSubdivision subdivision = new QuadEdgeSubdivision(new Envelope(minX, maxX, minY, maxY), 0.0);
    IncrementalDelaunayTriangulator triangulator = new IncrementalDelaunayTriangulator(subdivision);
    for (int k = 0; k < n; k++) {
      int i = order[k];
      triangulator.insertSite(new Vertex(i % w, i / w, in[i]));
    }
    return subdivision;
  }

  /**
   * Fills every triangle of the samples (not those touching the subdivision's frame). Each triangle is the left face
   * of three directed edges; it is filled once, from the edge whose origin is its lowest vertex (by x, then y).
   */
  private void fillTriangles(QuadEdgeSubdivision triangulation, int w, int h, float[] out) {
    for (Object primary : triangulation.getEdges()) {
      QuadEdge q = (QuadEdge) primary;
      fillLeftFace(triangulation, q, w, h, out);
      fillLeftFace(triangulation, q.sym(), w, h, out);
    }
  }

  private void fillLeftFace(QuadEdgeSubdivision triangulation, QuadEdge e, int w, int h, float[] out) {
    QuadEdge e1 = e.lNext();
    QuadEdge e2 = e1.lNext();
    if (e2.lNext() != e) {
      return; // not a triangle (cannot happen inside the frame; kept as a guard)
    }
    Vertex a = e.orig();
    Vertex b = e1.orig();
    Vertex c = e2.orig();
    if (!lower(a, b) || !lower(a, c) || triangulation.isFrameVertex(a) || triangulation.isFrameVertex(b)
        || triangulation.isFrameVertex(c)) {
      return;
    }
    double[] t = corners;
    t[0] = a.getX();
    t[1] = a.getY();
    t[2] = a.getZ();
    t[3] = b.getX();
    t[4] = b.getY();
    t[5] = b.getZ();
    t[6] = c.getX();
    t[7] = c.getY();
    t[8] = c.getZ();
    fillTriangle(t, w, h, out);
  }

  /** Whether {@code u} comes before {@code v} by x, then y (vertices are distinct pixels). */
  private static boolean lower(Vertex u, Vertex v) {
    return u.getX() < v.getX() || (u.getX() == v.getX() && u.getY() < v.getY());
  }

  /**
   * Writes the barycentric blend of the triangle's corners' depths at every pixel centre inside it (edges included)
   * of a row-major {@code w x h} map. Public for the benchmark that times the triangulation against JTS's
   * Geometry-building {@code DelaunayTriangulationBuilder} with the same fill.
   *
   * <p>The corners are sample pixels, so their coordinates are integers and the inside test is exact: per row, each
   * edge's function {@code (q - p) x (pixel - p)} bounds the span of columns on the inside (Pineda, "A Parallel
   * Algorithm for Polygon Rasterization", SIGGRAPH 1988), and only the span's pixels are visited. A pixel is inside
   * exactly when all three barycentric coordinates are {@code >= 0}: with integer corners a coordinate that is not
   * is at most {@code -1/det}, far below the rounding of the blend, so the pixels and their depths are those of a
   * barycentric test over the triangle's bounding box.
   *
   * @param corners {@code ax, ay, az, bx, by, bz, cx, cy, cz}: pixel coordinates (integers) and depths in metres
   * @throws IllegalArgumentException if a coordinate is not an integer
   */
  public static void fillTriangle(double[] corners, int w, int h, float[] out) {
    double ax = corners[0];
    double ay = corners[1];
    double az = corners[2];
    double bx = corners[3];
    double by = corners[4];
    double bz = corners[5];
    double cx = corners[6];
    double cy = corners[7];
    double cz = corners[8];
    if (ax != Math.rint(ax) || ay != Math.rint(ay) || bx != Math.rint(bx) || by != Math.rint(by)
        || cx != Math.rint(cx) || cy != Math.rint(cy)) {
      throw new IllegalArgumentException("triangle corners must be pixel positions (integers), got (" + ax + ", "
          + ay + "), (" + bx + ", " + by + "), (" + cx + ", " + cy + ")");
    }
    double det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy);
    if (det == 0) {
      return; // degenerate (collinear) triangle
    }
    int x0 = Math.max(0, (int) Math.min(ax, Math.min(bx, cx)));
    int x1 = Math.min(w - 1, (int) Math.max(ax, Math.max(bx, cx)));
    int y0 = Math.max(0, (int) Math.min(ay, Math.min(by, cy)));
    int y1 = Math.min(h - 1, (int) Math.max(ay, Math.max(by, cy)));
    // Edge p -> q as a x + b(y) >= 0 on the inside: sign * ((qx - px)(y - py) - (qy - py)(x - px)), with
    // b(y) = bSlope y + bConst. Edges b -> c, c -> a and a -> b.
    long sign = det > 0 ? 1 : -1;
    long aBc = -sign * (long) (cy - by);
    long aCa = -sign * (long) (ay - cy);
    long aAb = -sign * (long) (by - ay);
    long slopeBc = sign * (long) (cx - bx);
    long slopeCa = sign * (long) (ax - cx);
    long slopeAb = sign * (long) (bx - ax);
    long constBc = sign * (long) ((cy - by) * bx - (cx - bx) * by);
    long constCa = sign * (long) ((ay - cy) * cx - (ax - cx) * cy);
    long constAb = sign * (long) ((by - ay) * ax - (bx - ax) * ay);
    // The formula of the class comment with 1/det and each row's y terms hoisted: one multiply-add per coordinate
    // and pixel.
    double inv = 1 / det;
    double l1x = (by - cy) * inv;
    double l2x = (cy - ay) * inv;
    for (int y = y0; y <= y1; y++) {
      long bBc = slopeBc * y + constBc;
      long bCa = slopeCa * y + constCa;
      long bAb = slopeAb * y + constAb;
      int from = (int) Math.max(x0, Math.max(firstInside(aBc, bBc), Math.max(firstInside(aCa, bCa),
          firstInside(aAb, bAb))));
      int to = (int) Math.min(x1, Math.min(lastInside(aBc, bBc), Math.min(lastInside(aCa, bCa),
          lastInside(aAb, bAb))));
      int row = y * w;
      double l1y = (cx - bx) * (y - cy) * inv;
      double l2y = (ax - cx) * (y - cy) * inv;
      for (int x = from; x <= to; x++) {
        double l1 = l1x * (x - cx) + l1y;
        double l2 = l2x * (x - cx) + l2y;
        double l3 = 1 - l1 - l2;
        out[row + x] = (float) (l1 * az + l2 * bz + l3 * cz);
      }
    }
  }

  /**
   * The first column {@code x} with {@code a x + b >= 0} for an edge that bounds a row on the left ({@code a > 0});
   * no bound for the others, except a row wholly outside an edge parallel to it ({@code a = 0, b < 0}): past every
   * column. Bounds and the no-bound values are in the int range (corners are pixels), so the caller can narrow them.
   */
  private static long firstInside(long a, long b) {
    if (a > 0) {
      return -Math.floorDiv(b, a); // ceil(-b / a)
    }
    return a == 0 && b < 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
  }

  /** The last column {@code x} with {@code a x + b >= 0} for an edge that bounds a row on the right ({@code a < 0}). */
  private static long lastInside(long a, long b) {
    return a < 0 ? Math.floorDiv(b, -a) : Integer.MAX_VALUE;
  }
}
