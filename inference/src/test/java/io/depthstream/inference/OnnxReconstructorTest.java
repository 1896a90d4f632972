package io.depthstream.inference;

import static io.depthstream.inference.ModelSessionTest.sparseInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Argument checks and per-size buffer reuse of the runners. */
class OnnxReconstructorTest {
  private static final Path MODELS = ShippedModel.testModelsDir();
  private static OnnxReconstructor fast;
  private static OnnxReconstructor sr;

  @BeforeAll
  static void load() {
    fast = OnnxModels.create(MODELS, "fast_interp_x4_smoke", InferenceSettings.defaults());
    sr = OnnxModels.create(MODELS, "sr_x4_smoke", InferenceSettings.defaults());
  }

  @AfterAll
  static void close() {
    fast.close();
    sr.close();
  }

  @Test
  void kindNameAndVersionComeFromTheModel() {
    assertThat(fast.isSuperResolution()).isFalse();
    assertThat(fast.factor()).isEqualTo(1);
    assertThat(fast.name()).isEqualTo("fast_interp_x4_smoke");
    assertThat(fast.modelVersion()).matches("[0-9a-f]{12}");
    assertThat(sr.isSuperResolution()).isTrue();
    assertThat(sr.factor()).isEqualTo(4);
    assertThat(sr.name()).isEqualTo("sr_x4_smoke");
  }

  @Test
  void wrongOutputSizeNamesBothSizes() {
    assertThatThrownBy(() -> sr.reconstruct(DepthMap.allocate(40, 30), DepthMap.allocate(40, 30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output is 40x30")
        .hasMessageContaining("input 40x30 needs x4 = 160x120");
    assertThatThrownBy(() -> fast.reconstruct(DepthMap.allocate(40, 30), DepthMap.allocate(160, 120)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output is 160x120")
        .hasMessageContaining("input 40x30 needs the same size 40x30");
  }

  @Test
  void invalidInputDepthNamesThePixel() {
    DepthMap in = sparseInput(16, 8);
    in.data()[3 * 16 + 5] = Float.NaN;
    assertThatThrownBy(() -> fast.reconstruct(in, DepthMap.allocate(16, 8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pixel (5, 3) is NaN");
    in.data()[3 * 16 + 5] = -1.5f;
    assertThatThrownBy(() -> sr.reconstruct(in, DepthMap.allocate(64, 32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pixel (5, 3) is -1.5");
  }

  @Test
  void changingTheFrameSizeReallocatesAndGivesTheSameResultsAsAFreshRunner() {
    DepthMap big = sparseInput(64, 48);
    DepthMap small = sparseInput(30, 21); // not a multiple of the model's /4 downscale: padded inside the graph
    DepthMap first = DepthMap.allocate(64, 48);
    DepthMap smallOut = DepthMap.allocate(30, 21);
    DepthMap again = DepthMap.allocate(64, 48);
    fast.reconstruct(big, first);
    fast.reconstruct(small, smallOut);
    fast.reconstruct(big, again);
    assertThat(again.data()).containsExactly(first.data());
    DepthMap fresh = DepthMap.allocate(30, 21);
    try (OnnxReconstructor other = OnnxModels.create(MODELS, "fast_interp_x4_smoke", InferenceSettings.defaults())) {
      other.reconstruct(small, fresh);
    }
    assertThat(fresh.data()).containsExactly(smallOut.data());
    // The mask channel matters: the same depths with different validity give a different output.
    assertThat(first.data()).isNotEqualTo(DepthMap.allocate(64, 48).data());
  }

  @Test
  void everyOutputPixelIsWrittenAndFollowsTheDepthMapConvention() {
    DepthMap out = DepthMap.allocate(64, 48);
    java.util.Arrays.fill(out.data(), Float.NaN); // stale garbage that must be overwritten
    sr.reconstruct(sparseInput(16, 12), out);
    for (float v : out.data()) {
      assertThat(v).isFinite().isGreaterThanOrEqualTo(0f);
    }
  }

  @Test
  void focalStackArgumentsAreChecked() {
    try (FocalStackRunner f = OnnxModels.focalStack(MODELS, "focal_smoke", InferenceSettings.defaults())) {
      float[] rgb = new float[2 * 3 * 4 * 5];
      DepthMap out = DepthMap.allocate(5, 4);
      assertThatThrownBy(() -> f.estimate(rgb, new float[] {1f}, 2, 4, 5, out))
          .hasMessageContaining("1 focus distances for a stack of t = 2");
      assertThatThrownBy(() -> f.estimate(rgb, new float[] {2f, 1f}, 2, 4, 5, out))
          .hasMessageContaining("near to far");
      assertThatThrownBy(() -> f.estimate(new float[7], new float[] {1f, 2f}, 2, 4, 5, out))
          .hasMessageContaining("stack has 7 values, expected t*3*h*w = 2*3*4*5 = 120");
      assertThatThrownBy(() -> f.estimate(rgb, new float[] {1f, 2f}, 2, 4, 5, DepthMap.allocate(4, 5)))
          .hasMessageContaining("output is 4x5 but the stack is 5x4");
      float[] bad = rgb.clone();
      bad[1 * 60 + 2 * 20 + 1 * 5 + 3] = 1.5f; // image 1, channel 2, pixel (3, 1)
      assertThatThrownBy(() -> f.estimate(bad, new float[] {1f, 2f}, 2, 4, 5, out))
          .hasMessageContaining("1.5 at image 1, channel 2, pixel (3, 1)");
      f.estimate(rgb, new float[] {1f, 2f}, 2, 4, 5, out);
      for (float v : out.data()) {
        assertThat(v).isFinite().isGreaterThanOrEqualTo(0f);
      }
    }
  }
}
