package io.depthstream.inference;

import static io.depthstream.inference.ModelSessionTest.sparseInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One ref-counted session per model, shared by the runners of all stream tasks. */
class SharedSessionTest {
  private static final Path MODELS = ShippedModel.testModelsDir();
  private static final String FAST = "fast_interp_x4_smoke";

  @Test
  void focalStackRunnersOfOneModelShareOneSessionToo() {
    MethodCatalog catalog = new MethodCatalog(MODELS, InferenceSettings.defaults());
    try (FocalStackRunner a = (FocalStackRunner) catalog.openFocalStack("focal_smoke");
        FocalStackRunner b = (FocalStackRunner) catalog.openFocalStack("focal_smoke")) {
      assertThat(catalog.sessionUsers("focal_smoke")).isEqualTo(2);
      float[] stack = new float[2 * 3 * 16 * 12];
      java.util.Arrays.fill(stack, 0.5f);
      DepthMap out = DepthMap.allocate(12, 16);
      b.estimate(stack, new float[] {1f, 2f}, 2, 16, 12, out);
      a.close();
      assertThat(catalog.sessionUsers("focal_smoke")).as("b still runs on it").isEqualTo(1);
      b.estimate(stack, new float[] {1f, 2f}, 2, 16, 12, out);
    }
    assertThat(catalog.sessionUsers("focal_smoke")).isZero();
    assertThatThrownBy(() -> catalog.openFocalStack(FAST)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + FAST + "' is a depth model, not a focal-stack method")
        .hasMessageContaining("focal-stack methods: depth-from-focus, focal_smoke");
    assertThat(catalog.sessionUsers(FAST)).as("nothing left open").isZero();
  }

  @Test
  void runnersOfOneModelShareOneSessionThatClosesWithTheLastOfThem() throws Exception {
    MethodCatalog catalog = new MethodCatalog(MODELS, InferenceSettings.defaults());
    DepthMap inA = sparseInput(64, 48);
    DepthMap inB = sparseInput(40, 30);
    DepthMap expectedB = DepthMap.allocate(40, 30);
    try (OnnxReconstructor alone = OnnxModels.create(MODELS, FAST, InferenceSettings.defaults())) {
      alone.reconstruct(inB, expectedB);
    }
    OnnxReconstructor a = (OnnxReconstructor) catalog.createDepth(FAST);
    OnnxReconstructor b = (OnnxReconstructor) catalog.createDepth(FAST);
    ModelSession.Shared shared = a.model().shared();
    assertThat(b.model().shared()).isSameAs(shared);
    assertThat(catalog.sessionUsers(FAST)).isEqualTo(2);

    a.reconstruct(inA, DepthMap.allocate(64, 48));
    a.close();
    a.close(); // a second close must not release b's reference
    assertThat(catalog.sessionUsers(FAST)).isEqualTo(1);
    DepthMap outB = DepthMap.allocate(40, 30);
    b.reconstruct(inB, outB);
    assertThat(outB.data()).containsExactly(expectedB.data());

    b.close();
    assertThat(catalog.sessionUsers(FAST)).isZero();
    assertThat(shared.refs()).isZero();
    // The native session itself is closed: ORT refuses to run on it.
    assertThatThrownBy(() -> shared.session.run(java.util.Map.of())).isInstanceOf(IllegalStateException.class);

    // A later create loads the model again, on a new session.
    try (DepthReconstructor c = catalog.createDepth(FAST)) {
      assertThat(((OnnxReconstructor) c).model().shared()).isNotSameAs(shared);
      DepthMap outC = DepthMap.allocate(40, 30);
      c.reconstruct(inB, outC);
      assertThat(outC.data()).containsExactly(expectedB.data());
    }
  }

  @Test
  void otherSettingsOrOtherModelsGetTheirOwnSession() {
    MethodCatalog one = new MethodCatalog(MODELS, InferenceSettings.defaults());
    MethodCatalog oneThread = new MethodCatalog(MODELS, InferenceSettings.defaults().withIntraOpThreads(1));
    try (OnnxReconstructor a = (OnnxReconstructor) one.createDepth(FAST);
        OnnxReconstructor b = (OnnxReconstructor) oneThread.createDepth(FAST);
        OnnxReconstructor sr = (OnnxReconstructor) one.createDepth("sr_x4_smoke")) {
      assertThat(b.model().shared()).isNotSameAs(a.model().shared());
      assertThat(sr.model().shared()).isNotSameAs(a.model().shared());
      assertThat(one.sessionUsers(FAST)).isEqualTo(1);
      assertThat(one.sessionUsers("sr_x4_smoke")).isEqualTo(1);
    }
  }

