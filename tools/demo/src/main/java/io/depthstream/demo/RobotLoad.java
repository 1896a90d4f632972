package io.depthstream.demo;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.topology.ReconstructorFactory;
import io.depthstream.proto.v1.DepthFrame;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench-node}'s whole-robot part (issue 16): a LiDAR, an RGB-D camera and a vSLAM source at their own rates
 * and sizes, each on its own method, through the node; per sensor its latency, output rate and skips; and the
 * node's streaming cost as CPU seconds per frame against bare inference of the same methods on the same frames.
 */
final class RobotLoad {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private RobotLoad() {}

  /**
   * The mix of the issue, on the demo's synthetic drive: LiDAR 1242x375 at 10 Hz on {@code fast}, RGB-D 640x480 at
   * 30 Hz on inpaint, vSLAM 640x480 at 30 Hz on {@code fast}.
   */
  static DemoSettings.Builder mix(DemoSettings.Builder settings, String fast) {
    return settings.lidar(10, 1242, 375).rgbdHz(30).vslamHz(30).set(NodeConfig.METHOD_LIDAR + "=" + fast)
        .set(NodeConfig.METHOD_RGBD + "=inpaint").set(NodeConfig.METHOD_VSLAM + "=" + fast);
  }

  /** One sensor's bare inference: its method, CPU seconds per call on the calling thread, calls timed. */
  record BareCpu(String sensor, String method, double cpuSecondsPerFrame, int calls) {}

  /**
   * Bare inference of each sensor's method on the sensor's own frames, decoded as the node decodes them: CPU time
   * of the calling thread per {@code reconstruct} call (not wall time, so other work on the machine does not count).
   * With {@value NodeConfig#INFERENCE_THREADS_INTRA} = 1 ONNX Runtime computes on the calling thread, so this is
   * the whole cost of inference; with more it runs partly on native pool threads this does not see.
   */
  static List<BareCpu> bareCpu(List<DriveSensor> sensors, ReconstructorFactory methods, NodeConfig config,
      int warmup, int runs) throws InvalidFrameException {
    List<BareCpu> out = new ArrayList<>();
    for (DriveSensor s : sensors) {
      FrameDecoder decoder = new FrameDecoder(s.sensor().kind(), config.getInt(NodeConfig.FRAME_MAX_PIXELS),
          config.getDouble(NodeConfig.FRAME_MAX_DEPTH_M));
      List<DepthMap> inputs = new ArrayList<>();
      for (DepthFrame f : s.frames()) {
        inputs.add(decoder.decode(s.sensor().sensorId(), f.toByteArray()).depth().copy());
      }
      try (DepthReconstructor method = methods.create(s.method())) {
        DepthMap first = inputs.get(0);
        int f = method.scaleFactor();
        DepthMap output = DepthMap.allocate(first.width() * f, first.height() * f);
        for (int i = 0; i < warmup; i++) {
          method.reconstruct(inputs.get(i % inputs.size()), output);
        }
        long cpu = 0;
        for (int i = 0; i < runs; i++) {
          DepthMap input = inputs.get(i % inputs.size());
          long t0 = THREADS.getCurrentThreadCpuTime();
          method.reconstruct(input, output);
          cpu += THREADS.getCurrentThreadCpuTime() - t0;
        }
        out.add(new BareCpu(s.sensor().sensorId(), s.method(), cpu / 1e9 / runs, runs));
      }
    }
    return out;
  }

  /**
   * The node's streaming cost per frame against bare inference, both in CPU seconds per dense frame out; bare
   * inference weighted by each sensor's share of the frames out, so both describe the same mix.
   *
   * @param nodeSeconds CPU seconds of the node's threads ({@link NodeThreads#NODE})
   * @param frames dense frames out in the same time
   * @param nodeAllocatedBytes heap bytes the node's Java threads allocated in the same time
   */
  record CpuPerFrame(double nodeSeconds, long frames, double nodePerFrame, double barePerFrame,
      long nodeAllocatedBytes) {
    double ratio() {
      return nodePerFrame / barePerFrame;
    }

    /** Heap megabytes (10^6 bytes) the node's threads allocated per dense frame. */
    double nodeAllocatedMegabytesPerFrame() {
      return nodeAllocatedBytes / 1e6 / frames;
    }

    static CpuPerFrame of(DemoRun.Outcome run, List<BareCpu> bare) {
      Map<String, Long> out = new LinkedHashMap<>();
      run.perSensor().forEach(s -> out.put(s.sensor(), s.framesOut()));
      double weighted = 0;
      long weights = 0;
      for (BareCpu b : bare) {
        long n = out.getOrDefault(b.sensor(), 0L);
        weighted += n * b.cpuSecondsPerFrame();
        weights += n;
      }
      double node = run.cpu().seconds(NodeThreads.NODE);
      return new CpuPerFrame(node, run.cpuFrames(), node / run.cpuFrames(), weights == 0 ? Double.NaN
          : weighted / weights, run.cpu().allocatedBytes(NodeThreads.NODE));
    }
  }

