package io.depthstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.depthstream.depth.DepthMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Loading: missing, corrupt and mismatched model files; the CUDA fallback; idempotent close. */
class ModelSessionTest {
  private static final Path MODELS = ShippedModel.testModelsDir();
  private static final InferenceSettings CPU = InferenceSettings.defaults();

  @Test
  void missingFileFailsNamingTheFileAndTheExpectedSignatures(@TempDir Path dir) {
    Path expectedFile = dir.resolve("no_such_model.onnx").toAbsolutePath();
    assertThatThrownBy(() -> OnnxModels.create(dir, "no_such_model", CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(expectedFile.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("sparse[N, 2, H, W] (rank 4)")
        .hasMessageContaining("low_res[N, 1, h, w] (rank 4)")
        .hasMessageContaining("depth[N, 1, H, W] (rank 4)")
        .satisfies(e -> assertThat(((ModelLoadException) e).file()).isEqualTo(expectedFile));
  }

  @Test
  void corruptFileFailsNamingTheFileAndTheExpectedSignatures(@TempDir Path dir) throws Exception {
    byte[] garbage = new byte[4096];
    new Random(1).nextBytes(garbage);
    Path file = dir.resolve("garbage.onnx");
    Files.write(file, garbage);
    assertThatThrownBy(() -> OnnxModels.create(dir, "garbage", CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("cannot be loaded by ONNX Runtime")
        .hasMessageContaining("sparse[N, 2, H, W]")
        .hasMessageContaining("low_res[N, 1, h, w]");
  }

  @Test
  void emptyFileFailsNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("empty.onnx"));
    assertThatThrownBy(() -> ModelLoader.open(file, CPU, ModelSignature.FOCAL_STACK))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("stack[N, T, 3, H, W] (rank 5)")
        .hasMessageContaining("focus[N, T] (rank 2)");
  }

  @Test
  void modelWithOtherInputsFailsNamingExpectedAndDeclaredInputs() {
    // The focal-stack model is a valid ONNX file, but not a fast or SR model.
    assertThatThrownBy(() -> OnnxModels.create(MODELS, "focal_smoke", CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(MODELS.resolve("focal_smoke.onnx").toAbsolutePath().normalize().toString())
        .hasMessageContaining("declares inputs stack float[")
        .hasMessageContaining("expected one of fast interpolation: inputs sparse[N, 2, H, W] (rank 4)")
        .hasMessageContaining("super-resolution: inputs low_res[N, 1, h, w] (rank 4)");
    // ... and the other way round.
    assertThatThrownBy(() -> OnnxModels.focalStack(MODELS, "sr_x4_smoke", CPU))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("sr_x4_smoke.onnx declares inputs low_res")
        .hasMessageContaining("expected focal stack: inputs stack[N, T, 3, H, W] (rank 5), focus[N, T] (rank 2)");
  }

  @Test
  void fixedChannelCountIsChecked() {
    // fast_interp_x4_smoke declares sparse [N, 2, H, W] with the 2 fixed: three channels must not match.
    ModelSignature threeChannels = new ModelSignature("three-channel",
        java.util.List.of(TensorSpec.of("sparse", "N", "3", "H", "W")),
        java.util.List.of(TensorSpec.of("depth", "N", "1", "H", "W")));
    assertThatThrownBy(() -> ModelLoader.open(MODELS.resolve("fast_interp_x4_smoke.onnx"), CPU, threeChannels))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("declares inputs sparse float[")
        .hasMessageContaining(", 2, ")
        .hasMessageContaining("expected three-channel: inputs sparse[N, 3, H, W] (rank 4)");
  }

  @Test
  void modelNameMustBeAFileStem() {
    assertThatThrownBy(() -> OnnxModels.create(MODELS, "../secrets", CPU))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'../secrets'");
  }

  @Test
  void cudaPreferenceFallsBackToCpuOnTheCpuArtifact() {
    // The default build uses the CPU artifact (no CUDA provider); with -Pgpu on a CUDA host, see the test below.
    assumeThat(OrtEnvironment.getAvailableProviders()).doesNotContain(OrtProvider.CUDA);
    InferenceSettings cuda = CPU.withExecutionProvider(InferenceSettings.ExecutionProvider.CUDA);
    DepthMap in = sparseInput(32, 24);
    DepthMap viaFallback = DepthMap.allocate(32, 24);
    DepthMap viaCpu = DepthMap.allocate(32, 24);
    try (OnnxReconstructor fallback = OnnxModels.create(MODELS, "fast_interp_x4_smoke", cuda);
        OnnxReconstructor cpu = OnnxModels.create(MODELS, "fast_interp_x4_smoke", CPU)) {
      assertThat(fallback.fellBackToCpu()).isTrue();
      assertThat(fallback.executionProvider()).isEqualTo("cpu");
      assertThat(cpu.fellBackToCpu()).isFalse();
      assertThat(cpu.executionProvider()).isEqualTo("cpu");
      fallback.reconstruct(in, viaFallback);
      cpu.reconstruct(in, viaCpu);
    }
    assertThat(viaFallback.data()).containsExactly(viaCpu.data());
    assertThat(viaCpu.validCount()).isPositive();
  }

  @Test
  @EnabledIfSystemProperty(named = "depthstream.gpu", matches = "true")
  void cudaRunsOnTheGpuWhenAvailable() {
    InferenceSettings cuda = CPU.withExecutionProvider(InferenceSettings.ExecutionProvider.CUDA);
    try (OnnxReconstructor r = OnnxModels.create(MODELS, "fast_interp_x4_smoke", cuda)) {
      assertThat(r.executionProvider()).isEqualTo("cuda");
      assertThat(r.fellBackToCpu()).isFalse();
    }
  }

  @Test
  void closeIsSafeTwiceAndLaterUseFailsClearly() {
    OnnxReconstructor r = OnnxModels.create(MODELS, "sr_x4_smoke", CPU);
    DepthMap out = DepthMap.allocate(32, 24);
    r.reconstruct(sparseInput(8, 6), out);
    r.close();
    r.close();
    assertThatThrownBy(() -> r.reconstruct(sparseInput(8, 6), out))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sr_x4_smoke is closed");

    FocalStackRunner f = OnnxModels.focalStack(MODELS, "focal_smoke", CPU);
    f.close();
    f.close();
    assertThatThrownBy(() -> f.estimate(new float[3 * 4 * 4], new float[] {1f}, 1, 4, 4, DepthMap.allocate(4, 4)))
        .isInstanceOf(IllegalStateException.class);

    ModelSession s = ModelLoader.open(MODELS.resolve("fast_interp_x4_smoke.onnx"), CPU, ModelSignature.FAST);
    s.close();
    s.close();
    assertThatThrownBy(s::session).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  /** Depth 1..20 m on about a quarter of the pixels (deterministic). */
  static DepthMap sparseInput(int w, int h) {
    DepthMap m = DepthMap.allocate(w, h);
    Random rnd = new Random(42);
    for (int i = 0; i < m.size(); i++) {
      m.data()[i] = rnd.nextInt(4) == 0 ? 1f + 19f * rnd.nextFloat() : 0f;
    }
    return m;
  }
}
