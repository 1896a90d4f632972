package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.inference.DensityFallback;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.inference.ResidualCorrection;
import java.nio.file.Path;
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
 * One 640x480 frame of the shipped fast model in-process as the node runs it (default density fallback), with and
 * without its {@link ResidualCorrection}, at 1 %, 5 % and 10 % uniform points (the network serves all three). The
 * correction's cost grows with its window, a fixed share of the sample spacing, so it is about the same per pixel at
 * every density. Milliseconds per frame, ONNX Runtime with 2 intra-op threads as the node's library default.
 *
 * <p>Run from the repository root: {@code ./depthstream bench FastPathResidualBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FastPathResidualBench {
  /** {@code depthstream.fast.residual}: off = the network's output as it is, on = the default correction. */
  @Param({"off", "on"})
  public String residual;

  @Param({"3072", "15360", "30720"})
  public int points;

  @Param({"fast_interp_x4"})
  public String model;

  /** Relative to the working directory; {@code ./depthstream bench} runs in the repository root. */
  @Param({"models"})
  public String modelsDir;

  private DepthReconstructor fast;
  private DepthMap in;
  private DepthMap out;

  @Setup
  public void setUp() {
    fast = new MethodCatalog(Path.of(modelsDir), InferenceSettings.defaults(), DensityFallback.DEFAULT_MIN_DENSITY,
        ResidualCorrection.Settings.parse(residual)).createDepth(model);
    in = BenchScenes.uniformPoints(640, 480, points, 15);
    out = DepthMap.allocate(640, 480);
  }

  @Benchmark
  public DepthMap reconstruct() {
    fast.reconstruct(in, out);
    return out;
  }

  @TearDown
  public void tearDown() {
    fast.close();
  }
}
