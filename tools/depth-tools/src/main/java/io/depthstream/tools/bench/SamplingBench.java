package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.sampling.SamplingPattern;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 640x480 frame of each default sampling pattern ({@link SamplingPatterns#defaults()}), frames per second,
 * with a new seed per frame as a training-data generator would use.
 *
 * <p>Run: {@code java -cp 'depth-tools/target/depth-tools-0.1.0-SNAPSHOT.jar:depth-tools/target/lib/*'
 * org.openjdk.jmh.Main SamplingBench -f 1 -wi 2 -i 3 -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SamplingBench {
  @Param({
      "uniform:p=0.1",
      "gradient:fraction=0.05",
      "gradient-uniform:fraction=0.05,p=0.05",
      "grid:step=8",
      "lidar:lines=64",
      "semidense:fraction=0.1"
  })
  public String spec;

  private SamplingPattern pattern;
  private DepthMap dense;
  private DepthMap out;
  private long seed;

  @Setup
  public void setUp() {
    pattern = SamplingPatterns.parse(spec);
    dense = BenchScenes.dense(640, 480);
    out = DepthMap.allocate(640, 480);
  }

  @Benchmark
  public DepthMap sample() {
    pattern.sample(dense, out, seed++);
    return out;
  }
}
