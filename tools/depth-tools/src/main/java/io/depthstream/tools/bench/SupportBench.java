package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.classical.NearestValidFill;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.support.SupportMap;
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
 * The per-frame cost of the {@link SupportMap} (3-4 chamfer distance to the nearest measured pixel, and the
 * dilated "within 4 px" bits guidance reads), next to
 * {@code nearest-fill} (an exact EDT with argmin) on the same LiDAR-like input in the same run, so the ratio holds
 * on this shared, loaded machine. Milliseconds per frame ({@code Mode.AverageTime}).
 *
 * <p>Run: {@code ./depthstream bench SupportBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SupportBench {
  /** Frame size: Kinect / vSLAM-like 640x480 and KITTI-like 1242x375. */
  @Param({"640x480", "1242x375"})
  public String size;

  private DepthMap in;
  private DepthMap out;
  private final SupportMap support = new SupportMap();
  private final SpecialPixels specials = new SpecialPixels();
  private final NearestValidFill nearestFill = new NearestValidFill();

  @Setup
  public void setUp() {
    int x = size.indexOf('x');
    int width = Integer.parseInt(size.substring(0, x));
    int height = Integer.parseInt(size.substring(x + 1));
    DepthMap dense = BenchScenes.dense(width, height);
    in = DepthMap.allocate(width, height);
    SamplingPatterns.parse("lidar:lines=64").sample(dense, in, 1);
    out = DepthMap.allocate(width, height);
  }

  /** The distance codes of every pixel (the dense output's support channel). */
  @Benchmark
  public byte[] supportMap() {
    support.compute(in, specials, 1);
    return support.data();
  }

  /** Only "within 4 px of a measurement" (what guidance and point clouds read, at their default limit). */
  @Benchmark
  public long[] supportWithin4() {
    support.compute(in, specials, 1);
    return support.within(4);
  }

  @Benchmark
  public DepthMap nearestFill() {
    nearestFill.reconstruct(in, out);
    return out;
  }
}
