package io.depthstream.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The start of a run that its measured window leaves out ({@code --warm-up}): the dense frames that reached the
 * consumer in the first {@code seconds} after publishing began, which is when the node had just started serving.
 * A cold JVM hurts most there (issue 16), so the summary reports it beside the measured window instead of dropping
 * it. Latency is capture time to the consumer holding the frame, milliseconds.
 *
 * <p>Publishing begins when the node is RUNNING, which is when its {@code /ready} answers 200, so this window's
 * clock starts at readiness; {@code nodeStartToReadyMs} is the other clock, from the node's start to that moment
 * (models, warm-ups, topics, partition assignment). {@code cpu} says what the JVM's threads spent in the window by
 * group, the JIT compiler's share included: on a shared 2-core machine, what the first seconds cost besides the
 * frames, independent of how loaded the machine was.
 *
 * @param framesOut dense frames that arrived in the window
 * @param skipped frames the node's real-time policy skipped in the window
 * @param sensors per sensor (record key) its frames, rate, latency and skips in the window
 * @param nodeStartToReadyMs from the node's start to RUNNING, milliseconds
 * @param cpu CPU seconds of the JVM's threads in the window, by {@link NodeThreads} group
 */
record WarmUpWindow(double seconds, long framesOut, long skipped, double p50Ms, double p99Ms, double maxMs,
    List<SensorLoad> sensors, long nodeStartToReadyMs, ThreadCpu.Breakdown cpu) {

  /**
   * The window from the start of the run until now ({@code seconds} in), read before the latencies are reset.
   *
   * @param cpu what the threads spent from the start of publishing until now
   */
  static WarmUpWindow upToNow(double seconds, OutputMonitor monitor, NodeStats nodeStats, long nodeStartToReadyMs,
      ThreadCpu.Breakdown cpu) {
    Map<String, Long> skippedBySensor = nodeStats.skippedBySensor();
    List<SensorLoad> sensors = new ArrayList<>();
    monitor.latencyBySensor().forEach((sensor, latency) -> sensors.add(SensorLoad.of(sensor, latency, seconds,
        skippedBySensor.getOrDefault(sensor, 0L))));
    return new WarmUpWindow(seconds, monitor.dense(), nodeStats.skipped(), monitor.percentileMs(50),
        monitor.percentileMs(99), monitor.percentileMs(100), sensors, nodeStartToReadyMs, cpu);
  }

  double fps() {
    return framesOut / seconds;
  }

  /** CPU seconds by thread group, the groups with any time only, rounded to 10 ms. */
  Map<String, Double> cpuSecondsByGroup() {
    Map<String, Double> m = new LinkedHashMap<>();
    cpu.secondsByGroup().forEach((group, s) -> {
      if (s >= 0.005) {
        m.put(group, Math.round(s * 100) / 100.0);
      }
    });
    return m;
  }

  /** One line: the two clocks and where the window's CPU went, e.g. for a log or a report under a table. */
  String describeStart() {
    return String.format(Locale.ROOT, "node ready %d ms after its start began; in the first %.0f s the JVM used %.1f"
        + " CPU s (%.2f cores): %s", nodeStartToReadyMs, seconds, cpu.processCpuSeconds(),
        cpu.processCpuSeconds() / cpu.wallSeconds(), cpuSecondsByGroup().entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", ")));
  }

  /** The window for bench-node's JSON, all sensors together. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("duration_s", seconds);
    m.put("frames_out", framesOut);
    m.put("skipped", skipped);
    m.put("latency_p50_ms", p50Ms);
    m.put("latency_p99_ms", p99Ms);
    m.put("latency_max_ms", maxMs);
    m.put("node_start_to_ready_ms", nodeStartToReadyMs);
    m.put("cpu_s", cpuSecondsByGroup());
    return m;
  }
}