  @Test
  void concurrentRunsFromTwoThreadsGiveTheSequentialResults() throws Exception {
    MethodCatalog catalog = new MethodCatalog(MODELS, InferenceSettings.defaults());
    DepthMap[] inputs = {sparseInput(96, 64), shifted(sparseInput(96, 64))};
    DepthMap[] expected = new DepthMap[2];
    try (DepthReconstructor seq = catalog.createDepth(FAST)) {
      for (int i = 0; i < 2; i++) {
        expected[i] = DepthMap.allocate(96, 64);
        seq.reconstruct(inputs[i], expected[i]);
      }
    }
    assertThat(expected[0].data()).isNotEqualTo(expected[1].data()); // else a mix-up could not show

    int runs = 15;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CyclicBarrier start = new CyclicBarrier(2);
    try (DepthReconstructor r0 = catalog.createDepth(FAST); DepthReconstructor r1 = catalog.createDepth(FAST)) {
      assertThat(catalog.sessionUsers(FAST)).isEqualTo(2);
      DepthReconstructor[] runners = {r0, r1};
      Future<?>[] done = new Future<?>[2];
      for (int t = 0; t < 2; t++) {
        int k = t;
        done[t] = pool.submit(() -> {
          DepthMap out = DepthMap.allocate(96, 64);
          start.await();
          for (int i = 0; i < runs; i++) {
            runners[k].reconstruct(inputs[k], out);
            assertThat(out.data()).as("thread %d run %d", k, i).containsExactly(expected[k].data());
          }
          return null;
        });
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(catalog.sessionUsers(FAST)).isZero();
  }

  @Test
  void handlesReleaseOnceEachAndFocalStackRunnersShareToo() {
    ModelSession first = ModelLoader.open(MODELS.resolve("focal_smoke.onnx"), InferenceSettings.defaults(),
        ModelSignature.FOCAL_STACK);
    ModelSession second = first.share();
    assertThat(first.shared().refs()).isEqualTo(2);
    float[] rgb = new float[2 * 3 * 8 * 8];
    java.util.Arrays.fill(rgb, 0.5f);
    float[] focus = {1f, 2f};
    DepthMap expected = DepthMap.allocate(8, 8);
    DepthMap out = DepthMap.allocate(8, 8);
    try (FocalStackRunner a = new FocalStackRunner(first)) {
      FocalStackRunner b = new FocalStackRunner(second);
      a.estimate(rgb, focus, 2, 8, 8, expected);
      b.close();
      b.close();
      assertThat(first.shared().refs()).isEqualTo(1);
      a.estimate(rgb, focus, 2, 8, 8, out);
      assertThat(out.data()).containsExactly(expected.data());
      assertThatThrownBy(() -> b.estimate(rgb, focus, 2, 8, 8, out)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(second::share).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
    assertThat(first.shared().refs()).isZero();
  }

  @Test
  void aLoadedModelOfAnotherKindIsRefusedLikeAFreshLoad() {
    SessionRegistry registry = new SessionRegistry();
    Path file = MODELS.resolve(FAST + ".onnx");
    try (ModelSession fast = registry.acquire(file, InferenceSettings.defaults(), ModelSignature.FAST)) {
      assertThatThrownBy(() -> registry.acquire(file, InferenceSettings.defaults(), ModelSignature.FOCAL_STACK))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("is a fast interpolation model")
          .hasMessageContaining("expected focal stack");
      assertThat(registry.users(file, InferenceSettings.defaults())).isEqualTo(1);
      assertThat(fast.session()).isNotNull();
    }
    assertThat(registry.users(file, InferenceSettings.defaults())).isZero();
  }

  /** The same map with its valid pixels moved one column right: a different input of the same size. */
  private static DepthMap shifted(DepthMap m) {
    DepthMap s = DepthMap.allocate(m.width(), m.height());
    System.arraycopy(m.data(), 0, s.data(), 1, m.size() - 1);
    return s;
  }
}
