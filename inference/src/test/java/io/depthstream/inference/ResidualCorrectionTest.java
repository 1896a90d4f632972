package io.depthstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path's residual correction: its arithmetic on made-up network outputs ({@link ResidualSpread}), its
 * settings, and the shipped model with and without it.
 */
class ResidualCorrectionTest {
  private static final InferenceSettings CPU = InferenceSettings.defaults();
  private static final ResidualCorrection.Settings NO_EDGE_TEST =
      new ResidualCorrection.Settings(ResidualCorrection.Settings.DEFAULT.spacingScale(), Double.POSITIVE_INFINITY);

  /** Samples of a frame and the network's prediction at them, as the runner hands them to the spread. */
  private static final class Samples {
    final int[] index;
    final float[] prediction;
    final float[] residual;
    final float[] measured;

    /** Samples at {@code indices} of {@code truth}, the network's prediction {@code network} there. */
    Samples(int[] indices, float[] truth, float[] network) {
      index = indices;
      prediction = new float[indices.length];
      residual = new float[indices.length];
      measured = new float[truth.length];
      for (int s = 0; s < indices.length; s++) {
        int i = indices[s];
        prediction[s] = network[i];
        residual[s] = truth[i] - network[i];
        measured[i] = truth[i];
      }
    }

    /** The network's output after the runner's keep-samples copy: the measurement at each sample. */
    float[] keptOutput(float[] network) {
      float[] out = network.clone();
      for (int i : index) {
        out[i] = measured[i];
      }
      return out;
    }

    void spread(ResidualCorrection.Settings settings, float[] out, int w, int h) {
      new ResidualSpread(settings).apply(index, prediction, residual, index.length, measured, out, w, h);
    }
  }

