package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeBenchCommandTest {

  @Test
  void aSaturatedRunWhoseOutputMatchesItsInputKeptUpAndOnlyBoundsTheThroughput() {
    // session 12's 40 s runs at 2 x 60 fps offered: 119.9 in, 120.2 / 122.4 out
    assertThat(NodeBenchCommand.keptUp(119.9, 120.2)).isTrue();
    assertThat(NodeBenchCommand.keptUp(119.9, 117.0)).isTrue();
    // a node that falls behind by more than 3 % is saturated: its output rate is its throughput
    assertThat(NodeBenchCommand.keptUp(200.0, 150.0)).isFalse();
    assertThat(NodeBenchCommand.keptUp(119.9, 115.0)).isFalse();
  }
}
