package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.focus.DepthFromFocus;
import java.util.SplittableRandom;
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
 * One focal stack through the classical {@link DepthFromFocus} (9 x 9 SML, Gaussian interpolation),
 * single-threaded, frames per second ({@code Mode.Throughput} in ops/s, one op = one stack of {@code t} images).
 * The input is random RGB in [0, 1] with a per-image contrast, so the argmax moves between images and most pixels
 * take the interpolation path; the cost is nearly independent of the content anyway (no branches on it but the
 * argmax update).
 *
 * <p>Run: {@code ./depthstream bench FocusBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FocusBench {
  /** Images in the stack. */
  @Param({"3", "5"})
  public int t;

  @Param({"640"})
  public int width;

  @Param({"480"})
  public int height;

  private DepthFromFocus dff;
  private float[] stack;
  private float[] focus;
  private DepthMap out;

  @Setup
  public void setUp() {
    int plane = width * height;
    stack = new float[t * 3 * plane];
    focus = new float[t];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int k = 0; k < t; k++) {
      focus[k] = 0.5f * (1 << k); // 0.5, 1, 2, 4, 8 m
      // Contrast peaks at a different image per image row band, like a slanted scene.
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane; i++) {
          int band = (i / width) * t / height;
          float contrast = 1f / (1 + 3 * Math.abs(band - k));
          stack[(k * 3 + c) * plane + i] = 0.5f + contrast * ((float) rnd.nextDouble() - 0.5f);
        }
      }
    }
    dff = new DepthFromFocus();
    out = DepthMap.allocate(width, height);
  }

  @Benchmark
  public DepthMap depthFromFocus() {
    dff.estimate(stack, focus, t, height, width, out);
    return out;
  }

  @TearDown
  public void tearDown() {
    dff.close();
  }
}
