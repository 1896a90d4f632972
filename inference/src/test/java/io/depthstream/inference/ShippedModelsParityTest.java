package io.depthstream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import io.depthstream.depth.DepthMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Java/ONNX Runtime against PyTorch: every shipped model's stored inputs, run in Java, must reproduce the
 * outputs PyTorch stored at export, within each fixture's tolerance. Once through the raw session (every
 * {@code models/*.io.json} and {@code test-models/*.io.json}, whatever its kind), once through the runner the stream uses (tensor layout, mask
 * channel, output copy and clamping).
 */
class ShippedModelsParityTest {

  @Test
  void everyShippedModelMatchesItsPyTorchReferenceThroughTheRawSession() throws Exception {
    List<ShippedModel> models = ShippedModel.all();
    List<String> checked = new ArrayList<>();
    for (ShippedModel m : models) {
      // The expected signature comes from the fixture itself: its names and ranks, every dimension symbolic.
      ModelSignature sig = new ModelSignature(m.name(), specs(m.inputs()), specs(m.outputs()));
      try (ModelSession session = ModelLoader.open(m.model(), InferenceSettings.defaults(), sig)) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
          for (ShippedModel.Tensor t : m.inputs()) {
            feeds.put(t.name(), Tensors.wrap(direct(t.values()), t.shape()));
          }
          try (OrtSession.Result r = session.session().run(feeds)) {
            for (ShippedModel.Tensor ref : m.outputs()) {
              OnnxValue v = r.get(ref.name()).orElseThrow();
              OnnxTensor out = (OnnxTensor) v;
              assertThat(out.getInfo().getShape()).as(m.name() + " " + ref.name() + " shape").isEqualTo(ref.shape());
              float[] got = new float[ref.values().length];
              out.getFloatBuffer().get(got);
              assertThat(maxAbsDiff(got, ref.values()))
                  .as(m.name() + " " + ref.name() + " max |java - pytorch|")
                  .isLessThanOrEqualTo(m.tolerance());
            }
          }
        } finally {
          feeds.values().forEach(OnnxTensor::close);
        }
      }
      checked.add(m.name());
    }
    // Guard against a vacuous pass (models/ moved, glob broken): the three shipped kinds at least.
    assertThat(checked).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void runnersReproduceTheReferenceWithNegativePredictionsMarkedInvalid() throws Exception {
    int fast = 0;
    int fastBlocks = 0;
    int sr = 0;
    int focal = 0;
    for (ShippedModel m : ShippedModel.all()) {
      Path dir = m.model().getParent();
      ShippedModel.Tensor ref = m.outputs().get(0);
      // A fast model in block layout: its stored tensors pixel-shuffled back to the frame the runner sees
      // (BlockLayout's index, checked against PyTorch's pixel_unshuffle in BlockLayoutTest).
      boolean blocks = m.inputNames().equals(List.of("sparse_blocks"));
      if (blocks) {
        m = unblocked(m);
        ref = m.outputs().get(0);
      }
      int outH = (int) ref.shape()[2];
      int outW = (int) ref.shape()[3];
      // The documented output convention, derived from the PyTorch reference: negative (or non-finite) -> 0;
      // a fast model that leaves keep_samples to the runner gets the input depth at its samples instead.
      boolean keeps = m.inputNames().equals(List.of("sparse")) && keepsSamples(m);
      float[] samples = keeps ? m.inputs().get(0).values() : null;
      float[] expected = ref.values().clone();
      int negatives = 0;
      int kept = 0;
      for (int i = 0; i < expected.length; i++) {
        if (keeps && samples[i] > 0f) {
          expected[i] = samples[i];
          kept++;
        } else if (!(expected[i] >= 0f)) {
          expected[i] = 0f;
          negatives++;
        }
      }
      DepthMap out = DepthMap.allocate(outW, outH);
      if (m.inputNames().equals(List.of("sparse")) || m.inputNames().equals(List.of("low_res"))) {
        ShippedModel.Tensor in = m.inputs().get(0);
        int h = (int) in.shape()[2];
        int w = (int) in.shape()[3];
        float[] depth = java.util.Arrays.copyOf(in.values(), w * h);
        if (keeps) {
          // the samples are where the graph's output differs from the runner's: the case is not vacuous
          assertThat(kept).as(m.name() + " samples kept by the runner").isPositive();
        }
        if (in.name().equals("sparse")) {
          // The runner derives channel 1 from channel 0, so the fixture's mask must be exactly (depth > 0).
          for (int i = 0; i < w * h; i++) {
            assertThat(in.values()[w * h + i]).as("fixture mask at " + i).isEqualTo(depth[i] > 0f ? 1f : 0f);
          }
        }
        try (OnnxReconstructor r = OnnxModels.create(dir, m.name(), InferenceSettings.defaults())) {
          assertThat(r.isSuperResolution()).isEqualTo(in.name().equals("low_res"));
          assertThat(r.blockSize()).as(m.name() + " block size").isEqualTo(blocks ? 4 : 1);
          assertThat(r.factor()).isEqualTo(outW / w);
          r.reconstruct(DepthMap.wrap(w, h, depth), out);
          assertThat(r.keepsSamples()).as(m.name() + " keeps samples").isEqualTo(keeps);
          assertThat(r.lastInvalidatedPixels()).as(m.name() + " invalidated").isEqualTo(negatives);
          if (r.isSuperResolution()) {
            sr++;
          } else {
            fast++;
            fastBlocks += blocks ? 1 : 0;
          }
        }
      } else if (m.inputNames().contains("stack")) {
        ShippedModel.Tensor stack = m.input("stack");
        int t = (int) stack.shape()[1];
        try (FocalStackRunner r = OnnxModels.focalStack(dir, m.name(), InferenceSettings.defaults())) {
          r.estimate(stack.values(), m.input("focus").values(), t, outH, outW, out);
          assertThat(r.lastInvalidatedPixels()).isEqualTo(negatives);
        }
        focal++;
      } else {
        continue;
      }
      assertThat(maxAbsDiff(out.data(), expected)).as(m.name() + " runner vs reference")
          .isLessThanOrEqualTo(m.tolerance());
    }
    // Each kind the stream runs must have been exercised through its runner at least once.
    assertThat(fast).as("fast models checked").isPositive();
    assertThat(fastBlocks).as("fast models in block layout checked").isPositive();
    assertThat(sr).as("SR models checked").isPositive();
    assertThat(focal).as("focal-stack models checked").isPositive();
  }

  @Test
  void modelVersionIsThePrefixOfTheSha256OnTheModelCard() throws Exception {
    Pattern sha = Pattern.compile("sha256 \\| `([0-9a-f]{64})`");
    int checked = 0;
    for (ShippedModel m : ShippedModel.all()) {
      Path card = m.model().resolveSibling(m.name() + ".md");
      Matcher matcher = sha.matcher(Files.readString(card));
      assertThat(matcher.find()).as(card + " lists a sha256").isTrue();
      ModelSignature any = new ModelSignature(m.name(), specs(m.inputs()), specs(m.outputs()));
      try (ModelSession s = ModelLoader.open(m.model(), InferenceSettings.defaults(), any)) {
        assertThat(s.modelVersion()).isEqualTo(matcher.group(1).substring(0, 12));
        assertThat(s.name()).isEqualTo(m.name());
      }
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  /** Whether the fixture's model declares {@value ModelLoader#KEEP_SAMPLES_KEY} = 1 (read from the file itself). */
  private static boolean keepsSamples(ShippedModel m) throws Exception {
    try (ai.onnxruntime.OrtSession.SessionOptions o = new ai.onnxruntime.OrtSession.SessionOptions();
        OrtSession s = ModelSession.environment().createSession(m.model().toString(), o)) {
      return "1".equals(s.getMetadata().getCustomMetadata().get(ModelLoader.KEEP_SAMPLES_KEY));
    }
  }

  /**
   * A block-layout fixture ({@code sparse_blocks [1, 2 b^2, h, w] -> depth_blocks [1, b^2, h, w]}, b = 4) as the
   * plain one it stands for ({@code sparse [1, 2, b h, b w] -> depth [1, 1, b h, b w]}); the model file is the same.
   */
  private static ShippedModel unblocked(ShippedModel m) {
    return new ShippedModel(m.json(), m.model(), m.tolerance(),
        List.of(unblocked(m.inputs().get(0), "sparse", 2)), List.of(unblocked(m.outputs().get(0), "depth", 1)));
  }

  private static ShippedModel.Tensor unblocked(ShippedModel.Tensor t, String name, int halves) {
    int b = 4;
    int h = (int) t.shape()[2];
    int w = (int) t.shape()[3];
    int frame = b * h * b * w;
    float[] values = new float[halves * frame];
    for (int half = 0; half < halves; half++) {
      for (int y = 0; y < b * h; y++) {
        for (int x = 0; x < b * w; x++) {
          values[half * frame + y * b * w + x] = t.values()[half * b * b * h * w + BlockLayout.index(x, y, b, w, h)];
        }
      }
    }
    return new ShippedModel.Tensor(name, new long[] {1, halves, (long) b * h, (long) b * w}, values);
  }

  private static List<TensorSpec> specs(List<ShippedModel.Tensor> tensors) {
    List<TensorSpec> specs = new ArrayList<>();
    for (ShippedModel.Tensor t : tensors) {
      List<String> dims = new ArrayList<>();
      for (int i = 0; i < t.shape().length; i++) {
        dims.add("d" + i);
      }
      specs.add(new TensorSpec(t.name(), dims));
    }
    return specs;
  }

  private static FloatBuffer direct(float[] values) {
    FloatBuffer b =
        ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    b.put(0, values);
    return b;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
