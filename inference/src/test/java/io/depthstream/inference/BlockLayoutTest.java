package io.depthstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.depthstream.depth.DepthMap;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fast models in block layout ({@link ModelSignature#FAST_BLOCKS}): the runner's packing is PyTorch's
 * {@code pixel_unshuffle}, and a block-layout export gives, through the runner, what the plain export of the same
 * weights gives (the test models {@code fast_interp_x4_smoke} and {@code fast_interp_x4_smoke_blocks}, exported
 * from the same weights by {@code export --from-onnx [--block-io]}), with padding, keep_samples and the input checks
 * of the plain path.
 */
class BlockLayoutTest {
  private static final InferenceSettings CPU = InferenceSettings.defaults();
  private static final Path MODELS = ShippedModel.testModelsDir();
  private static final String PLAIN = "fast_interp_x4_smoke";
  private static final String BLOCKS = "fast_interp_x4_smoke_blocks";

  @ParameterizedTest(name = "block {0}, {1}x{2} in {3}x{4} blocks")
  @CsvSource({"4, 13, 10, 4, 4", "4, 16, 8, 4, 2", "2, 13, 10, 7, 5", "3, 10, 7, 4, 3"})
  void packingIsPixelUnshuffleWithTheMaskAsTheSecondHalfAndThePaddingLeftZero(int b, int w, int h, int lowW,
      int lowH) {
    // block 4 runs the four-cursor loops (13: a width with a remainder), other sizes the general ones
    float[] frame = sparse(w, h, 0.5, 7).data();
    FloatBuffer packed = Tensors.directFloats(2 * b * b * lowW * lowH);
    assertThat(BlockLayout.pack(frame, w, h, b, lowW, lowH, packed)).isZero();
    int plane = lowW * lowH;
    for (int y = 0; y < lowH * b; y++) {
      for (int x = 0; x < lowW * b; x++) {
        // pixel_unshuffle: channel c b^2 + i b + j at (y / b, x / b), i = y mod b, j = x mod b
        int at = ((y % b) * b + x % b) * plane + (y / b) * lowW + x / b;
        assertThat(BlockLayout.index(x, y, b, lowW, lowH)).isEqualTo(at);
        float depth = x < w && y < h ? frame[y * w + x] : 0f;
        assertThat(packed.get(at)).as("depth (%d, %d)", x, y).isEqualTo(depth);
        assertThat(packed.get(b * b * plane + at)).as("mask (%d, %d)", x, y).isEqualTo(depth > 0f ? 1f : 0f);
      }
    }
    float[] back = new float[w * h];
    BlockLayout.unpack(packed, b, lowW, lowH, back, w, h);
    assertThat(back).containsExactly(frame);
  }

  @Test
  void packingReportsEveryKindOfBadValue() {
    for (float bad : new float[] {-0.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
      float[] frame = new float[16 * 8];
      frame[37] = bad;
      assertThat(BlockLayout.pack(frame, 16, 8, 4, 4, 2, Tensors.directFloats(2 * 16 * 8))).as("%s", bad)
          .isNotZero();
    }
  }

  @ParameterizedTest(name = "{0}x{1}, {2} of the pixels, {3} intra-op threads")
  @CsvSource({"640, 480, 0.05, 2", "640, 480, 0.002, 2", "1242, 375, 0.05, 2", "1242, 375, 0.002, 2",
      "250, 75, 0.3, 2", "640, 480, 0.05, 1", "250, 75, 0.3, 1"})
  void theBlockExportGivesWhatThePlainExportOfTheSameWeightsGives(int w, int h, double density, int threads) {
    // 2 threads: the runner splits its pack and copy with a helper (RowSplit); 1: the caller does them alone
    InferenceSettings settings = CPU.withIntraOpThreads(threads);
    DepthMap in = sparse(w, h, density, 11);
    DepthMap plainOut = DepthMap.allocate(w, h);
    DepthMap blocksOut = DepthMap.allocate(w, h);
    try (OnnxReconstructor plain = OnnxModels.create(MODELS, PLAIN, settings);
        OnnxReconstructor blocks = OnnxModels.create(MODELS, BLOCKS, settings)) {
      assertThat(blocks.splitsItsCopies()).isEqualTo(RowSplit.worthIt(settings));
      assertThat(plain.blockSize()).isEqualTo(1);
      assertThat(blocks.blockSize()).isEqualTo(4);
      assertThat(blocks.keepsSamples()).isTrue();
      assertThat(blocks.inputMultiple()).isEqualTo(8);
      for (int frame = 0; frame < 2; frame++) { // the second frame reuses the buffers, padding included
        plain.reconstruct(in, plainOut);
        blocks.reconstruct(in, blocksOut);
        assertThat(ShippedModelsParityTest.maxAbsDiff(blocksOut.data(), plainOut.data())).isLessThanOrEqualTo(1e-5);
        assertThat(blocks.lastInvalidatedPixels()).isEqualTo(plain.lastInvalidatedPixels());
      }
      for (int i = 0; i < in.size(); i++) {
        if (in.data()[i] > 0f) {
          assertThat(blocksOut.data()[i]).as("sample %d kept", i).isEqualTo(in.data()[i]);
        }
      }
      // the network's own prediction, as ResidualCorrection reads it (compared where the plain smoke export, whose
      // graph still keeps the samples itself, predicts too: between the samples)
      int compared = 0;
      for (int y = 0; y < h; y += 7) {
        for (int x = 0; x < w; x += 5) {
          if (in.data()[y * w + x] == 0f) {
            assertThat(Math.abs(blocks.lastPrediction(x, y) - plain.lastPrediction(x, y))).as("(%d, %d)", x, y)
                .isLessThanOrEqualTo(1e-5f);
            compared++;
          }
        }
      }
      assertThat(compared).isPositive();
      assertThat(blocks.inputTensorShape()).containsExactly(1, 32, padded(h) / 4, padded(w) / 4);
    }
  }

  @ParameterizedTest(name = "{0} intra-op threads")
  @CsvSource({"1", "2"})
  void aBadPixelFailsTheFrameNamingIt(int threads) {
    DepthMap in = sparse(64, 48, 0.1, 3);
    in.data()[37 * 64 + 9] = Float.NaN; // in the third chunk of rows: the helper's, when it splits
    try (OnnxReconstructor blocks = OnnxModels.create(MODELS, BLOCKS, CPU.withIntraOpThreads(threads))) {
      assertThatThrownBy(() -> blocks.reconstruct(in, DepthMap.allocate(64, 48)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pixel (9, 37) is NaN");
      in.data()[37 * 64 + 9] = 2f;
      DepthMap out = DepthMap.allocate(64, 48);
      blocks.reconstruct(in, out); // the next frame runs
      assertThat(out.data()[37 * 64 + 9]).isEqualTo(2f);
    }
  }

  @Test
  void eachShapeGetsASessionWithTheLowResolutionShapeFixed() throws Exception {
    try (ModelSession model = ModelLoader.open(MODELS.resolve(BLOCKS + ".onnx"), CPU, ModelSignature.FAST_BLOCKS)) {
      assertThat(model.blockSize()).isEqualTo(4);
      long[] shape = {1, 32, 12, 16};
      OrtSession fixed = model.shared().sessionFor(shape);
      assertThat(fixed).isNotSameAs(model.session());
      assertThat(((TensorInfo) fixed.getInputInfo().get("sparse_blocks").getInfo()).getShape())
          .containsExactly(shape);
    }
  }

  @Test
  void theLoaderChecksTheBlockSizeAgainstTheChannelsAndTheLayout(@TempDir Path dir) throws Exception {
    Path file = MODELS.resolve(BLOCKS + ".onnx");
    try (ModelSession model = ModelLoader.open(file, CPU, ModelSignature.FAST_BLOCKS)) {
      OrtSession session = model.session();
      assertThat(ModelLoader.blockSize(file, ModelSignature.FAST_BLOCKS, "4", session, 8)).isEqualTo(4);
      for (String bad : new String[] {"3", "2", "1", "0", "x", ""}) {
        assertThatThrownBy(() -> ModelLoader.blockSize(file, ModelSignature.FAST_BLOCKS, bad, session, 8))
            .as("'%s'", bad)
            .isInstanceOf(ModelLoadException.class)
            .hasMessageContaining(ModelLoader.BLOCK_SIZE_KEY)
            .hasMessageContaining("'" + bad + "' with 32 input channels, 16 output channels");
      }
      assertThatThrownBy(() -> ModelLoader.blockSize(file, ModelSignature.FAST_BLOCKS, null, session, 8))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("'null'");
      assertThatThrownBy(() -> ModelLoader.blockSize(file, ModelSignature.FAST_BLOCKS, "4", session, 6))
          .as("an input multiple the blocks do not divide")
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("input multiple 6");
    }
    // a plain-layout model that declares a block size would be read in the wrong layout
    ModelFiles.withMetadata(ModelFiles.fastMultiple8(), dir, "plain_with_blocks", ModelLoader.BLOCK_SIZE_KEY, "4");
    assertThatThrownBy(() -> OnnxModels.create(dir, "plain_with_blocks", CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(ModelLoader.BLOCK_SIZE_KEY)
        .hasMessageContaining("only " + ModelSignature.FAST_BLOCKS.describe());
  }

  private static int padded(int size) {
    return OnnxReconstructor.padded(size, 8);
  }

  /** A frame with {@code density} of its pixels measured (1-20 m), the rest 0. */
  static DepthMap sparse(int w, int h, double density, long seed) {
    DepthMap m = DepthMap.allocate(w, h);
    Random rnd = new Random(seed);
    for (int i = 0; i < m.size(); i++) {
      m.data()[i] = rnd.nextDouble() < density ? 1f + 19f * rnd.nextFloat() : 0f;
    }
    return m;
  }
}
