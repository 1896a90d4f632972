package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmUpWindowTest {
  /** 10 s of a cold run: 16 CPU s, of which 4.5 s JIT; the broker's 0.001 s is below the 10 ms rounding. */
  private static WarmUpWindow coldWindow() {
    Map<String, Double> byGroup = new LinkedHashMap<>();
    byGroup.put(NodeThreads.STREAM, 6.0);
    byGroup.put(NodeThreads.BROKER, 0.001);
    byGroup.put(NodeThreads.JIT, 4.5);
    byGroup.put(ThreadCpu.OTHER, 5.499);
    ThreadCpu.Breakdown cpu = new ThreadCpu.Breakdown(10.0, 16.0, byGroup, List.of(), List.of());
    return new WarmUpWindow(10.0, 550, 51, 150.0, 320.0, 360.0, List.of(), 2_741, cpu);
  }

  @Test
  void jsonCarriesBothClocksAndTheCpuByGroup() {
    Map<String, Object> json = coldWindow().json();

    assertThat(json).containsEntry("node_start_to_ready_ms", 2_741L).containsEntry("skipped", 51L);
    @SuppressWarnings("unchecked")
    Map<String, Double> cpu = (Map<String, Double>) json.get("cpu_s");
    assertThat(cpu).containsExactly(Map.entry(NodeThreads.STREAM, 6.0), Map.entry(NodeThreads.JIT, 4.5),
        Map.entry(ThreadCpu.OTHER, 5.5));
  }

  @Test
  void describeStartNamesReadinessCoresAndTheJitShare() {
    assertThat(coldWindow().describeStart()).isEqualTo("node ready 2741 ms after its start began; in the first 10 s"
        + " the JVM used 16.0 CPU s (1.60 cores): node stream threads 6.00, JIT compiler 4.50, other 5.50");
  }
}