  @Test
  void aConstantOffsetOfTheNetworkOnAPlaneIsRemovedWhereverASampleIsNearAndSamplesKeepTheirMeasurement() {
    int w = 64;
    int h = 48;
    float[] plane = new float[w * h];
    float[] network = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        plane[y * w + x] = 2f + 0.002f * x + 0.001f * y; // 2.0 to 2.17 m: one surface for the edge test
        network[y * w + x] = plane[y * w + x] - 0.05f;
      }
    }
    Samples samples = new Samples(gridIndices(w, h, 4), plane, network);
    float[] out = samples.keptOutput(network);
    samples.spread(ResidualCorrection.Settings.DEFAULT, out, w, h);

    for (int i = 0; i < w * h; i++) {
      assertThat(out[i]).as("pixel %d", i).isCloseTo(plane[i], within(1e-5f));
    }
    for (int i : samples.index) {
      assertThat(out[i]).as("sample %d keeps its measurement", i).isEqualTo(plane[i]);
    }
  }

  @Test
  void pixelsWithNoSampleInTheWindowAreNotCorrected() {
    int w = 200;
    int h = 40;
    float[] truth = new float[w * h];
    float[] network = new float[w * h];
    Arrays.fill(truth, 3f);
    Arrays.fill(network, 2.8f); // residual +0.2 at the two samples
    int[] indices = {20 * w + 10, 21 * w + 10};
    Samples samples = new Samples(indices, truth, network);
    float[] out = samples.keptOutput(network);
    ResidualSpread spread = new ResidualSpread(NO_EDGE_TEST);
    int r = spread.radius(w * h, indices.length);
    assertThat(r).as("the window's radius is capped").isEqualTo(ResidualSpread.MAX_RADIUS);
    spread.apply(samples.index, samples.prediction, samples.residual, indices.length, samples.measured, out, w, h);

    assertThat(out[20 * w + 11]).as("next to a sample").isCloseTo(3f, within(1e-5f));
    assertThat(out[20 * w + 10 + r]).as("at the window's edge").isCloseTo(3f, within(1e-5f));
    for (int y = 0; y < h; y++) {
      for (int x = 10 + r + 1; x < w; x++) {
        assertThat(out[y * w + x]).as("(%d, %d), beyond the window", x, y).isEqualTo(2.8f);
      }
    }
  }

  @Test
  void theEdgeTestKeepsResidualsOnTheSurfaceTheNetworkPutsThemOn() {
    // Left half 1 m, right half 3 m. The network is 0.2 m short on the left and right on the right.
    int w = 40;
    int h = 20;
    float[] truth = new float[w * h];
    float[] network = new float[w * h];
    for (int i = 0; i < w * h; i++) {
      boolean left = i % w < w / 2;
      truth[i] = left ? 1f : 3f;
      network[i] = left ? 0.8f : 3f;
    }
    Samples samples = new Samples(gridIndices(w, h, 3), truth, network);
    int firstRight = 10 * w + w / 2;

    float[] edgeAware = samples.keptOutput(network);
    samples.spread(ResidualCorrection.Settings.DEFAULT, edgeAware, w, h);
    float[] blind = samples.keptOutput(network);
    samples.spread(NO_EDGE_TEST, blind, w, h);

    for (int i = 0; i < w * h; i++) {
      if (i % w >= w / 2) {
        assertThat(edgeAware[i]).as("right of the edge, pixel %d", i).isEqualTo(truth[i]);
      } else {
        assertThat(edgeAware[i]).as("left of the edge, pixel %d", i).isCloseTo(1f, within(1e-5f));
      }
    }
    assertThat(blind[firstRight]).as("without the edge test the left residuals leak across").isGreaterThan(3.01f);
  }

  @Test
  void emptyAndInvalidPixelsStayAsTheyAreAndANaNResidualIsSkipped() {
    int w = 100;
    int h = 16;
    float[] truth = new float[w * h];
    float[] network = new float[w * h];
    Arrays.fill(truth, 2f);
    Arrays.fill(network, 2.5f);
    network[5 * w + 5] = 0f; // the runner's mark of an invalid prediction
    Samples samples = new Samples(new int[] {4 * w + 4, 12 * w + 90}, truth, network);
    samples.residual[1] = Float.NaN; // its prediction was invalid
    float[] out = samples.keptOutput(network);
    samples.spread(NO_EDGE_TEST, out, w, h);

    assertThat(out[5 * w + 5]).as("left empty by the network").isZero();
    assertThat(out[4 * w + 5]).as("near the valid sample").isCloseTo(2f, within(1e-5f));
    assertThat(out[12 * w + 91]).as("near only the NaN sample: uncorrected").isEqualTo(2.5f);
  }

  @Test
  void aCorrectionThatWouldMakeADepthNonPositiveIsNotApplied() {
    int w = 8;
    int h = 8;
    float[] truth = new float[w * h];
    float[] network = new float[w * h];
    Arrays.fill(truth, 0.1f);
    Arrays.fill(network, 5f);
    network[3 * w + 4] = 0.2f; // near the sample, far below its residual of -4.9 m
    Samples samples = new Samples(new int[] {3 * w + 3}, truth, network);
    float[] out = samples.keptOutput(network);
    samples.spread(NO_EDGE_TEST, out, w, h);

    assertThat(out[3 * w + 4]).isEqualTo(0.2f);
    assertThat(out[3 * w + 2]).isCloseTo(0.1f, within(1e-5f));
  }

  @Test
  void settingsParseOnOffAndParametersAndNameWhatIsWrong() {
    assertThat(ResidualCorrection.Settings.parse("on")).isEqualTo(ResidualCorrection.Settings.DEFAULT);
    assertThat(ResidualCorrection.Settings.parse(" OFF ")).isEqualTo(ResidualCorrection.Settings.OFF);
    assertThat(ResidualCorrection.Settings.OFF.enabled()).isFalse();
    assertThat(ResidualCorrection.Settings.parse("scale=0.5,edge=inf"))
        .isEqualTo(new ResidualCorrection.Settings(0.5, Double.POSITIVE_INFINITY));
    assertThat(ResidualCorrection.Settings.parse("scale=1")).isEqualTo(ResidualCorrection.Settings.parse("scale=1,"
        + "edge=inf"));
    ResidualCorrection.Settings chosen = ResidualCorrection.Settings.parse("scale=0.7,edge=0.1");
    assertThat(chosen).isEqualTo(ResidualCorrection.Settings.DEFAULT);
    assertThat(ResidualCorrection.Settings.parse(chosen.toString())).isEqualTo(chosen);

    assertBad("scale=-1", "scale");
    assertBad("scale=9", "scale");
    assertBad("scale=0.5,edge=0", "edge");
    assertBad("scale=big", "scale");
    assertBad("edge=0.1", "scale=S is required");
    assertBad("scale=0.5,prior=1", "unknown parameter 'prior'");
    assertBad("yes", "expected on, off");
  }

  private static void assertBad(String spec, String named) {
    assertThatThrownBy(() -> ResidualCorrection.Settings.parse(spec)).as(spec)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named);
  }

  @Test
  void onTheShippedModelTheCorrectionKeepsSamplesAndBringsAPlaneCloser() {
    Path models = ShippedModel.modelsDir();
    int w = 160;
    int h = 120;
    DepthMap truth = DepthMap.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        truth.data()[y * w + x] = 1.5f + 0.01f * x + 0.004f * y; // a slanted wall, 1.5 to 3.6 m
      }
    }
    DepthMap sparse = DepthMap.allocate(w, h);
    Random random = new Random(8);
    for (int i = 0; i < w * h; i++) {
      sparse.data()[i] = random.nextDouble() < 0.05 ? truth.data()[i] : 0f;
    }
    DepthMap plainOut = DepthMap.allocate(w, h);
    DepthMap correctedOut = DepthMap.allocate(w, h);
    MethodCatalog off = new MethodCatalog(models, CPU, 0, ResidualCorrection.Settings.OFF);
    MethodCatalog on = new MethodCatalog(models, CPU, 0, ResidualCorrection.Settings.DEFAULT);
    try (DepthReconstructor plain = off.createDepth("fast_interp_x4");
        DepthReconstructor corrected = on.createDepth("fast_interp_x4")) {
      assertThat(plain).isInstanceOf(OnnxReconstructor.class);
      assertThat(corrected).isInstanceOf(ResidualCorrection.class);
      assertThat(corrected.name()).isEqualTo("fast_interp_x4");
      assertThat(corrected.modelVersion()).isEqualTo(plain.modelVersion());
      plain.reconstruct(sparse, plainOut);
      corrected.reconstruct(sparse, correctedOut);
    }
    double plainError = 0;
    double correctedError = 0;
    for (int i = 0; i < w * h; i++) {
      if (sparse.data()[i] > 0f) {
        assertThat(correctedOut.data()[i]).as("sample %d", i).isEqualTo(sparse.data()[i]);
      }
      plainError += Math.abs(plainOut.data()[i] - truth.data()[i]);
      correctedError += Math.abs(correctedOut.data()[i] - truth.data()[i]);
    }
    assertThat(correctedError).as("mean absolute error, corrected vs the network alone")
        .isLessThan(0.8 * plainError);
  }

  @Test
  void theCatalogCorrectsFastModelsOnlyInsideTheDensityFallback() {
    Path models = ShippedModel.testModelsDir();
    MethodCatalog catalog = new MethodCatalog(models, CPU, 0.01, ResidualCorrection.Settings.DEFAULT);
    try (DepthReconstructor fast = catalog.createDepth("fast_interp_x4_smoke");
        DepthReconstructor sr = catalog.createDepth("sr_x4_smoke")) {
      assertThat(fast).isInstanceOf(DensityFallback.class);
      DepthMap in = DepthMap.allocate(64, 48);
      Arrays.fill(in.data(), 0, 400, 2f); // 13 % measured: the network serves
      fast.reconstruct(in, DepthMap.allocate(64, 48));
      assertThat(fast.lastFrameMethod()).isInstanceOf(ResidualCorrection.class);
      assertThat(fast.lastFrameMethod().name()).isEqualTo("fast_interp_x4_smoke");
      assertThat(sr).as("super-resolution is never corrected").isInstanceOf(OnnxReconstructor.class);
    }
    assertThatThrownBy(() -> new MethodCatalog(models, CPU, 0, null)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Indices of a regular grid of step {@code step}, offset by half a step. */
  private static int[] gridIndices(int w, int h, int step) {
    int nx = (w - step / 2 + step - 1) / step;
    int ny = (h - step / 2 + step - 1) / step;
    int[] indices = new int[nx * ny];
    int k = 0;
    for (int y = step / 2; y < h; y += step) {
      for (int x = step / 2; x < w; x += step) {
        indices[k++] = y * w + x;
      }
    }
    return Arrays.copyOf(indices, k);
  }
}
