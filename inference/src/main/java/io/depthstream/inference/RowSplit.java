package io.depthstream.inference;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a loop over a frame's rows on the calling thread and, when a core is free, on one helper of the common
 * {@link ForkJoinPool} too: the rows are cut into chunks that either thread claims, so the caller never waits for a
 * helper that has not started (it then does every chunk itself), only for a chunk the helper is running.
 *
 * <p>Why: a runner's Java side (the block layout's check-and-pack and its pixel shuffle with keep-samples, about 1.5
 * ms of a 640x480 frame) runs on the calling thread while ONNX Runtime's second intra-op thread waits for the next
 * run; split over the two, it took 0.35-0.45 ms less a frame (issue 16, session 10). A runner makes one instance and
 * reuses it frame after frame: {@link #run} allocates nothing. Not thread-safe: one caller at a time (the runner's).
 */
final class RowSplit {
  /** A loop over rows {@code [from, to)}; returns a count the split sums over the chunks (0 when there is none). */
  @FunctionalInterface
  interface Rows {
    int run(int from, int to);
  }

  /** Rows per chunk: about 25 microseconds of either loop at 640 pixels a row. */
  static final int CHUNK_ROWS = 16;

  /** Whether a caller with these settings may use a helper: it asked ONNX Runtime for 2 threads, and has 2 cores. */
  static boolean worthIt(InferenceSettings settings) {
    return settings.intraOpThreads() >= 2 && Runtime.getRuntime().availableProcessors() >= 2
        && ForkJoinPool.getCommonPoolParallelism() >= 1;
  }

  /** High 32 bits: the generation (one per {@link #run}); low 32 bits: the next chunk to claim. */
  private final AtomicLong state = new AtomicLong();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger sum = new AtomicInteger();
  private final Helper helper = new Helper();
  private boolean helperSubmitted;
  /** The first failure of a chunk in this run, on either thread; rethrown by {@link #run} once every chunk ended. */
  private volatile Throwable failure;
  // The current run's loop, published to the helper by the volatile write of {@code state}, and unchanged until
  // every chunk of the run is done.
  private Rows rows;
  private int height;
  private int chunks;

  /**
   * Runs {@code rows} over {@code [0, height)}, split into chunks of {@value #CHUNK_ROWS}; returns their sum once
   * every chunk has ended, or throws the first chunk's exception then.
   */
  int run(Rows rows, int height) {
    this.rows = rows;
    this.height = height;
    this.chunks = (height + CHUNK_ROWS - 1) / CHUNK_ROWS;
    done.set(0);
    sum.set(0);
    failure = null;
    long generation = (state.get() >>> 32) + 1;
    state.set(generation << 32);
    // The helper of an earlier run may still be queued (it then finds nothing to claim and ends): no second one.
    if (chunks > 1 && (!helperSubmitted || helper.isDone())) {
      helper.reinitialize();
      helper.generation = generation;
      helperSubmitted = true;
      ForkJoinPool.commonPool().execute(helper);
    }
    work(generation);
    for (int spins = 0; done.get() < chunks; spins++) {
      if (spins < 64) {
        Thread.onSpinWait();
      } else {
        Thread.yield(); // the helper was descheduled mid-chunk: let it run
      }
    }
    Throwable f = failure;
    if (f instanceof RuntimeException e) {
      throw e;
    }
    if (f instanceof Error e) {
      throw e;
    }
    return sum.get();
  }

  /** Claims and runs chunks of {@code generation} until none is left (or a newer run started). */
  private void work(long generation) {
    while (true) {
      long s = state.get();
      int chunk = (int) s;
      if (s >>> 32 != generation || chunk >= chunks) {
        return;
      }
      if (!state.compareAndSet(s, s + 1)) {
        continue;
      }
      // Claimed: the caller waits for this chunk before it changes rows, height or chunks, also when it fails
      // (so a failure on either thread never leaves the other working on a newer run's frame).
      int from = chunk * CHUNK_ROWS;
      try {
        int count = rows.run(from, Math.min(height, from + CHUNK_ROWS));
        if (count != 0) {
          sum.addAndGet(count);
        }
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e;
        }
      } finally {
        done.incrementAndGet();
      }
    }
  }

  /** The helper's side: reused for every run (a completed task is reinitialised), so a run allocates nothing. */
  private final class Helper extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private transient long generation;

    @Override
    protected void compute() {
      work(generation);
    }
  }
}
