package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.wire.DepthWire;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one dense 640x480 frame as uint16 millimetres (the node's default output), frames per second:
 * {@link DepthWire#toUint16Millimetres} next to the same loop rounding with {@link Math#round(float)}, which is
 * what it did before (not an intrinsic on JDK 17).
 *
 * <p>Run: {@code ./depthstream bench WireBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireBench {
  private DepthMap dense;

  @Setup
  public void setUp() {
    dense = BenchScenes.dense(640, 480);
  }

  @Benchmark
  public byte[] uint16Millimetres() {
    return DepthWire.toUint16Millimetres(dense);
  }

  @Benchmark
  public byte[] uint16MillimetresMathRound() {
    float[] d = dense.data();
    byte[] bytes = new byte[d.length * 2];
    for (int i = 0, j = 0; i < d.length; i++, j += 2) {
      int mm = d[i] > 0f ? Math.min(65_535, Math.max(1, Math.round(d[i] * 1000f))) : 0;
      bytes[j] = (byte) mm;
      bytes[j + 1] = (byte) (mm >>> 8);
    }
    return bytes;
  }
}
