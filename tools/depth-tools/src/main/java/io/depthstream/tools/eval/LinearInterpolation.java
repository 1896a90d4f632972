package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.triangulate.DelaunayTriangulationBuilder;

/**
 * Plain linear interpolation of sparse samples ("linear", the baseline the fast network must beat): the samples are
 * Delaunay-triangulated (JTS) and each pixel inside a triangle gets the barycentric blend of its three corners'
 * depths, as {@code scipy.interpolate.griddata(method='linear')} does. Pixels outside the samples' convex hull,
 * where griddata would return NaN, take the nearest sample's depth (nearest-fill), so every pixel is written.
 *
 * <p>An evaluation baseline, not a stream method: it allocates per frame and runs in tens of milliseconds.
 */
public final class LinearInterpolation implements DepthReconstructor {
  public static final String NAME = "linear";

  private final DepthReconstructor outside = ClassicalMethods.create("nearest-fill");
  private final GeometryFactory geometry = new GeometryFactory();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    input.requireSameSize(output, NAME + " input vs output");
    input.requireValidDepths(NAME + " input");
    int w = input.width();
    float[] in = input.data();
    float[] out = output.data();
    outside.reconstruct(input, output); // the hull's outside; the triangles below overwrite the inside
    List<Coordinate> samples = new ArrayList<>();
    for (int i = 0; i < in.length; i++) {
      if (in[i] > 0f) {
        samples.add(new Coordinate(i % w, i / w, in[i]));
      }
    }
    if (samples.size() < 3) {
      return;
    }
    DelaunayTriangulationBuilder builder = new DelaunayTriangulationBuilder();
    builder.setSites(samples);
    Geometry triangles = builder.getTriangles(geometry);
    for (int t = 0; t < triangles.getNumGeometries(); t++) {
      Coordinate[] c = triangles.getGeometryN(t).getCoordinates(); // closed ring: 4 points, the last = the first
      fill(c[0], c[1], c[2], w, input.height(), out);
    }
  }

  /** Writes the barycentric blend of a, b, c at every pixel centre inside the triangle (edges included). */
  private static void fill(Coordinate a, Coordinate b, Coordinate c, int w, int h, float[] out) {
    double det = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y);
    if (det == 0) {
      return; // degenerate (collinear) triangle
    }
    int x0 = Math.max(0, (int) Math.ceil(Math.min(a.x, Math.min(b.x, c.x))));
    int x1 = Math.min(w - 1, (int) Math.floor(Math.max(a.x, Math.max(b.x, c.x))));
    int y0 = Math.max(0, (int) Math.ceil(Math.min(a.y, Math.min(b.y, c.y))));
    int y1 = Math.min(h - 1, (int) Math.floor(Math.max(a.y, Math.max(b.y, c.y))));
    final double eps = -1e-9;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double l1 = ((b.y - c.y) * (x - c.x) + (c.x - b.x) * (y - c.y)) / det;
        double l2 = ((c.y - a.y) * (x - c.x) + (a.x - c.x) * (y - c.y)) / det;
        double l3 = 1 - l1 - l2;
        if (l1 >= eps && l2 >= eps && l3 >= eps) {
          out[y * w + x] = (float) (l1 * a.getZ() + l2 * b.getZ() + l3 * c.getZ());
        }
      }
    }
  }
}
