package io.depthstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.inference.InferenceSettings.ArenaStrategy;
import io.depthstream.inference.InferenceSettings.ExecutionProvider;
import io.depthstream.inference.InferenceSettings.OptimizationLevel;
import org.junit.jupiter.api.Test;

class InferenceSettingsTest {

  private static InferenceSettings with(int intra, int inter, int device, long memLimit) {
    return new InferenceSettings(intra, inter, ExecutionProvider.CPU, device, memLimit,
        ArenaStrategy.NEXT_POWER_OF_TWO, OptimizationLevel.ALL);
  }

  @Test
  void badValuesFailNamingTheSetting() {
    assertThatThrownBy(() -> with(-1, 1, 0, 0)).hasMessageStartingWith("intraOpThreads").hasMessageContaining("-1");
    assertThatThrownBy(() -> with(2, 5000, 0, 0)).hasMessageStartingWith("interOpThreads").hasMessageContaining("5000");
    assertThatThrownBy(() -> with(2, 1, -2, 0)).hasMessageStartingWith("cudaDeviceId").hasMessageContaining("-2");
    assertThatThrownBy(() -> with(2, 1, 0, -1)).hasMessageStartingWith("gpuMemLimitBytes");
    assertThatThrownBy(() -> new InferenceSettings(2, 1, null, 0, 0, ArenaStrategy.NEXT_POWER_OF_TWO,
        OptimizationLevel.ALL)).hasMessageStartingWith("executionProvider");
    assertThatThrownBy(() -> new InferenceSettings(2, 1, ExecutionProvider.CPU, 0, 0, null, OptimizationLevel.ALL))
        .hasMessageStartingWith("arenaStrategy");
    assertThatThrownBy(() -> new InferenceSettings(2, 1, ExecutionProvider.CPU, 0, 0,
        ArenaStrategy.SAME_AS_REQUESTED, null)).hasMessageStartingWith("optimizationLevel");
  }

  @Test
  void batchingBoundsAreCheckedAndNamed() {
    InferenceSettings d = InferenceSettings.defaults();
    assertThatThrownBy(() -> d.withBatching(0, 2)).hasMessageStartingWith("batchMax").hasMessageContaining("got 0");
    assertThatThrownBy(() -> d.withBatching(InferenceSettings.MAX_BATCH + 1, 2)).hasMessageStartingWith("batchMax");
    assertThatThrownBy(() -> d.withBatching(2, -1)).hasMessageStartingWith("batchLingerMs")
        .hasMessageContaining("got -1");
    assertThatThrownBy(() -> d.withBatching(2, InferenceSettings.MAX_LINGER_MS + 1))
        .hasMessageStartingWith("batchLingerMs");
    InferenceSettings b = d.withBatching(4, 0).withSpinning(true);
    assertThat(b.batchMax()).isEqualTo(4);
    assertThat(b.batchLingerMs()).isZero();
    assertThat(b.spinning()).isTrue();
    assertThat(b.withIntraOpThreads(1).batchMax()).as("copies keep the other components").isEqualTo(4);
  }

  @Test
  void theSevenArgumentConstructorMeansNoBatchingAndTheDefaultSpinning() {
    InferenceSettings s = with(1, 1, 0, 0);
    assertThat(s.batchMax()).isEqualTo(1);
    assertThat(s.spinning()).isEqualTo(InferenceSettings.DEFAULT_SPINNING);
    assertThat(s).isEqualTo(InferenceSettings.defaults().withIntraOpThreads(1));
  }

  @Test
  void parsersAcceptTheDocumentedSpellingsAndNameTheSettingOtherwise() {
    assertThat(ExecutionProvider.parse("k", " CUDA ")).isEqualTo(ExecutionProvider.CUDA);
    assertThat(ArenaStrategy.parse("k", "kSameAsRequested")).isEqualTo(ArenaStrategy.SAME_AS_REQUESTED);
    assertThat(ArenaStrategy.parse("k", "nextpoweroftwo")).isEqualTo(ArenaStrategy.NEXT_POWER_OF_TWO);
    assertThat(OptimizationLevel.parse("k", "basic")).isEqualTo(OptimizationLevel.BASIC);
    assertThat(OptimizationLevel.parse("k", "ALL_OPT")).isEqualTo(OptimizationLevel.ALL);
    assertThatThrownBy(() -> ExecutionProvider.parse("depthstream.inference.provider", "tpu"))
        .hasMessageContaining("depthstream.inference.provider").hasMessageContaining("'tpu'");
    assertThatThrownBy(() -> ArenaStrategy.parse("arena", "kGreedy")).hasMessageContaining("arena: ");
    assertThatThrownBy(() -> OptimizationLevel.parse("opt", "max")).hasMessageContaining("opt: ");
  }

  @Test
  void defaultsAreTheMeasuredCpuConfiguration() {
    InferenceSettings d = InferenceSettings.defaults();
    assertThat(d.intraOpThreads()).isEqualTo(InferenceSettings.DEFAULT_INTRA_OP_THREADS);
    assertThat(d.spinning()).isEqualTo(InferenceSettings.DEFAULT_SPINNING);
    assertThat(d.batchMax()).isEqualTo(1);
    assertThat(d.executionProvider()).isEqualTo(ExecutionProvider.CPU);
    assertThat(d.optimizationLevel()).isEqualTo(OptimizationLevel.ALL);
    assertThat(d.withExecutionProvider(ExecutionProvider.CUDA).executionProvider()).isEqualTo(ExecutionProvider.CUDA);
  }
}
