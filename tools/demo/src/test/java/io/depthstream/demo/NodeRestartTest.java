package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The restart part's reading of the node's {@code /metrics} and its per-frame figure. */
class NodeRestartTest {
  @Test
  void skippedFramesAreTheSumOfEverySensorsCounterAndNothingElse() {
    String exposition = String.join("\n",
        "# HELP depthstream_frames_skipped_total Frames dropped by the real-time policy",
        "# TYPE depthstream_frames_skipped_total counter",
        "depthstream_frames_skipped_total{sensor=\"lidar-front\"} 3.0",
        "depthstream_frames_skipped_total{sensor=\"vslam-head\"} 12.0",
        "depthstream_frames_skipped_total_created{sensor=\"vslam-head\"} 1.7e9",
        "depthstream_frames_in_total{sensor=\"vslam-head\",kind=\"vslam\"} 700.0");

    assertThat(NodeRestart.sumOf("depthstream_frames_skipped_total", exposition)).isEqualTo(15.0);
    assertThat(NodeRestart.sumOf("depthstream_frames_dead_lettered_total", exposition)).isZero();
  }

  @Test
  void cpuPerFrameIsTheNodesCpuOverItsDenseFrames() {
    NodeRestart.Window w = new NodeRestart.Window("first 10 s", 700, 20, 80, 120, 60, 0, 7.0);
    NodeRestart.Window none =
        new NodeRestart.Window("empty", 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 1.0);

    assertThat(w.nodeCpuMsPerFrame()).isEqualTo(10.0);
    assertThat(w.row()).isEqualTo("| first 10 s | 700 | 20.0 | 80.0 | 120.0 | 60.0 | 0 | 10.00 |");
    assertThat(none.nodeCpuMsPerFrame()).isNaN();
  }
}
