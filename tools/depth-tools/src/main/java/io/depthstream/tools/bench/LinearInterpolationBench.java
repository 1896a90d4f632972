package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.classical.LinearInterpolation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.triangulate.DelaunayTriangulationBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 640x480 frame of linear interpolation at the fast path's densities (30, 300, 3000 and 15000 = 5 % uniform
 * samples of a code-built scene), single-threaded, in milliseconds per frame ({@code Mode.AverageTime}):
 *
 * <ul>
 *   <li>{@code linear}: depth-core's {@link LinearInterpolation} (JTS's incremental Delaunay driven directly, reused
 *       buffers), what the node and the evaluator run;
 *   <li>{@code jts-geometry}: the evaluation baseline it replaced (until issue 15, session 7): JTS's
 *       {@code DelaunayTriangulationBuilder} building {@code Polygon} triangles, a {@code Coordinate} per sample and
 *       an {@code ArrayList} per frame, with the same nearest-fill and the same per-triangle fill, so the ratio is
 *       what driving the triangulation without Geometry objects saves;
 *   <li>{@code nearest-fill}: the classical method under both (the hull's outside), for scale.
 * </ul>
 *
 * <p>Run: {@code ./depthstream bench LinearInterpolationBench} (JMH options after the regex).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinearInterpolationBench {
  @Param({"linear", "jts-geometry", "nearest-fill"})
  public String method;

  @Param({"30", "300", "3000", "15000"})
  public int points;

  private DepthReconstructor reconstructor;
  private DepthMap in;
  private DepthMap out;

  @Setup
  public void setUp() {
    in = BenchScenes.uniformPoints(640, 480, points, 15);
    out = DepthMap.allocate(640, 480);
    reconstructor = method.equals(GeometryLinear.NAME) ? new GeometryLinear() : ClassicalMethods.create(method);
  }

  @Benchmark
  public DepthMap reconstruct() {
    reconstructor.reconstruct(in, out);
    return out;
  }

  /** The former evaluation baseline's triangulation (Geometry objects), frozen here only to be timed against. */
  static final class GeometryLinear implements DepthReconstructor {
    static final String NAME = "jts-geometry";
    private final DepthReconstructor outside = ClassicalMethods.create("nearest-fill");
    private final GeometryFactory geometry = new GeometryFactory();
    private final double[] corners = new double[9];

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void reconstruct(DepthMap input, DepthMap output) {
      outside.reconstruct(input, output);
      int w = input.width();
      float[] d = input.data();
      List<Coordinate> samples = new ArrayList<>();
      for (int i = 0; i < d.length; i++) {
        if (d[i] > 0f) {
          samples.add(new Coordinate(i % w, i / w, d[i]));
        }
      }
      if (samples.size() < 3) {
        return;
      }
      DelaunayTriangulationBuilder builder = new DelaunayTriangulationBuilder();
      builder.setSites(samples);
      Geometry triangles = builder.getTriangles(geometry);
      for (int t = 0; t < triangles.getNumGeometries(); t++) {
        Coordinate[] c = triangles.getGeometryN(t).getCoordinates();
        for (int k = 0; k < 3; k++) {
          corners[3 * k] = c[k].x;
          corners[3 * k + 1] = c[k].y;
          corners[3 * k + 2] = c[k].getZ();
        }
        LinearInterpolation.fillTriangle(corners, w, input.height(), output.data());
      }
    }
  }
}
