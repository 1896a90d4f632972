package io.depthstream.demo;

import io.depthstream.streams.config.NodeConfig;
import io.depthstream.tools.bench.MethodBench.Row;
import java.util.LinkedHashMap;
import java.util.Map;

/** How {@code bench-node} writes its parts into {@code bench-node.json}. */
final class BenchJson {
  private BenchJson() {}

  static Map<String, Object> e2eJson(DemoSummary s, double hz) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sensors", 2);
    m.put("input_fps_per_sensor", hz);
    m.put("measured_s", s.durationSeconds());
    m.put("warm_up_s", s.warmUpSeconds());
    m.put("frames_in", s.framesIn());
    m.put("frames_out", s.framesOut());
    m.put("skipped", s.skipped());
    m.put("dead_lettered", s.deadLettered());
    m.put("output_fps", s.fps());
    m.put("latency_p50_ms", s.latencyP50Ms());
    m.put("latency_p99_ms", s.latencyP99Ms());
    m.put("latency_max_ms", s.latencyMaxMs());
    if (s.warmUp() != null) {
      m.put("warm_up_window", s.warmUp().json());
    }
    if (s.memory() != null) {
      m.put("rss_start_mib", s.memory().startMib());
      m.put("rss_end_mib", s.memory().endMib());
      m.put("rss_trend_mib_per_min", s.memory().slopeMibPerMinute());
      m.put("outside_heap_start_mib", s.memory().outsideHeapStartMib());
      m.put("outside_heap_end_mib", s.memory().outsideHeapEndMib());
      m.put("outside_heap_trend_mib_per_min", s.memory().outsideHeapSlopeMibPerMinute());
    }
    return m;
  }

  static Map<String, Object> rowJson(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", r.method());
    m.put("version", r.version());
    m.put("input", r.input());
    m.put("output", r.output());
    m.put("p50_ms", r.p50Ms());
    m.put("p99_ms", r.p99Ms());
    m.put("fps", r.fps());
    return m;
  }

  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("jvm_options", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    m.put("load_average_at_start", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage());
    return m;
  }

  static Map<String, Object> inferenceSettings(NodeConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("intra_op_threads", c.getInt(NodeConfig.INFERENCE_THREADS_INTRA));
    m.put("provider", c.getString(NodeConfig.INFERENCE_PROVIDER));
    return m;
  }

}
