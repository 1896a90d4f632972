package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
  /** A saturated run: 30 s window, 6,000 frames in, 2,700 out while publishing, 1,750 more drained after it. */
  private static DemoSummary saturated() {
    long inWindow = 2_700;
    long drained = 1_750;
    return new DemoSummary("live", 30.0, 10.0, 6_000, 0, inWindow + drained, drained, 0, 0, inWindow + drained, 0,
        DemoSummary.windowFps(inWindow, 30.0), 19_000, 28_000, 28_500, 19_000, 7, Map.of(), Map.of(), List.of(),
        List.of(), null, 0, null, null);
  }

  @Test
  void theOutputRateCountsOnlyFramesOutWhileTheWindowLasted() {
    DemoSummary s = saturated();

    assertThat(s.fps()).isCloseTo(90.0, offset(1e-9)); // not (2,700 + 1,750) / 30 = 148.3
    assertThat(s.inFps()).isCloseTo(200.0, offset(1e-9));
    assertThat(NodeBenchCommand.keptUp(s.inFps(), s.fps())).isFalse();
  }

  @Test
  void anEmptyWindowHasNoRate() {
    assertThat(DemoSummary.windowFps(12, 0)).isZero();
  }

  @Test
  void theDrainedBacklogIsReportedNextToTheRate() {
    DemoSummary s = saturated();

    assertThat(s.describe()).contains("4450 dense out", "90.0 fps out",
        "1750 of the dense frames came out after publishing stopped");
    assertThat(s.toJson()).contains("\"frames_out\": 4450", "\"frames_out_after_window\": 1750", "\"fps\": 90.000");
  }
}
