package io.depthstream.inference;

import static io.depthstream.inference.ModelSessionTest.sparseInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.depthstream.depth.DepthMap;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link ModelSession.Shared#sessionFor}: a session per input shape with the shape fixed, on the CPU. */
class FixedShapeSessionTest {
  /** A fast model in the plain layout (the shipped one is in block layout: {@link BlockLayoutTest}). */
  private static final Path PLAIN = ShippedModel.testModelsDir().resolve("fast_interp_x4_smoke.onnx");

  private static long[] declaredInput(OrtSession session) throws Exception {
    return ((TensorInfo) session.getInputInfo().get("sparse").getInfo()).getShape();
  }

  @Test
  void eachShapeGetsOneSessionWithThatShapeFixed() throws Exception {
    try (ModelSession model = ModelLoader.open(PLAIN, InferenceSettings.defaults(), ModelSignature.FAST)) {
      ModelSession.Shared shared = model.shared();
      assertThat(declaredInput(model.session())).containsExactly(-1, 2, -1, -1);
      long[] shape = {1, 2, 48, 64};
      OrtSession fixed = shared.sessionFor(shape);
      assertThat(fixed).isNotSameAs(model.session());
      assertThat(declaredInput(fixed)).containsExactly(shape);
      assertThat(shared.sessionFor(new long[] {1, 2, 48, 64})).isSameAs(fixed);
      assertThat(shared.sessionFor(new long[] {1, 2, 56, 64})).isNotSameAs(fixed);
    }
  }

  @Test
  void beyondTheLimitShapesRunOnTheDynamicSession() {
    try (ModelSession model = ModelLoader.open(PLAIN, InferenceSettings.defaults(), ModelSignature.FAST)) {
      for (int i = 0; i < ModelSession.MAX_FIXED_SHAPES; i++) {
        assertThat(model.shared().sessionFor(new long[] {1, 2, 8, 8L * (i + 1)})).isNotSameAs(model.session());
      }
      assertThat(model.shared().sessionFor(new long[] {1, 2, 8, 800})).isSameAs(model.session());
    }
  }

  @Test
  void aModelWhoseDimensionsHaveOtherNamesKeepsItsDynamicSession() {
    try (ModelSession model = ModelLoader.open(ModelFiles.fastOtherDimensionNames(), InferenceSettings.defaults(),
        ModelSignature.FAST)) {
      assertThat(model.shared().sessionFor(new long[] {1, 2, 16, 16})).isSameAs(model.session());
    }
  }

  @Test
  void theRunnerGivesTheDynamicSessionsDepthToFloatRounding() {
    DepthMap in = sparseInput(72, 40);
    DepthMap viaRunner = DepthMap.allocate(72, 40);
    DepthMap viaBatcher = DepthMap.allocate(72, 40);
    // batchMax 2 routes every frame through the micro-batcher, which runs the dynamic session.
    try (ModelSession model = ModelLoader.open(PLAIN, InferenceSettings.defaults(), ModelSignature.FAST);
        OnnxReconstructor runner = new OnnxReconstructor(model.share());
        ModelSession batchedModel = ModelLoader.open(PLAIN, InferenceSettings.defaults().withBatching(2, 0),
            ModelSignature.FAST);
        OnnxReconstructor batched = new OnnxReconstructor(batchedModel.share())) {
      runner.reconstruct(in, viaRunner);
      batched.reconstruct(in, viaBatcher);
      for (int i = 0; i < in.size(); i++) {
        assertThat(viaRunner.data()[i]).as("pixel %d", i).isCloseTo(viaBatcher.data()[i], within(1e-5f));
      }
    }
  }
}
