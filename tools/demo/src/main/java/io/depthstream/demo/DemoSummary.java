package io.depthstream.demo;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.metrics.DepthMetrics;
import io.depthstream.proto.v1.DenseDepth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a demo run achieved, as printed and as the machine-readable JSON summary. {@code corruptIn} is -1 and
 * the capture-based latencies NaN for a replay (printed and written as null); {@code recording} and
 * {@code recordingFrames} name the MCAP file replayed ({@code mode = "replay"}) or written by {@code --record}.
 *
 * <p>Counts, fps and latency percentiles cover the measured window: the run after its first
 * {@code warmUpSeconds} ({@code durationSeconds} is the window's length). {@code memory} is the resident-size
 * trend over that window, or null when too short to tell. {@code framesOutAfterWindow} of the {@code framesOut}
 * came out only after publishing stopped (the node's backlog, drained); {@code fps} leaves them out. {@code warmUp}
 * is what the warm-up itself saw (the first seconds after the node started serving), or null without a warm-up.
 */
record DemoSummary(String mode, double durationSeconds, double warmUpSeconds, long framesIn, long corruptIn,
    long framesOut, long framesOutAfterWindow,
    long deadLettered, long skipped, long guidanceOut, long alerts, double fps, double latencyP50Ms,
    double latencyP99Ms, double latencyMaxMs, double inboundP50Ms, double deliveryP50Ms,
    Map<String, double[]> stagesMs, Map<String, Double> maxGapSeconds, List<SensorRow> sensors, List<Path> pictures,
    Path recording, long recordingFrames, MemoryLog.Summary memory, WarmUpWindow warmUp) {

  /** Output frames per second of a window: those out while it lasted, over its length (0 for an empty window). */
  static double windowFps(long denseInWindow, double windowSeconds) {
    return windowSeconds > 0 ? denseInWindow / windowSeconds : 0;
  }

  /** Frames in per second over the measured window. */
  double inFps() {
    return durationSeconds > 0 ? framesIn / durationSeconds : 0;
  }

  /** One sensor: its set-up and the accuracy of its newest output against the synthetic ground truth. */
  record SensorRow(String id, String kind, int width, int height, double rateHz, String method, double rmseM,
      double relErr) {}

  /** Rows of the synthetic drive, with the accuracy of each sensor's newest output against its ground truth. */
  static List<SensorRow> liveRows(List<DriveSensor> sensors, Map<String, DenseDepth> latest) {
    List<SensorRow> rows = new ArrayList<>();
    DepthMetrics metrics = new DepthMetrics(100.0);
    for (DriveSensor s : sensors) {
      DenseDepth dense = latest.get(s.sensor().sensorId());
      double rmse = Double.NaN;
      double rel = Double.NaN;
      DepthMap truth = s.truths().get(0);
      if (dense != null) {
        truth = s.truths().get((int) (dense.getId().getSequence() % s.truths().size()));
        var m = metrics.evaluate(OutputMonitor.decode(dense), truth);
        rmse = m.rmse();
        rel = m.rel();
      }
      rows.add(new SensorRow(s.sensor().sensorId(), s.kindName(), truth.width(), truth.height(), s.rateHz(),
          s.method(), rmse, rel));
    }
    return rows;
  }

  /**
   * Called after the drain: the counts then account for every frame sent in the window, late ones included. The
   * output rate counts only the frames out while the window lasted ({@code denseAtWindowEnd}): a node that fell
   * behind keeps putting out its backlog during the drain, and counting that over the window's length would
   * overstate its throughput (bench-node's saturated run did until session 13).
   *
   * @param seconds the whole run, warm-up included, up to the end of publishing
   * @param window counts at the start of the measured window, subtracted from the final counts
   * @param denseAtWindowEnd the monitor's dense count when publishing stopped, before the drain
   */
  static DemoSummary of(String mode, double seconds, DemoRun.Window window, long denseAtWindowEnd, Feed feed,
      OutputMonitor monitor, NodeStats nodeStats, List<SensorRow> rows, List<Path> pictures, Path recording,
      long recordingFrames, MemoryLog.Summary memory) {
    double measured = seconds - window.startSeconds();
    long dense = monitor.dense() - window.dense();
    return new DemoSummary(mode, measured, window.startSeconds(), feed.sent() - window.sent(),
        feed.corrupted() < 0 ? -1 : feed.corrupted() - window.corrupted(), dense,
        Math.max(0, monitor.dense() - denseAtWindowEnd), monitor.deadLettered() - window.deadLettered(),
        nodeStats.skipped() - window.skipped(),
        monitor.guidance() - window.guidance(), monitor.alerts() - window.alerts(),
        windowFps(denseAtWindowEnd - window.dense(), measured),
        monitor.percentileMs(50), monitor.percentileMs(99), monitor.percentileMs(100),
        monitor.inboundPercentileMs(50), monitor.deliveryPercentileMs(50), nodeStats.stagePercentilesMs(),
        monitor.maxOutputGapSeconds(), rows, pictures, recording, recordingFrames, memory, window.warmUp());
  }

  String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "%nfinished %s: %.1f s measured%s: %d frames in (%s), %d dense out, %d dead-lettered, %d skipped"
            + " as stale, %d guidance (%d obstacle alerts)%n",
        mode, durationSeconds,
        warmUpSeconds > 0 ? String.format(Locale.ROOT, " after a %.1f s warm-up", warmUpSeconds) : "", framesIn,
        corruptIn < 0 ? "replayed as recorded" : corruptIn + " corrupt on purpose",
        framesOut, deadLettered, skipped, guidanceOut, alerts));
    if (Double.isNaN(latencyP50Ms) && "replay".equals(mode)) {
      sb.append(String.format(Locale.ROOT, "%.1f fps out; end-to-end latency not measured (a replay keeps its"
          + " original capture times); node to consumer p50 %.1f ms%n", fps, deliveryP50Ms));
    } else {
      sb.append(String.format(Locale.ROOT, "%.1f fps out, end-to-end latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          fps, latencyP50Ms, latencyP99Ms, latencyMaxMs));
      sb.append(String.format(Locale.ROOT,
          "  latency parts (p50): capture to node %.1f ms, node to consumer %.1f ms%n", inboundP50Ms, deliveryP50Ms));
    }
    if (framesOutAfterWindow > 0) {
      sb.append(String.format(Locale.ROOT, "  %d of the dense frames came out after publishing stopped (the node's"
          + " backlog); the fps above leaves them out%n", framesOutAfterWindow));
    }
    if (warmUp != null && !Double.isNaN(warmUp.p99Ms())) {
      sb.append(String.format(Locale.ROOT, "  in the warm-up (first %.1f s): %d dense out, %d skipped, latency p50 %.1f"
          + " ms, p99 %.1f ms, max %.1f ms%n", warmUp.seconds(), warmUp.framesOut(), warmUp.skipped(), warmUp.p50Ms(),
          warmUp.p99Ms(), warmUp.maxMs()));
      sb.append("  ").append(warmUp.describeStart()).append(System.lineSeparator());
    }
    if (recording != null) {
      sb.append(String.format(Locale.ROOT, "  %s %s: %d records%n",
          "replay".equals(mode) ? "replayed recording" : "recorded raw topics to", recording, recordingFrames));
    }
    if (memory != null) {
      sb.append(String.format(Locale.ROOT,
          "  resident memory: %.0f MiB at the start of the window, %.0f MiB at the end, max %.0f MiB,"
              + " trend %+.2f MiB/min (%d samples); ",
          memory.startMib(), memory.endMib(), memory.maxMib(), memory.slopeMibPerMinute(), memory.samples()));
      // Committed heap pages count as resident only once touched: without a fixed, pre-touched heap the difference
      // "resident minus committed heap" mixes heap first-touch into native memory and means nothing.
      sb.append(MemoryLog.heapPreTouched()
          ? String.format(Locale.ROOT, "outside the Java heap %.0f -> %.0f MiB, trend %+.2f MiB/min%n",
              memory.outsideHeapStartMib(), memory.outsideHeapEndMib(), memory.outsideHeapSlopeMibPerMinute())
          : "native memory alone needs -Xms = -Xmx and -XX:+AlwaysPreTouch (README: memory soak)\n");
    }
    if (!maxGapSeconds.isEmpty()) {
      sb.append("  longest stretch without dense output:");
      maxGapSeconds.forEach((sensor, s) -> sb.append(String.format(Locale.ROOT, " %s %.2f s", sensor, s)));
      sb.append('\n');
    }
    sb.append("  node stages (p50 / p99 ms):");
    stagesMs.forEach((stage, p) -> sb.append(String.format(Locale.ROOT, " %s %.1f / %.1f", stage, p[0], p[1])));
    sb.append('\n');
    for (SensorRow r : sensors) {
      sb.append(String.format(Locale.ROOT, "  %-12s %-6s %4dx%-4d %5.1f Hz  %-14s RMSE %.3f m, rel %.3f (last frame)%n",
          r.id(), r.kind(), r.width(), r.height(), r.rateHz(), r.method(), r.rmseM(), r.relErr())
          .replace("RMSE NaN m, rel NaN (last frame)", "(no ground truth in a replay)"));
    }
    pictures.forEach(p -> sb.append("  picture: ").append(p).append('\n'));
    return sb.toString();
  }

  void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toJson());
  }

  /** The machine-readable summary that {@link #writeJson} writes. */
  String toJson() {
    StringBuilder j = new StringBuilder("{\n");
    j.append("  \"mode\": ").append(quote(mode)).append(",\n");
    field(j, "duration_s", durationSeconds);
    field(j, "warm_up_s", warmUpSeconds);
    field(j, "frames_in", framesIn);
    if (corruptIn < 0) {
      j.append("  \"frames_in_corrupt\": null,\n");
    } else {
      field(j, "frames_in_corrupt", corruptIn);
    }
    field(j, "frames_out", framesOut);
    field(j, "frames_out_after_window", framesOutAfterWindow);
    field(j, "frames_dead_lettered", deadLettered);
    field(j, "frames_skipped", skipped);
    field(j, "guidance_out", guidanceOut);
    field(j, "obstacle_alerts", alerts);
    field(j, "fps", fps);
    field(j, "latency_p50_ms", latencyP50Ms);
    field(j, "latency_p99_ms", latencyP99Ms);
    field(j, "latency_max_ms", latencyMaxMs);
    field(j, "latency_capture_to_node_p50_ms", inboundP50Ms);
    field(j, "latency_node_to_consumer_p50_ms", deliveryP50Ms);
    if (warmUp == null) {
      j.append("  \"warm_up_window\": null,\n");
    } else {
      j.append(String.format(Locale.ROOT, "  \"warm_up_window\": {\"duration_s\": %s, \"frames_out\": %d,"
          + " \"frames_skipped\": %d, \"latency_p50_ms\": %s, \"latency_p99_ms\": %s, \"latency_max_ms\": %s,"
          + " \"node_start_to_ready_ms\": %d, \"cpu_s\": {%s}},%n",
          number(warmUp.seconds()), warmUp.framesOut(), warmUp.skipped(), number(warmUp.p50Ms()),
          number(warmUp.p99Ms()), number(warmUp.maxMs()), warmUp.nodeStartToReadyMs(),
          warmUp.cpuSecondsByGroup().entrySet().stream().map(e -> quote(e.getKey()) + ": " + number(e.getValue()))
              .collect(java.util.stream.Collectors.joining(", "))));
    }
    j.append("  \"recording\": ").append(recording == null ? "null" : quote(recording.toString())).append(",\n");
    j.append("  \"recording_frames\": ").append(recording == null ? "null" : Long.toString(recordingFrames))
        .append(",\n");
    if (memory == null) {
      j.append("  \"memory\": null,\n");
    } else {
      j.append(String.format(Locale.ROOT, "  \"memory\": {\"rss_start_mib\": %s, \"rss_end_mib\": %s,"
          + " \"rss_max_mib\": %s, \"rss_trend_mib_per_min\": %s, \"outside_heap_start_mib\": %s,"
          + " \"outside_heap_end_mib\": %s, \"outside_heap_trend_mib_per_min\": %s, \"samples\": %d},%n",
          number(memory.startMib()), number(memory.endMib()), number(memory.maxMib()),
          number(memory.slopeMibPerMinute()), number(memory.outsideHeapStartMib()),
          number(memory.outsideHeapEndMib()), number(memory.outsideHeapSlopeMibPerMinute()), memory.samples()));
    }
    j.append("  \"node_stage_ms\": {");
    int n = 0;
    for (Map.Entry<String, double[]> e : stagesMs.entrySet()) {
      j.append(n++ == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s: {\"p50\": %s, \"p99\": %s}",
          quote(e.getKey()), number(e.getValue()[0]), number(e.getValue()[1])));
    }
    j.append("},\n");
    j.append("  \"max_output_gap_s\": {");
    n = 0;
    for (Map.Entry<String, Double> e : maxGapSeconds.entrySet()) {
      j.append(n++ == 0 ? "" : ", ").append(quote(e.getKey())).append(": ").append(number(e.getValue()));
    }
    j.append("},\n");
    j.append("  \"sensors\": [\n");
    for (int i = 0; i < sensors.size(); i++) {
      SensorRow r = sensors.get(i);
      j.append(String.format(Locale.ROOT,
          "    {\"id\": %s, \"kind\": %s, \"width\": %d, \"height\": %d, \"rate_hz\": %s, \"method\": %s,"
              + " \"last_frame_rmse_m\": %s, \"last_frame_rel\": %s}%s%n",
          quote(r.id()), quote(r.kind()), r.width(), r.height(), number(r.rateHz()), quote(r.method()),
          number(r.rmseM()), number(r.relErr()), i + 1 < sensors.size() ? "," : ""));
    }
    j.append("  ],\n  \"pictures\": [");
    for (int i = 0; i < pictures.size(); i++) {
      j.append(i == 0 ? "" : ", ").append(quote(pictures.get(i).toString()));
    }
    j.append("]\n}\n");
    return j.toString();
  }

  private static void field(StringBuilder j, String name, double value) {
    j.append("  ").append(quote(name)).append(": ").append(number(value)).append(",\n");
  }

  private static void field(StringBuilder j, String name, long value) {
    j.append("  ").append(quote(name)).append(": ").append(value).append(",\n");
  }

  /** JSON has no NaN: unknown values are null. */
  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
