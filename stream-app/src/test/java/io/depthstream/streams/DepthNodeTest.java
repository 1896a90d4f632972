package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.inference.InferenceSettings;
import io.depthstream.streams.config.NodeConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inference.* keys reach ONNX Runtime's settings. */
class DepthNodeTest {
  private static NodeConfig config(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>(extra);
    props.put("bootstrap.servers", "broker:9092");
    props.put("application.id", "test");
    return NodeConfig.from(props);
  }

  @Test
  void inferenceKeysMapToTheSettings() {
    InferenceSettings s = DepthNode.inference(config(Map.of(
        NodeConfig.INFERENCE_THREADS_INTRA, "1",
        NodeConfig.INFERENCE_THREADS_INTER, "3",
        NodeConfig.INFERENCE_PROVIDER, "cuda",
        NodeConfig.INFERENCE_CUDA_DEVICE, "2",
        NodeConfig.INFERENCE_GPU_MEM_LIMIT_BYTES, "1073741824",
        NodeConfig.INFERENCE_ARENA_STRATEGY, "kSameAsRequested",
        NodeConfig.INFERENCE_OPTIMIZATION, "basic",
        NodeConfig.INFERENCE_SPINNING, "true",
        NodeConfig.INFERENCE_BATCH_MAX, "4",
        NodeConfig.INFERENCE_BATCH_LINGER_MS, "7")));
    assertThat(s).isEqualTo(new InferenceSettings(1, 3, InferenceSettings.ExecutionProvider.CUDA, 2, 1L << 30,
        InferenceSettings.ArenaStrategy.SAME_AS_REQUESTED, InferenceSettings.OptimizationLevel.BASIC, true, 4, 7));
  }

  @Test
  void unsetKeysGiveTheLibraryDefaults() {
    assertThat(DepthNode.inference(config(Map.of()))).isEqualTo(InferenceSettings.defaults());
  }
}
