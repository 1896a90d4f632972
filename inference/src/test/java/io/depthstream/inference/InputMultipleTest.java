package io.depthstream.inference;

import static io.depthstream.inference.ModelSessionTest.sparseInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.depthstream.depth.DepthMap;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models that declare {@value ModelLoader#INPUT_MULTIPLE_KEY}: the runner pads the input to the multiple and crops
 * the output, which must equal a direct ONNX Runtime run on a hand-padded tensor, cropped by hand.
 */
class InputMultipleTest {
  private static final Path MODELS = ShippedModel.testModelsDir();
  private static final InferenceSettings CPU = InferenceSettings.defaults();

  @Test
  void multipleIsReadFromMetadataAndDefaultsToOne() {
    try (ModelSession withKey = ModelLoader.open(ModelFiles.fastMultiple8(), CPU, ModelSignature.FAST);
        ModelSession without =
            ModelLoader.open(ModelFiles.fastV1WithoutMetadata(), CPU, ModelSignature.FAST)) {
      assertThat(withKey.inputMultiple()).isEqualTo(8);
      assertThat(without.inputMultiple()).isEqualTo(1);
    }
  }

  @Test
  void fastPathPadsToTheMultipleAndCropsLikeAHandPaddedDirectRun() throws Exception {
    int w = 1242;
    int h = 375; // KITTI size: neither a multiple of 8
    int pw = 1248;
    int ph = 376;
    DepthMap in = sparseInput(w, h);
    DepthMap out = DepthMap.allocate(w, h);
    float[] expected;
    try (ModelSession session = ModelLoader.open(ModelFiles.fastMultiple8(), CPU, ModelSignature.FAST);
        OnnxReconstructor runner = new OnnxReconstructor(session.share())) {
      runner.reconstruct(in, out);
      assertThat(runner.inputTensorShape()).containsExactly(1, 2, ph, pw);

      // By hand: [1, 2, 376, 1248], depth then mask, zero outside the frame; run; crop; negatives -> 0.
      float[] full = run(session, "sparse", handPadded(in, pw, ph), new long[] {1, 2, ph, pw}, ph * pw);
      expected = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = full[y * pw + x];
          expected[y * w + x] = v >= 0f ? v : 0f;
        }
      }
    }
    assertThat(ShippedModelsParityTest.maxAbsDiff(out.data(), expected)).isLessThanOrEqualTo(1e-5);
    assertThat(out.validCount()).isGreaterThan(w * h / 2);
  }

  @Test
  void superResolutionHonoursADeclaredMultipleToo(@TempDir Path dir) throws Exception {
    Path model = ModelFiles.withMetadata(
        MODELS.resolve("sr_x4_smoke.onnx"), dir, "sr_x4_multiple8", ModelLoader.INPUT_MULTIPLE_KEY, "8");
    int w = 30;
    int h = 21;
    DepthMap in = sparseInput(w, h);
    DepthMap out = DepthMap.allocate(4 * w, 4 * h);
    float[] full;
    try (ModelSession session = ModelLoader.open(model, CPU, ModelSignature.SUPER_RESOLUTION);
        OnnxReconstructor runner = new OnnxReconstructor(session.share())) {
      assertThat(runner.inputMultiple()).isEqualTo(8);
      assertThat(runner.factor()).isEqualTo(4);
      runner.reconstruct(in, out);
      assertThat(runner.inputTensorShape()).containsExactly(1, 1, 24, 32);
      float[] padded = new float[24 * 32];
      for (int y = 0; y < h; y++) {
        System.arraycopy(in.data(), y * w, padded, y * 32, w);
      }
      full = run(session, "low_res", padded, new long[] {1, 1, 24, 32}, 96 * 128);
    }
    for (int y = 0; y < 4 * h; y++) {
      for (int x = 0; x < 4 * w; x++) {
        float v = full[y * 128 + x];
        assertThat(out.data()[y * 4 * w + x]).as("(%d, %d)", x, y).isCloseTo(v >= 0f ? v : 0f,
            org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void invalidMultipleFailsNamingTheFileAndTheKey(@TempDir Path dir) throws Exception {
    Path source = ModelFiles.fastV1WithoutMetadata();
    for (String bad : new String[] {"0", "-8", "eight", "", "8.5"}) {
      Path file = ModelFiles.withMetadata(source, dir, "bad_multiple", ModelLoader.INPUT_MULTIPLE_KEY, bad);
      assertThatThrownBy(() -> OnnxModels.create(dir, "bad_multiple", CPU))
          .as("value '%s'", bad)
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining(file.toAbsolutePath().toString())
          .hasMessageContaining(ModelLoader.INPUT_MULTIPLE_KEY)
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("positive integer");
    }
    // The same bytes with a good value load, so the failure above is the value, not the appended entry.
    ModelFiles.withMetadata(source, dir, "good_multiple", ModelLoader.INPUT_MULTIPLE_KEY, "4");
    try (OnnxReconstructor r = OnnxModels.create(dir, "good_multiple", CPU)) {
      assertThat(r.inputMultiple()).isEqualTo(4);
    }
  }

  @Test
  void frameAlreadyAMultipleIsNotPaddedAndMatchesTheModelWithoutMetadata() {
    DepthMap in = sparseInput(64, 48);
    DepthMap viaMultiple = DepthMap.allocate(64, 48);
    DepthMap plain = DepthMap.allocate(64, 48);
    try (ModelSession session = ModelLoader.open(ModelFiles.fastMultiple8(), CPU, ModelSignature.FAST);
        OnnxReconstructor a = new OnnxReconstructor(session.share());
        OnnxReconstructor b = new OnnxReconstructor(
            ModelLoader.open(ModelFiles.fastV1WithoutMetadata(), CPU, ModelSignature.FAST))) {
      a.reconstruct(in, viaMultiple);
      b.reconstruct(in, plain);
      assertThat(a.inputTensorShape()).containsExactly(1, 2, 48, 64);
    }
    assertThat(viaMultiple.data()).containsExactly(plain.data());
  }

  @Test
  void paddedFramesAllocateNoFrameSizedHeapMemory() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int w = 250;
    int h = 75; // padded to 256x80
    DepthMap in = sparseInput(w, h);
    DepthMap out = DepthMap.allocate(w, h);
    int runs = 10;
    long perFrame;
    try (OnnxReconstructor r = new OnnxReconstructor(
        ModelLoader.open(ModelFiles.fastMultiple8(), CPU, ModelSignature.FAST))) {
      for (int i = 0; i < 3; i++) {
        r.reconstruct(in, out);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < runs; i++) {
        r.reconstruct(in, out);
      }
      perFrame = (threads.getCurrentThreadAllocatedBytes() - before) / runs;
    }
    // ORT's Result wrapper and its map are the only per-frame objects; one frame-sized float array would be 75 kB.
    assertThat(perFrame).as("heap bytes allocated per frame").isLessThan(4096);
  }

  /** The fast input tensor of {@code in} by hand: [1, 2, ph, pw], depth then mask (depth > 0), zero outside. */
  static float[] handPadded(DepthMap in, int pw, int ph) {
    int w = in.width();
    float[] padded = new float[2 * ph * pw];
    for (int y = 0; y < in.height(); y++) {
      for (int x = 0; x < w; x++) {
        float d = in.data()[y * w + x];
        padded[y * pw + x] = d;
        padded[ph * pw + y * pw + x] = d > 0f ? 1f : 0f;
      }
    }
    return padded;
  }

  /** A direct run of {@code session} on a fresh tensor, returning the first {@code outFloats} output values. */
  static float[] run(ModelSession session, String input, float[] values, long[] shape, int outFloats)
      throws Exception {
    FloatBuffer buffer = Tensors.directFloats(values.length);
    buffer.put(0, values);
    try (OnnxTensor t = Tensors.wrap(buffer, shape);
        // The session the runner uses for this shape (ModelSession.Shared#sessionFor), so outputs compare exactly.
        OrtSession.Result r = session.shared().sessionFor(shape).run(java.util.Map.of(input, t))) {
      float[] out = new float[outFloats];
      ((OnnxTensor) r.get("depth").orElseThrow()).getFloatBuffer().get(out);
      return out;
    }
  }
}
