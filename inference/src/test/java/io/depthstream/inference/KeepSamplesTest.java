package io.depthstream.inference;

import static io.depthstream.inference.ModelSessionTest.sparseInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fast models that declare {@value ModelLoader#KEEP_SAMPLES_KEY} = 1 leave "the output is the measurement wherever
 * there is one" to the runner: its output must be the graph's output (cropped, negatives set to 0) with the input
 * depth written at every measured pixel, also when the frame is padded to the input multiple.
 */
class KeepSamplesTest {
  private static final InferenceSettings CPU = InferenceSettings.defaults();
  /**
   * A fast model in the plain layout that leaves keep_samples to the runner: the shipped int8 model (the float one
   * is in block layout, {@link BlockLayoutTest}).
   */
  private static final Path PLAIN = ShippedModel.modelsDir().resolve("fast_interp_x4_int8.onnx");

  @Test
  void runnerWritesTheSamplesOverTheGraphsOutputOfAPaddedFrame() throws Exception {
    int w = 250;
    int h = 75; // padded to 256x80
    int pw = 256;
    int ph = 80;
    DepthMap in = sparseInput(w, h);
    DepthMap out = DepthMap.allocate(w, h);
    try (ModelSession session = ModelLoader.open(PLAIN, CPU, ModelSignature.FAST);
        OnnxReconstructor runner = new OnnxReconstructor(session.share())) {
      assertThat(session.keepsSamples()).isTrue();
      assertThat(runner.keepsSamples()).isTrue();
      runner.reconstruct(in, out);

      float[] graph = InputMultipleTest.run(session, "sparse", InputMultipleTest.handPadded(in, pw, ph),
          new long[] {1, 2, ph, pw}, ph * pw);
      int samplesDiffering = 0;
      int invalidated = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float sample = in.data()[y * w + x];
          float predicted = graph[y * pw + x];
          float expected = sample > 0f ? sample : (predicted >= 0f ? predicted : 0f);
          invalidated += sample == 0f && !(predicted >= 0f) ? 1 : 0;
          samplesDiffering += sample > 0f && Math.abs(predicted - sample) > 1e-3f ? 1 : 0;
          assertThat(out.data()[y * w + x]).as("pixel (%d, %d)", x, y).isEqualTo(expected);
        }
      }
      assertThat(runner.lastInvalidatedPixels()).isEqualTo(invalidated);
      // the graph itself does not keep them, so the runner's part is visible
      assertThat(samplesDiffering).as("samples where the graph's output differs from the measurement").isPositive();
    }
  }

  @Test
  void modelsWithoutTheKeyKeepWhatTheGraphComputes() {
    try (ModelSession session = ModelLoader.open(ModelFiles.fastMultiple8(), CPU, ModelSignature.FAST);
        OnnxReconstructor runner = new OnnxReconstructor(session.share())) {
      assertThat(session.keepsSamples()).isFalse();
      assertThat(runner.keepsSamples()).isFalse();
    }
  }

  @Test
  void invalidValueFailsNamingTheFileAndTheKey(@TempDir Path dir) throws Exception {
    Path source = ModelFiles.fastV1WithoutMetadata();
    for (String bad : new String[] {"2", "yes", "", "true"}) {
      Path file = ModelFiles.withMetadata(source, dir, "bad_keep", ModelLoader.KEEP_SAMPLES_KEY, bad);
      assertThatThrownBy(() -> OnnxModels.create(dir, "bad_keep", CPU))
          .as("value '%s'", bad)
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining(file.toAbsolutePath().toString())
          .hasMessageContaining(ModelLoader.KEEP_SAMPLES_KEY)
          .hasMessageContaining("'" + bad + "'");
    }
    ModelFiles.withMetadata(source, dir, "good_keep", ModelLoader.KEEP_SAMPLES_KEY, "0");
    try (OnnxReconstructor r = OnnxModels.create(dir, "good_keep", CPU)) {
      assertThat(r.keepsSamples()).isFalse();
    }
  }
}