  /**
   * Per window (label to run, in order) a row per sensor, then a row per window for all sensors; markdown. The first
   * run also gets a window of its own before its measured one, labelled {@code warmUpLabel} (none when null): its
   * warm-up, the first seconds after the node started serving ({@link WarmUpWindow}).
   */
  static String sensorTable(Map<String, DemoRun.Outcome> runs, String warmUpLabel) {
    Map<String, Window> windows = new LinkedHashMap<>();
    runs.forEach((label, run) -> {
      Map<String, String> methods = new LinkedHashMap<>();
      run.sensors().forEach(s -> methods.put(s.sensor().sensorId(), s.method()));
      WarmUpWindow w = run.summary().warmUp();
      if (warmUpLabel != null && windows.isEmpty() && w != null) {
        windows.put(warmUpLabel, new Window(w.sensors(), methods, new SensorLoad("all", w.framesOut(), w.fps(),
            w.p50Ms(), w.p99Ms(), w.maxMs(), w.skipped())));
      }
      DemoSummary s = run.summary();
      windows.put(label, new Window(run.perSensor(), methods, new SensorLoad("all", s.framesOut(), s.fps(),
          s.latencyP50Ms(), s.latencyP99Ms(), s.latencyMaxMs(), s.skipped())));
    });
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "| window | sensor | method | out fps | p50 ms | p99 ms | max ms | skipped |%n|---|---|---|---|---|---|---|---|%n"));
    windows.forEach((label, w) -> w.perSensor().forEach(s -> sb.append(row(label, s, w.methods()
        .getOrDefault(s.sensor(), "?")))));
    windows.forEach((label, w) -> sb.append(row(label, w.all(), "-")));
    return sb.toString();
  }

  /** One window of {@link #sensorTable}: its sensors' rows, their methods, and the row of all sensors together. */
  private record Window(List<SensorLoad> perSensor, Map<String, String> methods, SensorLoad all) {}

  private static String row(String label, SensorLoad s, String method) {
    return String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %d |%n", label, s.sensor(), method,
        s.fps(), s.p50Ms(), s.p99Ms(), s.maxMs(), s.skipped());
  }

  /**
   * The node's CPU per dense frame against bare inference, cold and at steady state, then each sensor's bare
   * figure; markdown.
   */
  static String cpuPerFrameTable(CpuPerFrame cold, CpuPerFrame steady, List<BareCpu> bare) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n#### CPU per frame%n%n| | cold | steady state"
        + " |%n|---|---|---|%n| node threads (stream, producer/consumer I/O, other), CPU ms per dense frame | %.2f |"
        + " %.2f |%n| bare inference, same methods on the same frames, CPU ms per frame | %.2f | %.2f |%n"
        + "| ratio (target <= 1.10) | %.2f | %.2f |%n"
        + "| node threads, heap MB allocated per dense frame | %.2f | %.2f |%n", 1000 * cold.nodePerFrame(),
        1000 * steady.nodePerFrame(), 1000 * cold.barePerFrame(), 1000 * steady.barePerFrame(), cold.ratio(),
        steady.ratio(), cold.nodeAllocatedMegabytesPerFrame(), steady.nodeAllocatedMegabytesPerFrame()));
    bare.forEach(b -> sb.append(String.format(Locale.ROOT, "%nbare %s (%s): %.2f CPU ms per frame", b.sensor(),
        b.method(), 1000 * b.cpuSecondsPerFrame())));
    return sb.append('\n').toString();
  }

  /**
   * Where the CPU time of one run's window went, by thread group, and what each group's Java threads allocated on
   * the heap (the JVM's own threads allocate none); markdown.
   */
  static String cpuTable(ThreadCpu.Breakdown cpu, long frames) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| thread group | CPU s | share | CPU ms per "
        + "dense frame | heap MB allocated per dense frame |%n|---|---|---|---|---|%n"));
    cpu.secondsByGroup().forEach((group, seconds) -> sb.append(String.format(Locale.ROOT,
        "| %s | %.2f | %.0f %% | %.2f | %.2f |%n", group, seconds, 100 * seconds / cpu.processCpuSeconds(),
        1000 * seconds / frames, cpu.allocatedBytes(group) / 1e6 / frames)));
    sb.append(String.format(Locale.ROOT, "| whole process (%.1f s wall, %.2f cores busy) | %.2f | 100 %% | %.2f | "
        + "%.2f |%n", cpu.wallSeconds(), cpu.processCpuSeconds() / cpu.wallSeconds(), cpu.processCpuSeconds(),
        1000 * cpu.processCpuSeconds() / frames,
        cpu.allocatedBytesByGroup().values().stream().mapToLong(Long::longValue).sum() / 1e6 / frames));
    return sb.toString();
  }

  static Map<String, Object> runJson(DemoRun.Outcome run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measured_s", run.summary().durationSeconds());
    m.put("warm_up_s", run.summary().warmUpSeconds());
    m.put("frames_in", run.summary().framesIn());
    m.put("frames_out", run.summary().framesOut());
    m.put("output_fps", run.summary().fps());
    m.put("skipped", run.summary().skipped());
    m.put("dead_lettered", run.summary().deadLettered());
    m.put("latency_p50_ms", run.summary().latencyP50Ms());
    m.put("latency_p99_ms", run.summary().latencyP99Ms());
    m.put("latency_max_ms", run.summary().latencyMaxMs());
    Map<String, String> methods = new LinkedHashMap<>();
    run.sensors().forEach(s -> methods.put(s.sensor().sensorId(), s.method()));
    List<Map<String, Object>> sensors = run.perSensor().stream().map(s -> sensorJson(s, methods)).toList();
    m.put("sensors", sensors);
    WarmUpWindow w = run.summary().warmUp();
    if (w != null) {
      Map<String, Object> warmUp = w.json();
      warmUp.put("sensors", w.sensors().stream().map(s -> sensorJson(s, methods)).toList());
      m.put("warm_up_window", warmUp);
    }
    m.put("cpu", cpuJson(run.cpu(), run.cpuFrames()));
    return m;
  }

  private static Map<String, Object> sensorJson(SensorLoad s, Map<String, String> methods) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("sensor", s.sensor());
    row.put("method", methods.get(s.sensor()));
    row.put("frames_out", s.framesOut());
    row.put("output_fps", s.fps());
    row.put("latency_p50_ms", s.p50Ms());
    row.put("latency_p99_ms", s.p99Ms());
    row.put("latency_max_ms", s.maxMs());
    row.put("skipped", s.skipped());
    return row;
  }

  static Map<String, Object> cpuJson(ThreadCpu.Breakdown cpu, long frames) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wall_s", cpu.wallSeconds());
    m.put("process_cpu_s", cpu.processCpuSeconds());
    m.put("dense_frames_out", frames);
    m.put("cpu_s_by_thread_group", cpu.secondsByGroup());
    Map<String, Double> megabytes = new LinkedHashMap<>();
    cpu.allocatedBytesByGroup().forEach((group, bytes) -> megabytes.put(group, bytes / 1e6));
    m.put("heap_mb_allocated_by_thread_group", megabytes);
    m.put("busiest_threads", threadsJson(cpu.busiest()));
    m.put("busiest_ungrouped_java_threads", threadsJson(cpu.unmatched()));
    return m;
  }

  private static List<Map<String, Object>> threadsJson(List<ThreadCpu.ThreadTime> threads) {
    return threads.stream().<Map<String, Object>>map(t -> Map.of("thread", t.name(), "cpu_s", t.cpuNanos() / 1e9))
        .toList();
  }

  static Map<String, Object> cpuPerFrameJson(CpuPerFrame c, List<BareCpu> bare) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_cpu_s", c.nodeSeconds());
    m.put("dense_frames_out", c.frames());
    m.put("node_cpu_s_per_frame", c.nodePerFrame());
    m.put("bare_inference_cpu_s_per_frame", c.barePerFrame());
    m.put("ratio", c.ratio());
    m.put("target_ratio_at_most", 1.1);
    m.put("node_heap_mb_allocated_per_frame", c.nodeAllocatedMegabytesPerFrame());
    List<Map<String, Object>> rows = new ArrayList<>();
    bare.forEach(b -> rows.add(Map.of("sensor", b.sensor(), "method", b.method(), "cpu_s_per_frame",
        b.cpuSecondsPerFrame(), "calls", b.calls())));
    m.put("bare_inference_by_sensor", rows);
    return m;
  }
}
