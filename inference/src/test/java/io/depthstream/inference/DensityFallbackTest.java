package io.depthstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.SparseBlend;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path's density fallback: which method serves a frame, what the frame then names, and who closes what. */
class DensityFallbackTest {
  private static final InferenceSettings CPU = InferenceSettings.defaults();

  /** A method that writes one constant everywhere and counts its calls and closes. */
  private static final class Constant implements DepthReconstructor {
    private final String name;
    private final float value;
    private final int scale;
    int calls;
    int closes;

    Constant(String name, float value, int scale) {
      this.name = name;
      this.value = value;
      this.scale = scale;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String modelVersion() {
      return name.equals("net") ? "abc123" : "";
    }

    @Override
    public int scaleFactor() {
      return scale;
    }

    @Override
    public void reconstruct(DepthMap input, DepthMap output) {
      calls++;
      Arrays.fill(output.data(), value);
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @Test
  void framesBelowTheThresholdGoToTheFallbackAndFramesAtItToTheNetwork() {
    Constant net = new Constant("net", 1f, 1);
    Constant linear = new Constant("linear", 2f, 1);
    DensityFallback fast = new DensityFallback(net, linear, 0.05); // 5 of a 10x10 frame's 100 pixels
    assertThat(fast.name()).isEqualTo("net");
    assertThat(fast.modelVersion()).isEqualTo("abc123");
    assertThat(fast.lastFrameMethod()).as("before any frame").isSameAs(net);
    DepthMap out = DepthMap.allocate(10, 10);

    fast.reconstruct(frame(10, 10, 4), out);
    assertThat(out.data()).containsOnly(2f);
    assertThat(fast.lastFrameMethod()).isSameAs(linear);
    assertThat(fast.lastFrameMethod().name()).isEqualTo("linear");
    assertThat(fast.lastFrameMethod().modelVersion()).isEmpty();

    fast.reconstruct(frame(10, 10, 5), out);
    assertThat(out.data()).containsOnly(1f);
    assertThat(fast.lastFrameMethod()).isSameAs(net);

    fast.reconstruct(frame(10, 10, 0), out);
    assertThat(fast.lastFrameMethod()).as("an empty frame").isSameAs(linear);
    fast.reconstruct(frame(10, 10, 100), out);
    assertThat(fast.lastFrameMethod()).as("a full frame").isSameAs(net);
    assertThat(net.calls).isEqualTo(2);
    assertThat(linear.calls).isEqualTo(2);

    // A threshold that is not a whole number of pixels rounds up: 0.041 of 100 pixels needs 5.
    DensityFallback fractional = new DensityFallback(net, linear, 0.041);
    fractional.reconstruct(frame(10, 10, 4), out);
    assertThat(fractional.lastFrameMethod()).isSameAs(linear);
    fractional.reconstruct(frame(10, 10, 5), out);
    assertThat(fractional.lastFrameMethod()).isSameAs(net);
  }

  @Test
  void countingStopsAtTheLimit() {
    float[] depth = frame(10, 10, 60).data();
    assertThat(DensityFallback.countMeasured(depth, 7)).isEqualTo(7);
    assertThat(DensityFallback.countMeasured(depth, 1000)).isEqualTo(60);
    float[] specials = {Float.NaN, -1f, 0f, Float.POSITIVE_INFINITY, 3f};
    assertThat(DensityFallback.countMeasured(specials, 10)).as("only depths > 0 are measured").isEqualTo(2);
  }

  @Test
  void refusesABadThresholdOrAScalingMethodAndClosesBoth() {
    Constant net = new Constant("net", 1f, 1);
    Constant linear = new Constant("linear", 2f, 1);
    for (double bad : new double[] {0, -0.1, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> new DensityFallback(net, linear, bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("minDensity");
    }
    assertThatThrownBy(() -> new DensityFallback(new Constant("sr", 1f, 4), linear, 0.01))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x4");
    new DensityFallback(net, linear, 1.0).close();
    assertThat(net.closes).isEqualTo(1);
    assertThat(linear.closes).isEqualTo(1);
  }

  @Test
  void theCatalogWrapsFastModelsOnlyAndTheFallbackFrameIsLinearBlendedWithNearestFill() {
    Path models = ShippedModel.testModelsDir();
    try (
        DepthReconstructor wrapped =
            new MethodCatalog(models, CPU, 0.01, ResidualCorrection.Settings.OFF).createDepth("fast_interp_x4_smoke");
        DepthReconstructor plain = new MethodCatalog(models, CPU).createDepth("fast_interp_x4_smoke");
        DepthReconstructor off =
            new MethodCatalog(models, CPU, 0, ResidualCorrection.Settings.OFF).createDepth("fast_interp_x4_smoke");
        DepthReconstructor sr =
            new MethodCatalog(models, CPU, 0.01, ResidualCorrection.Settings.OFF).createDepth("sr_x4_smoke");
        DepthReconstructor classical =
            new MethodCatalog(models, CPU, 0.01, ResidualCorrection.Settings.OFF).createDepth("inpaint")) {
      assertThat(wrapped).isInstanceOf(DensityFallback.class);
      assertThat(wrapped.name()).isEqualTo("fast_interp_x4_smoke");
      assertThat(wrapped.modelVersion()).isEqualTo(plain.modelVersion()).isNotEmpty();
      assertThat(plain).as("no fallback density: the network alone").isInstanceOf(OnnxReconstructor.class);
      assertThat(off).isInstanceOf(OnnxReconstructor.class);
      assertThat(sr).as("super-resolution is never wrapped").isInstanceOf(OnnxReconstructor.class);
      assertThat(classical.name()).isEqualTo("inpaint");

      int w = 64;
      int h = 48;
      DepthMap sparse = frame(w, h, 20); // 0.65 % of the pixels: below 1 %
      DepthMap out = DepthMap.allocate(w, h);
      DepthMap expected = DepthMap.allocate(w, h);
      wrapped.reconstruct(sparse, out);
      new SparseBlend(DensityFallback.NEAREST_WEIGHT, DensityFallback.INPAINT_WEIGHT).reconstruct(sparse, expected);
      assertThat(out.data()).containsExactly(expected.data());
      assertThat(wrapped.lastFrameMethod().name()).isEqualTo(SparseBlend.NAME);
      assertThat(wrapped.lastFrameMethod().modelVersion()).isEmpty();

      DepthMap denser = frame(w, h, 200); // 6.5 %
      wrapped.reconstruct(denser, out);
      plain.reconstruct(denser, expected);
      assertThat(out.data()).containsExactly(expected.data());
      assertThat(wrapped.lastFrameMethod().name()).isEqualTo("fast_interp_x4_smoke");
    }
    assertThatThrownBy(() -> new MethodCatalog(models, CPU, 1.5, ResidualCorrection.Settings.OFF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fastFallbackDensity");
  }

  /** A {@code w x h} frame with {@code measured} distinct pixels of depth between 1 and 5 m, the rest 0. */
  private static DepthMap frame(int w, int h, int measured) {
    DepthMap d = DepthMap.allocate(w, h);
    Random random = new Random(measured);
    for (int placed = 0; placed < measured;) {
      int i = random.nextInt(w * h);
      if (d.data()[i] == 0f) {
        d.data()[i] = 1f + 4 * random.nextFloat();
        placed++;
      }
    }
    return d;
  }
}
