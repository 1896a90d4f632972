package io.depthstream.inference;

import static io.depthstream.inference.ModelSessionTest.sparseInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Micro-batching: concurrent callers' frames stacked into one run must come back exactly as unbatched runs give
 * them, a lone caller waits no longer than the linger, and frames of different sizes never share a run.
 */
class MicroBatcherTest {
  private static final Path MODELS = ShippedModel.testModelsDir();
  private static final String FAST = "fast_interp_x4_smoke";
  private static final double TOLERANCE = 1e-5;
  /** Long enough that every caller released by the barrier joins the batch even on a loaded machine. */
  private static final long LONG_LINGER_MS = 500;

  @ParameterizedTest(name = "{0} callers, batch.max {1}")
  @CsvSource({"2, 2", "3, 3", "4, 4", "3, 2", "2, 4"})
  void batchedResultsEqualUnbatchedRuns(int callers, int max) throws Exception {
    int[][] sizes = new int[callers][];
    for (int c = 0; c < callers; c++) {
      sizes[c] = new int[] {64, 48};
    }
    MicroBatcher batcher = runConcurrently(FAST, sizes, max, max >= callers ? LONG_LINGER_MS : 30, 3);
    assertThat(batcher.stackedRuns()).isPositive();
    assertThat(batcher.largestBatch()).isEqualTo(Math.min(callers, max));
  }

  @Test
  void framesOfDifferentSizesRunInSeparateBatches() throws Exception {
    int[][] sizes = {{64, 48}, {40, 32}, {64, 48}, {40, 32}};
    MicroBatcher batcher = runConcurrently(FAST, sizes, 2, LONG_LINGER_MS, 3);
    // Each size forms its own batch of 2 per round: 2 sizes x 3 rounds.
    assertThat(batcher.stackedRuns()).isEqualTo(6);
    assertThat(batcher.largestBatch()).isEqualTo(2);
  }

  @Test
  void fastFramesInBlockLayoutBatchToo() throws Exception {
    // [N, 32, h, w] in, [N, 16, h, w] out: the stacked output has b^2 channels per frame
    MicroBatcher batcher =
        runConcurrently("fast_interp_x4_smoke_blocks", new int[][] {{64, 48}, {64, 48}}, 2, LONG_LINGER_MS, 2);
    assertThat(batcher.stackedRuns()).isEqualTo(2);
  }

  @Test
  void superResolutionFramesBatchToo() throws Exception {
    MicroBatcher batcher = runConcurrently("sr_x4_smoke", new int[][] {{16, 12}, {16, 12}}, 2, LONG_LINGER_MS, 2);
    assertThat(batcher.stackedRuns()).isEqualTo(2);
  }

  @Test
  void theCatalogReportsHowItsSessionBatched() throws Exception {
    MethodCatalog unbatched = new MethodCatalog(MODELS, InferenceSettings.defaults());
    try (DepthReconstructor r = unbatched.createDepth(FAST)) {
      assertThat(unbatched.batching(FAST)).as("batch.max 1: no batcher").isEmpty();
    }
    MethodCatalog catalog = new MethodCatalog(MODELS, InferenceSettings.defaults().withBatching(2, 1000));
    assertThat(catalog.batching(FAST)).as("not open yet").isEmpty();
    DepthMap in = sparseInput(32, 24);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (DepthReconstructor a = catalog.createDepth(FAST); DepthReconstructor b = catalog.createDepth(FAST)) {
      Future<?> first = pool.submit(() -> a.reconstruct(in, DepthMap.allocate(32, 24)));
      Future<?> second = pool.submit(() -> b.reconstruct(in, DepthMap.allocate(32, 24)));
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
      // The first frame waits up to the linger for company; the second fills the batch of 2 and it runs.
      assertThat(catalog.batching(FAST)).contains(new MethodCatalog.Batching(1, 2));
    } finally {
      pool.shutdownNow();
    }
    assertThat(catalog.batching(FAST)).as("closed with its last runner").isEmpty();
  }

