package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.classical.MorphologicalFillReference;
import io.depthstream.depth.sampling.SamplingPatterns;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One frame of each classical densification method, single-threaded, on realistic inputs: a LiDAR-like sparse
 * map (64 lines, about 5% of pixels) and a Kinect-like map with shadows and holes. Reported as frames per second
 * ({@code Mode.Throughput} in ops/s, one op = one frame).
 *
 * <p>Run: {@code mvn -q -pl depth-tools -am package -DskipTests && java -cp
 * 'depth-tools/target/depth-tools-0.1.0-SNAPSHOT.jar:depth-tools/target/lib/*' org.openjdk.jmh.Main
 * ClassicalBench -f 1 -wi 2 -i 3 -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassicalBench {
  /**
   * A registry name, or {@code morphological-reference}: the pre-optimisation float pipeline, kept as the
   * baseline so that a speed-up is read as a ratio within one run on this shared, loaded machine.
   */
  @Param({"nearest-fill", "morphological", "morphological-reference", "inpaint"})
  public String method;

  /** {@code lidar}: 64-line sparse input; {@code kinect}: dense with holes. */
  @Param({"lidar", "kinect"})
  public String input;

  @Param({"640"})
  public int width;

  @Param({"480"})
  public int height;

  private DepthReconstructor reconstructor;
  private DepthMap in;
  private DepthMap out;

  @Setup
  public void setUp() {
    reconstructor = create(method);
    if (input.equals("lidar")) {
      DepthMap dense = BenchScenes.dense(width, height);
      in = DepthMap.allocate(width, height);
      SamplingPatterns.parse("lidar:lines=64,hstep=1").sample(dense, in, 1);
    } else {
      in = BenchScenes.kinectWithHoles(width, height, 1);
    }
    out = DepthMap.allocate(width, height);
  }

  /** A registry method, or the frozen reference implementation of {@code morphological} by its own name. */
  static DepthReconstructor create(String method) {
    return method.equals(MorphologicalFillReference.NAME)
        ? new MorphologicalFillReference()
        : ClassicalMethods.create(method);
  }

  @Benchmark
  public DepthMap reconstruct() {
    reconstructor.reconstruct(in, out);
    return out;
  }

  @TearDown
  public void tearDown() {
    reconstructor.close();
  }
}
