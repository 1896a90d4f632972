package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.inference.InferenceSettings;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.depth.classical.SparseBlend;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The inference.* keys reach ONNX Runtime's settings; start-up checks keep the warmed-up methods open. */
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

  /** Wraps the classical methods and records which instances were closed. */
  private static final class Tracking {
    final List<String> created = new ArrayList<>();
    final List<String> closed = new ArrayList<>();
    /** Per warm-up call, the share of the input's pixels that were measured. */
    final List<Double> measuredShares = new ArrayList<>();

    DepthReconstructor create(String name) {
      DepthReconstructor inner = ClassicalMethods.create(name);
      created.add(name);
      return new DepthReconstructor() {
        @Override
        public String name() {
          return inner.name();
        }

        @Override
        public void reconstruct(DepthMap input, DepthMap output) {
          long measured = 0;
          for (float v : input.data()) {
            measured += v > 0f ? 1 : 0;
          }
          measuredShares.add(measured / (double) input.size());
          inner.reconstruct(input, output);
        }

        @Override
        public void close() {
          closed.add(name);
          inner.close();
        }
      };
    }
  }

  @Test
  void checkMethodsReturnsEveryConfiguredMethodWarmedUpAndOpen() {
    Tracking tracking = new Tracking();
    List<DepthReconstructor> open = DepthNode.checkMethods(config(Map.of(
        NodeConfig.METHOD_LIDAR, "morphological", NodeConfig.METHOD_RGBD, "inpaint",
        NodeConfig.METHOD_VSLAM, "nearest-fill")), tracking::create);

    // Kept open so a model's shared session stays loaded until the stream tasks take their own references.
    assertThat(open).extracting(DepthReconstructor::name).containsExactly("morphological", "inpaint", "nearest-fill");
    // The warm-up runs frames on both sides of the fast path's density fallback (default 1 %), so both its network
    // and its fallback (linear interpolation blended with inpainting and nearest-fill) are compiled before the first
    // real frame.
    assertThat(tracking.measuredShares).anyMatch(share -> share < 0.01).anyMatch(share -> share > 0.1);
    assertThat(tracking.closed).isEmpty();
    open.forEach(DepthReconstructor::close);
    assertThat(tracking.closed).containsExactly("morphological", "inpaint", "nearest-fill");
  }

  @Test
  void anUnknownMethodNamesItsKeyAndClosesWhatWasAlreadyOpened() {
    Tracking tracking = new Tracking();
    assertThatThrownBy(() -> DepthNode.checkMethods(config(Map.of(
        NodeConfig.METHOD_LIDAR, "morphological", NodeConfig.METHOD_RGBD, "no-such-method")), tracking::create))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.METHOD_RGBD)
        .hasMessageContaining("no-such-method");
    assertThat(tracking.created).containsExactly("morphological");
    assertThat(tracking.closed).containsExactly("morphological");
  }

  private static final String MODELS =
      java.nio.file.Path.of(System.getProperty("depthstream.root", "..")).resolve("test-models").toString();

  @Test
  void checkFocalMethodReturnsTheWarmedUpRunnerOpen() {
    NodeConfig config = config(Map.of(NodeConfig.MODELS_DIR, MODELS, NodeConfig.METHOD_FOCAL, "focal_smoke",
        NodeConfig.INFERENCE_THREADS_INTRA, "1"));
    io.depthstream.depth.focus.FocalStackEstimator runner =
        DepthNode.checkFocalMethod(config, DepthNode.focalStacks(config));
    try {
      assertThat(runner.name()).isEqualTo("focal_smoke");
      // Still open: it runs another stack.
      io.depthstream.depth.DepthMap out = io.depthstream.depth.DepthMap.allocate(8, 6);
      runner.estimate(new float[3 * 8 * 6], new float[] {1f}, 1, 6, 8, out);
    } finally {
      runner.close();
    }
  }

  @Test
  void depthFromFocusNeedsNoModelAndNearMissesStillFailNamingTheKey() {
    // No models dir with such a file: the classical method is not looked up there.
    NodeConfig config = config(Map.of(NodeConfig.MODELS_DIR, "/nonexistent", NodeConfig.METHOD_FOCAL,
        "depth-from-focus"));
    io.depthstream.depth.focus.FocalStackEstimator dff =
        DepthNode.checkFocalMethod(config, DepthNode.focalStacks(config));
    try {
      assertThat(dff).isInstanceOf(io.depthstream.depth.focus.DepthFromFocus.class);
      assertThat(dff.name()).isEqualTo("depth-from-focus");
      assertThat(dff.version()).isEmpty();
    } finally {
      dff.close();
    }
    for (String method : List.of("depth_from_focus", "Depth-From-Focus", "dff")) {
      NodeConfig bad = config(Map.of(NodeConfig.MODELS_DIR, MODELS, NodeConfig.METHOD_FOCAL, method));
      assertThatThrownBy(() -> DepthNode.checkFocalMethod(bad, DepthNode.focalStacks(bad))).as(method)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(NodeConfig.METHOD_FOCAL)
          .hasMessageContaining(method);
    }
  }

  @Test
  void anIncompatibleOrMissingFocalModelNamesItsKey() {
    for (String model : List.of("fast_interp_x4_smoke", "no_such_model", "../escape")) {
      NodeConfig config = config(Map.of(NodeConfig.MODELS_DIR, MODELS, NodeConfig.METHOD_FOCAL, model));
      assertThatThrownBy(() -> DepthNode.checkFocalMethod(config, DepthNode.focalStacks(config))).as(model)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(NodeConfig.METHOD_FOCAL)
          .hasMessageContaining(model);
    }
  }

  @Test
  void theFastModelsDensityFallbackFollowsItsSettingAndABadValueFailsNamingTheKey() {
    // Default 1 %: a LiDAR frame of 20 measured pixels in 64x48 (0.65 %) is the linear / nearest-fill blend's, and
    // says so.
    NodeConfig defaults =
        config(Map.of(NodeConfig.MODELS_DIR, MODELS, NodeConfig.METHOD_LIDAR, "fast_interp_x4_smoke"));
    DepthMap sparse = DepthMap.allocate(64, 48);
    for (int k = 0; k < 20; k++) {
      sparse.data()[k * 151] = 1f + k * 0.1f;
    }
    DepthMap out = DepthMap.allocate(64, 48);
    try (DepthReconstructor fast = DepthNode.methods(defaults).create("fast_interp_x4_smoke")) {
      fast.reconstruct(sparse, out);
      assertThat(fast.name()).isEqualTo("fast_interp_x4_smoke");
      assertThat(fast.lastFrameMethod().name()).isEqualTo(SparseBlend.NAME);
      assertThat(fast.lastFrameMethod().modelVersion()).isEmpty();
    }
    // 0 turns it off: the model serves the same frame.
    NodeConfig off = config(Map.of(NodeConfig.MODELS_DIR, MODELS, NodeConfig.FAST_FALLBACK_DENSITY, "0"));
    try (DepthReconstructor fast = DepthNode.methods(off).create("fast_interp_x4_smoke")) {
      fast.reconstruct(sparse, out);
      assertThat(fast.lastFrameMethod().name()).isEqualTo("fast_interp_x4_smoke");
      assertThat(fast.lastFrameMethod().modelVersion()).isNotEmpty();
    }
    // A bad value stops the start before anything loads, naming the key.
    for (String bad : List.of("-0.01", "1.5", "1%", "")) {
      assertThatThrownBy(() -> config(Map.of(NodeConfig.METHOD_LIDAR, "fast_interp_x4_smoke",
          NodeConfig.FAST_FALLBACK_DENSITY, bad)))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining(NodeConfig.FAST_FALLBACK_DENSITY);
    }
  }

  @Test
  void aModelOfTheOtherRoleIsRefusedNamingTheKeyAndTheMethodsOfEachRole() {
    NodeConfig lidar = config(Map.of(NodeConfig.MODELS_DIR, MODELS, NodeConfig.METHOD_LIDAR, "focal_smoke"));
    assertThatThrownBy(() -> DepthNode.checkMethods(lidar, DepthNode.methods(lidar)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.METHOD_LIDAR)
        .hasMessageContaining("'focal_smoke' is a focal-stack model, not a depth method")
        .hasMessageContaining("focal-stack methods: depth-from-focus, focal_smoke");
    NodeConfig focal = config(Map.of(NodeConfig.MODELS_DIR, MODELS, NodeConfig.METHOD_FOCAL, "sr_x4_smoke"));
    assertThatThrownBy(() -> DepthNode.checkFocalMethod(focal, DepthNode.focalStacks(focal)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.METHOD_FOCAL)
        .hasMessageContaining("'sr_x4_smoke' is a depth model, not a focal-stack method")
        .hasMessageContaining("depth methods: " + String.join(", ", ClassicalMethods.names())
            + ", fast_interp_x4_smoke, fast_interp_x4_smoke_blocks, sr_x4_smoke;");
  }

  @Test
  void focalStacksOffLoadsNoModel() {
    NodeConfig config = config(Map.of(NodeConfig.METHOD_FOCAL, "none"));
    assertThat(DepthNode.checkFocalMethod(config, name -> {
      throw new AssertionError("no model may be opened, got " + name);
    })).isNull();
  }
}
