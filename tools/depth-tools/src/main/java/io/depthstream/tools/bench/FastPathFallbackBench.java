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
 * One 640x480 frame of the shipped fast model in-process, with and without its density fallback
 * ({@link DensityFallback}), at 300 uniform points (below the default 1 %: the fallback runs linear interpolation)
 * and at 5 % of the pixels (15360 points: the network runs either way; the fallback adds only its count of the
 * measured pixels). Milliseconds per frame, ONNX Runtime with 2 intra-op threads as the node's library default.
 *
 * <p>The {@link ResidualCorrection} of the network's output is off unless asked for: its cost at 1, 5 and 10 % is
 * {@code -p residual=off,on -p fallbackDensity=0.01 -p points=3072,15360,30720} (tools/depth-tools/EVALUATION.md,
 * "Issue 15, session 8").
 *
 * <p>Run from the repository root: {@code ./depthstream bench FastPathFallbackBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FastPathFallbackBench {
  /** {@code depthstream.fast.fallback.density}: 0 = the network on every frame, 0.01 = the default. */
  @Param({"0", "0.01"})
  public double fallbackDensity;

  @Param({"300", "15360"})
  public int points;

  /** {@code depthstream.fast.residual}: off = the network's output as it is, on = the default correction. */
  @Param({"off"})
  public String residual;

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
    fast = new MethodCatalog(Path.of(modelsDir), InferenceSettings.defaults(), fallbackDensity,
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
