package io.depthstream.depth.tooling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ToolingTest {
  @Test
  void percentilesAreNearestRankAndFpsIsOneOverTheMean() {
    long[] ns = new long[100];
    for (int i = 0; i < 100; i++) {
      ns[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted on purpose
    }
    LatencyStats s = LatencyStats.ofNanos(ns);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50Ms()).isEqualTo(50.0); // rank ceil(0.5 * 100) = 50 -> 50 ms
    assertThat(s.p99Ms()).isEqualTo(99.0);
    assertThat(s.maxMs()).isEqualTo(100.0);
    assertThat(s.meanMs()).isEqualTo(50.5);
    assertThat(s.fps()).isEqualTo(1000.0 / 50.5);
    assertThat(ns[0]).as("input untouched").isEqualTo(100_000_000L);
    assertThat(LatencyStats.ofNanos(new long[0]).p50Ms()).isNaN();
    assertThat(LatencyStats.percentile(new double[] {1, 2, 3}, 50)).isEqualTo(2.0);
  }

  @Test
  void theBarShowsCountPercentRateAndItsSuffix() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "export", "frames", 100,
        false);
    assertThat(bar.render(40, 2.0)).startsWith("export [############------------------] 40/100 frames  40%")
        .contains("1200 frames/min").contains("ETA 0:03");
    bar.suffix("loop 2").update(50);
    bar.update(60); // same quarter: not printed again off a terminal
    bar.finish();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines()).hasSize(2);
    assertThat(printed).contains("50/100 frames").contains("loop 2").contains("100/100");
    assertThat(new ProgressBar(System.out, "play", "records", 0, false).render(7, 1.0))
        .isEqualTo("play 7 records    420 records/min");
  }
}
