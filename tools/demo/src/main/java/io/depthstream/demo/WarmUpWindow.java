package io.depthstream.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start of a run that its measured window leaves out ({@code --warm-up}): the dense frames that reached the
 * consumer in the first {@code seconds} after publishing began, which is when the node had just started serving.
 * A cold JVM hurts most there (issue 16), so the summary reports it beside the measured window instead of dropping
 * it. Latency is capture time to the consumer holding the frame, milliseconds.
 *
 * @param framesOut dense frames that arrived in the window
 * @param skipped frames the node's real-time policy skipped in the window
 * @param sensors per sensor (record key) its frames, rate, latency and skips in the window
 */
record WarmUpWindow(double seconds, long framesOut, long skipped, double p50Ms, double p99Ms, double maxMs,
    List<SensorLoad> sensors) {

  /** The window from the start of the run until now ({@code seconds} in), read before the latencies are reset. */
  static WarmUpWindow upToNow(double seconds, OutputMonitor monitor, NodeStats nodeStats) {
    Map<String, Long> skippedBySensor = nodeStats.skippedBySensor();
    List<SensorLoad> sensors = new ArrayList<>();
    monitor.latencyBySensor().forEach((sensor, latency) -> sensors.add(SensorLoad.of(sensor, latency, seconds,
        skippedBySensor.getOrDefault(sensor, 0L))));
    return new WarmUpWindow(seconds, monitor.dense(), nodeStats.skipped(), monitor.percentileMs(50),
        monitor.percentileMs(99), monitor.percentileMs(100), sensors);
  }

  double fps() {
    return framesOut / seconds;
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
    return m;
  }
}
