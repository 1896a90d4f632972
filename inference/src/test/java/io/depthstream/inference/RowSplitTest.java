package io.depthstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** {@link RowSplit}: every row exactly once per run, on whichever thread claimed its chunk; sums and failures. */
class RowSplitTest {

  @RepeatedTest(20)
  void everyRowRunsOnceAndTheCountsAddUp() {
    RowSplit split = new RowSplit();
    for (int height : new int[] {480, 376, 17, 16, 1}) {
      int[] seen = new int[height];
      int total = split.run((from, to) -> {
        for (int y = from; y < to; y++) {
          seen[y]++;
        }
        return to - from;
      }, height);
      assertThat(total).as("rows counted, height %d", height).isEqualTo(height);
      assertThat(seen).as("each row once, height %d", height).containsOnly(1);
    }
  }

  @Test
  void aRunAfterARunSeesOnlyItsOwnRows() {
    RowSplit split = new RowSplit();
    AtomicInteger calls = new AtomicInteger();
    for (int run = 0; run < 200; run++) {
      int[] rows = new int[64];
      int marker = run + 1;
      split.run((from, to) -> {
        calls.incrementAndGet();
        for (int y = from; y < to; y++) {
          rows[y] += marker;
        }
        return 0;
      }, rows.length);
      assertThat(rows).containsOnly(marker);
    }
    assertThat(calls.get()).isEqualTo(200 * 64 / RowSplit.CHUNK_ROWS);
  }

  @Test
  void aFreeCoreRunsChunksBesideTheCaller() {
    assumeThat(RowSplit.worthIt(InferenceSettings.defaults())).as("2 cores and a common pool").isTrue();
    RowSplit split = new RowSplit();
    Thread caller = Thread.currentThread();
    // slow chunks (2 ms each), so the helper has started long before the caller could claim them all
    int elsewhere = split.run((from, to) -> {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Thread.currentThread() == caller ? 0 : 1;
    }, 16 * RowSplit.CHUNK_ROWS);
    assertThat(elsewhere).as("chunks run by the helper").isPositive();
  }

  @Test
  void aFailingChunkFailsTheRunAfterEveryChunkEnded() {
    RowSplit split = new RowSplit();
    AtomicInteger ended = new AtomicInteger();
    assertThatThrownBy(() -> split.run((from, to) -> {
      ended.incrementAndGet();
      if (from == 2 * RowSplit.CHUNK_ROWS) {
        throw new IllegalStateException("chunk 2");
      }
      return 0;
    }, 8 * RowSplit.CHUNK_ROWS)).isInstanceOf(IllegalStateException.class).hasMessage("chunk 2");
    assertThat(ended.get()).isEqualTo(8);
    assertThat(split.run((from, to) -> to - from, 40)).as("usable after a failure").isEqualTo(40);
  }
}