  @Test
  void aLoneCallerWaitsAtMostTheLinger() {
    long lingerMs = 40;
    long slackMs = 250; // a 32x24 run takes about a millisecond; the rest is scheduling on a shared machine
    MethodCatalog catalog = new MethodCatalog(MODELS, InferenceSettings.defaults().withBatching(4, lingerMs));
    DepthMap in = sparseInput(32, 24);
    DepthMap out = DepthMap.allocate(32, 24);
    DepthMap expected = DepthMap.allocate(32, 24);
    try (OnnxReconstructor unbatched = OnnxModels.create(MODELS, FAST, InferenceSettings.defaults());
        OnnxReconstructor r = (OnnxReconstructor) catalog.createDepth(FAST)) {
      unbatched.reconstruct(in, expected);
      r.reconstruct(in, out); // first call: buffers, JIT
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        r.reconstruct(in, out);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Alone, the frame waits out the linger for company, then runs by itself.
        assertThat(ms).as("call %d, ms", i).isBetween(lingerMs - 1, lingerMs + slackMs);
      }
      // The unbatched runner runs a session with its shape fixed, the batcher the dynamic one: the same function,
      // equal to float rounding.
      for (int i = 0; i < expected.size(); i++) {
        assertThat(out.data()[i]).as("pixel %d", i).isCloseTo(expected.data()[i], within(1e-5f));
      }
      assertThat(r.model().shared().batcher().stackedRuns()).isZero();
    }
  }

  /**
   * Runs {@code rounds} rounds in which every caller (one thread and one runner each, sizes[c] = {w, h} its input
   * size at the model's input) reconstructs its own frame at once, and checks each output against an unbatched run.
   *
   * @return the batcher of the shared session, for its counters
   */
  private static MicroBatcher runConcurrently(String model, int[][] sizes, int max, long lingerMs, int rounds)
      throws Exception {
    int callers = sizes.length;
    List<DepthMap> inputs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    try (OnnxReconstructor unbatched = OnnxModels.create(MODELS, model, InferenceSettings.defaults())) {
      int f = unbatched.factor();
      for (int c = 0; c < callers; c++) {
        DepthMap in = sparseInput(sizes[c][0], sizes[c][1]);
        in.data()[c] = 3f + c; // every caller's frame differs, so a slice handed to the wrong caller shows
        DepthMap out = DepthMap.allocate(in.width() * f, in.height() * f);
        unbatched.reconstruct(in, out);
        inputs.add(in);
        expected.add(out.data().clone());
      }
    }
    for (int c = 1; c < callers; c++) {
      if (expected.get(c).length == expected.get(0).length) {
        assertThat(expected.get(c)).isNotEqualTo(expected.get(0));
      }
    }
    MethodCatalog catalog = new MethodCatalog(MODELS, InferenceSettings.defaults().withBatching(max, lingerMs));
    OnnxReconstructor[] runners = new OnnxReconstructor[callers];
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      for (int c = 0; c < callers; c++) {
        runners[c] = (OnnxReconstructor) catalog.createDepth(model);
      }
      MicroBatcher batcher = runners[0].model().shared().batcher();
      assertThat(batcher).isNotNull();
      CyclicBarrier round = new CyclicBarrier(callers);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int k = c;
        done.add(pool.submit(() -> {
          DepthMap in = inputs.get(k);
          int f = runners[k].factor();
          DepthMap out = DepthMap.allocate(in.width() * f, in.height() * f);
          for (int i = 0; i < rounds; i++) {
            round.await(30, TimeUnit.SECONDS);
            runners[k].reconstruct(in, out);
            assertThat(ShippedModelsParityTest.maxAbsDiff(out.data(), expected.get(k)))
                .as("caller %d round %d: max |batched - unbatched|", k, i).isLessThanOrEqualTo(TOLERANCE);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      return batcher;
    } finally {
      pool.shutdownNow();
      for (OnnxReconstructor r : runners) {
        if (r != null) {
          r.close();
        }
      }
    }
  }
}
