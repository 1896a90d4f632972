package io.depthstream.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthstream.cli.CommandErrors;
import io.depthstream.cli.DurationOption;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.inference.ModelLoadException;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.StreamApp;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.topology.ReconstructorFactory;
import io.depthstream.tools.bench.MethodBench;
import io.depthstream.tools.bench.MethodBench.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Issue 5's benchmark, in ONE run on one machine so every ratio compares like with like: the methods in-process,
 * the fast path against a full-resolution network of its family (speed and RMSE on the same frames), the SR
 * generator against an SRGAN-size one, the bare in-process throughput of the stream's configuration, and the node
 * end to end through the embedded broker (real-time at 2 x 30 fps, then saturated to find its throughput). Prints
 * a markdown report and writes the numbers as JSON.
 *
 * <p>Reference models (the full-resolution fast net, the SRGAN-size generator) are read from
 * {@code --reference-dir}; a missing one is exported with random weights by the trainer (Debian's
 * {@code /usr/bin/python3} with PyTorch), which is enough for its speed but gives it no meaningful RMSE.
 */
@Command(name = "depthstream bench-node", mixinStandardHelpOptions = true, sortOptions = false, description = "Speed of the learned methods and of the node end to end, in one run: markdown + JSON.")
public final class NodeBenchCommand implements Callable<Integer> {
  @Option(names = "--fast", defaultValue = "fast_interp_x4", description = "Fast-path model of --models-dir by file stem, e.g. fast_interp_x4 (default: ${DEFAULT-VALUE}).")
  String fast;

  @Option(names = "--sr", defaultValue = "sr_x4", description = "Super-resolution model of --models-dir by file stem: sr_x2, sr_x4 or sr_x8 (default: "
      + "${DEFAULT-VALUE}).")
  String sr;

  @Option(names = "--models-dir", defaultValue = "models", description = "Shipped models (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(names = "--reference-dir", defaultValue = "models/reference", description = "Reference models fast_interp_full.onnx and sr_srgan_x4.onnx (default: ${DEFAULT-VALUE}).")
  Path referenceDir;

  @Option(names = {"-c",
      "--config"}, paramLabel = "FILE", description = "Node configuration for the end-to-end runs (default: config/depthstream.properties when it "
          + "exists).")
  Path config;

  @Option(names = {"-s", "--set"}, description = "Override a node setting for every part, key=value; repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--warmup", defaultValue = "20", description = "Untimed in-process runs (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", defaultValue = "100", description = "Timed in-process runs (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--accuracy-frames", defaultValue = "6", description = "Synthetic frames per scene for the RMSE of fast vs full resolution (default: ${DEFAULT-VALUE}).")
  int accuracyFrames;

  @Option(names = "--rate", defaultValue = "30", description = "Frames per second per sensor, end to end (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--saturate-rate", defaultValue = "100", description = "Per-sensor input rate of the saturated run, above what the node can take; the report says when the node kept up (default: ${DEFAULT-VALUE}).")
  double saturateRate;

  @Option(names = "--e2e-duration", defaultValue = "40s", converter = DurationOption.class, description = "Length of the cold and the saturated end-to-end runs, warm-up included (default: ${DEFAULT-VALUE}).")
  java.time.Duration e2eDuration;

  @Option(names = "--e2e-warm-up", defaultValue = "10s", converter = DurationOption.class, description = "Start of the cold and the saturated runs left out of their statistics (default: ${DEFAULT-VALUE}).")
  java.time.Duration e2eWarmUp;

  @Option(names = "--steady-warm-up", defaultValue = "120s", converter = DurationOption.class, description = "Warm-up of the steady-state end-to-end run: until the JIT has compiled the broker, the Kafka "
      + "clients and the node (default: ${DEFAULT-VALUE}).")
  java.time.Duration steadyWarmUp;

  @Option(names = "--steady-window", defaultValue = "60s", converter = DurationOption.class, description = "Measured window of the steady-state end-to-end run (default: ${DEFAULT-VALUE}).")
  java.time.Duration steadyWindow;

  @Option(names = "--restart-after", defaultValue = "20s", converter = DurationOption.class, description = "restart part: how long the whole robot runs with an in-process node before the node restarts as its own JVM; then --e2e-warm-up is the first window after it is ready and --e2e-duration minus that the second (default: ${DEFAULT-VALUE}).")
  java.time.Duration restartAfter;

  @Option(names = "--node-launcher", paramLabel = "FILE", description = "restart part: the node distribution's bin/depthstream-node (default: the one the build put under stream-app/target).")
  Path nodeLauncher;

  @Option(names = "--node-java-opts", paramLabel = "OPTS", description = "restart part: the restarted node's JVM options (its launcher's JAVA_OPTS; default: the launcher's own defaults, or JAVA_OPTS of this command's environment).")
  String nodeJavaOpts;

  @Option(names = "--bare-seconds", defaultValue = "15", description = "Length of the bare in-process throughput run (default: ${DEFAULT-VALUE}).")
  double bareSeconds;

  @Option(names = "--skip-e2e", description = "In-process parts only: leaves out stream and robot.")
  boolean skipE2e;

  @Option(names = "--parts", split = ",", paramLabel = "PART", description = "Parts to run, comma-separated, any of: "
      + "${COMPLETION-CANDIDATES} (default: all). methods = every method in-process; fast_vs_full, sr_vs_srgan ="
      + " speed and RMSE ratios; bare = bare in-process throughput; stream = 2 sensors end to end, cold, steady and"
      + " saturated; robot = the whole-robot mix cold and steady, per sensor, with CPU per frame; restart = the node"
      + " restarted as its own JVM (the node distribution's launcher) beside the running whole robot.")
  List<Part> parts = new ArrayList<>();

  @Option(names = "--out", defaultValue = "out/bench-node", description = "Directory for the JSON, the end-to-end summaries, memory logs and pictures (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Mixin
  CommandErrors.Verbose verbose;

  @Spec
  CommandSpec spec;

  /** The parts of the benchmark, in the order they run. */
  enum Part {
    METHODS, FAST_VS_FULL, SR_VS_SRGAN, BARE, STREAM, ROBOT, RESTART
  }

  private static final int[] VGA = {640, 480};
  private static final int[] KITTI = {1242, 375};
  private static final String FULL_RES = "fast_interp_full";
  private static final String SRGAN = "sr_srgan_x4";

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired with the commands' error reporting, a bad node setting included. */
  static CommandLine commandLine() {
    return CommandErrors.commandLine(new NodeBenchCommand(), StreamApp::configurationError,
        ModelLoadException::userMessage).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || warmup < 0 || accuracyFrames < 1 || !(rate > 0) || !(saturateRate > 0) || !(bareSeconds > 0)
        || steadyWindow.isNegative() || steadyWindow.isZero() || steadyWarmUp.isNegative()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--runs, --accuracy-frames, --rate, "
          + "--saturate-rate, --bare-seconds and --steady-window must be positive, --warmup and --steady-warm-up >= 0");
    }
    EnumSet<Part> selected = parts.isEmpty() ? EnumSet.allOf(Part.class) : EnumSet.copyOf(parts);
    if (skipE2e) {
      selected.removeAll(List.of(Part.STREAM, Part.ROBOT, Part.RESTART));
    }
    NodeConfig nodeConfig = DemoSettings.builder().config(config).set(overrides).build().nodeConfig("localhost:9092");
    ReconstructorFactory methods = DepthNode.methods(nodeConfig);
    for (String model : List.of(fast, sr)) {
      methods.create(model).close(); // an unknown or unusable model fails now, not after the first parts
    }
    Path restartLauncher = selected.contains(Part.RESTART) ? checkRestartPart() : null;
    Files.createDirectories(outDir);
    InProcessBench inProcess = new InProcessBench(warmup, accuracyFrames, bareSeconds);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", BenchJson.machine());
    json.put("inference", BenchJson.inferenceSettings(nodeConfig));
    json.put("parts", selected.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
    StringBuilder report = new StringBuilder();

    if (selected.contains(Part.METHODS)) {
      out.println("== every method in-process, one caller");
      List<Row> rows = new ArrayList<>();
      for (String name : List.of("nearest-fill", "morphological", "inpaint", fast, sr)) {
        try (DepthReconstructor m = methods.create(name)) {
          for (int[] size : List.of(VGA, KITTI)) {
            rows.add(progress(MethodBench.measure(m, size[0], size[1], warmup, runs)));
          }
        }
      }
      json.put("in_process", rows.stream().map(BenchJson::rowJson).toList());
      report.append("### Methods in-process (one caller)\n\n").append(MethodBench.markdown(rows, List.of()));
    }
    StringBuilder ratios = new StringBuilder();
    if (selected.contains(Part.FAST_VS_FULL)) {
      out.println("== fast path vs a full-resolution network of its family, 640x480");
      MethodCatalog reference = new MethodCatalog(ensureReference(FULL_RES, "--kind", "fast", "--full-resolution"),
          InferenceSettings.defaults());
      Map<String, Object> fastVsFull = new LinkedHashMap<>();
      Row fastRow;
      Row fullRow;
      Map<String, Double> rmse = new LinkedHashMap<>();
      try (DepthReconstructor f = methods.create(fast);
          DepthReconstructor full = reference.createDepth(FULL_RES);
          DepthReconstructor inpaint = methods.create("inpaint")) {
        fastRow = progress(MethodBench.measure(f, VGA[0], VGA[1], warmup, runs));
        fullRow = progress(MethodBench.measure(full, VGA[0], VGA[1], Math.min(warmup, 3), Math.max(5, runs / 10)));
        for (DepthReconstructor m : List.of(f, full, inpaint)) {
          rmse.put(m.name(), inProcess.accuracy(m));
        }
      }
      fastVsFull.put("fast", BenchJson.rowJson(fastRow));
      fastVsFull.put("full_resolution", BenchJson.rowJson(fullRow));
      fastVsFull.put("speed_ratio", fastRow.fps() / fullRow.fps());
      fastVsFull.put("research_speed_ratio", 5.0);
      fastVsFull.put("rmse_m", rmse);
      fastVsFull.put("rmse_frames", accuracyFrames + " indoor (uniform:p=0.05) + " + accuracyFrames
          + " road (lidar:lines=64), 640x480, synthetic scene generator");
      json.put("fast_vs_full_resolution", fastVsFull);
      ratios.append(String.format(Locale.ROOT, "| fast path vs full-resolution net, 640x480 | x%.1f (%.1f vs %.1f fps)"
          + "; RMSE %.3f vs %.3f m (inpaint %.3f) | x5 |%n", fastRow.fps() / fullRow.fps(), fastRow.fps(),
          fullRow.fps(), rmse.get(fastRow.method()), rmse.get(fullRow.method()), rmse.get("inpaint")));
    }
    if (selected.contains(Part.SR_VS_SRGAN)) {
      out.println("== SR generator vs an SRGAN-size generator (16 residual blocks, 64 channels), x4 to 640x480");
      MethodCatalog srganCatalog = new MethodCatalog(ensureReference(SRGAN, "--kind", "sr", "--preset", "srgan",
          "--factor", "4"), InferenceSettings.defaults());
      Row srRow;
      Row srganRow;
      try (DepthReconstructor s = methods.create(sr); DepthReconstructor big = srganCatalog.createDepth(SRGAN)) {
        srRow = progress(MethodBench.measure(s, VGA[0], VGA[1], warmup, runs));
        srganRow = progress(MethodBench.measure(big, VGA[0], VGA[1], Math.min(warmup, 3), Math.max(5, runs / 10)));
      }
      json.put("sr_vs_srgan", Map.of("sr", BenchJson.rowJson(srRow), "srgan", BenchJson.rowJson(srganRow),
          "speed_ratio", srRow.fps() / srganRow.fps(), "research_speed_ratio", 10.0));
      ratios.append(String.format(Locale.ROOT, "| SR generator vs SRGAN-size (16 blocks, 64 ch), x4 to 640x480 | x%.1f"
          + " (%.1f vs %.1f fps) | x10 |%n", srRow.fps() / srganRow.fps(), srRow.fps(), srganRow.fps()));
    }
    if (!ratios.isEmpty()) {
      report.append("\n### Ratios against the research\n\n| comparison | ours | research |\n|---|---|---|\n")
          .append(ratios);
    }

    InProcessBench.Throughput bare = null;
    if (selected.contains(Part.BARE)) {
      out.printf("== bare in-process throughput: 2 callers (like 2 sensor tasks) running %s at 640x480 for %.0f s%n",
          fast, bareSeconds);
      bare = inProcess.bareThroughput(methods, fast, 2);
      json.put("bare_in_process", bare.json());
      out.printf("   %.1f frames/s in total, per call p50 %.1f ms p99 %.1f ms%n", bare.fps(), bare.p50Ms(),
          bare.p99Ms());
    }
    if (selected.contains(Part.STREAM) || bare != null) {
      DemoRun.Outcome[] streamRuns = selected.contains(Part.STREAM) ? streamParts(json, bare) : new DemoRun.Outcome[3];
      DemoSummary[] summaries = new DemoSummary[streamRuns.length];
      for (int i = 0; i < streamRuns.length; i++) {
        summaries[i] = streamRuns[i] == null ? null : streamRuns[i].summary();
      }
      report.append(streamReport(summaries, bare));
      if (selected.contains(Part.STREAM)) {
        report.append(streamCpu(json, streamRuns[0], streamRuns[1], nodeConfig, methods));
      }
    }
    if (selected.contains(Part.ROBOT)) {
      report.append(robotPart(json, nodeConfig, methods));
    }
    if (selected.contains(Part.RESTART)) {
      report.append(restartPart(json, restartLauncher));
    }

    out.println();
    out.print(report);
    Path jsonFile = outDir.resolve("bench-node.json");
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), json);
    out.println("\nJSON written to " + jsonFile.toAbsolutePath());
    return 0;
  }

  static final double KEPT_UP_SHARE = 0.97;

  /**
   * Whether a run meant to saturate the node kept up instead: its output rate at least {@value #KEPT_UP_SHARE} of
   * its input rate over the measured window. Its out fps is then a lower bound of the throughput, not the throughput
   * (at 2 x 60 fps offered, the default until session 12, the node kept up in 40 s runs).
   */
  static boolean keptUp(double inFps, double outFps) {
    return outFps >= KEPT_UP_SHARE * inFps;
  }

  /** The 2-sensor end-to-end runs: cold, steady state, saturated; their outcomes in that order. */
  private DemoRun.Outcome[] streamParts(Map<String, Object> json, InProcessBench.Throughput bare) throws Exception {
    out.printf("== end to end through the embedded broker: 2 sensors x %.0f fps at 640x480, %s; cold (%d s warm-up)"
        + "%n", rate, fast, e2eWarmUp.toSeconds());
    DemoRun.Outcome coldRun = twoSensors("realtime-cold", rate, false, e2eDuration, e2eWarmUp);
    DemoSummary cold = coldRun.summary();
    json.put("end_to_end_cold", BenchJson.e2eJson(cold, rate));
    out.printf("== the same at steady state (%d s warm-up, %d s measured)%n", steadyWarmUp.toSeconds(),
        steadyWindow.toSeconds());
    DemoRun.Outcome steadyRun = twoSensors("realtime", rate, false, steadyWarmUp.plus(steadyWindow), steadyWarmUp);
    DemoSummary realtime = steadyRun.summary();
    json.put("end_to_end", BenchJson.e2eJson(realtime, rate));
    out.printf("== end to end saturated: 2 sensors x %.0f fps offered, no real-time budget%n", saturateRate);
    DemoRun.Outcome saturatedRun = twoSensors("saturated", saturateRate, true, e2eDuration, e2eWarmUp);
    DemoSummary saturated = saturatedRun.summary();
    json.put("end_to_end_saturated", BenchJson.e2eJson(saturated, saturateRate));
    if (bare != null) {
      json.put("streaming_overhead", Map.of("end_to_end_fps", saturated.fps(), "bare_fps", bare.fps(),
          "ratio", saturated.fps() / bare.fps(), "kept_up", keptUp(saturated.inFps(), saturated.fps())));
    }
    return new DemoRun.Outcome[] {coldRun, steadyRun, saturatedRun};
  }

  /**
   * The node's CPU per dense frame in the 2-sensor real-time runs (both sensors on the fast path at 640x480) against
   * bare inference of the same method on the same frames: the overhead rows are about this run, the
   * whole-robot part weighs the same costs against a cheap classical method as well.
   */
  private String streamCpu(Map<String, Object> json, DemoRun.Outcome streamCold, DemoRun.Outcome streamSteady,
      NodeConfig nodeConfig, ReconstructorFactory methods) throws Exception {
    out.printf("== bare inference of the 2-sensor runs' method on their frames, CPU time of the calling thread (%d"
        + " runs per sensor)%n", runs);
    List<RobotLoad.BareCpu> bareCpu = RobotLoad.bareCpu(streamSteady.sensors(), methods, nodeConfig, warmup, runs);
    RobotLoad.CpuPerFrame cold = RobotLoad.CpuPerFrame.of(streamCold, bareCpu);
    RobotLoad.CpuPerFrame steady = RobotLoad.CpuPerFrame.of(streamSteady, bareCpu);
    json.put("end_to_end_cpu_per_frame_cold", RobotLoad.cpuPerFrameJson(cold, bareCpu));
    json.put("end_to_end_cpu_per_frame_steady_state", RobotLoad.cpuPerFrameJson(steady, bareCpu));
    json.put("end_to_end_cpu_cold", RobotLoad.cpuJson(streamCold.cpu(), streamCold.cpuFrames()));
    json.put("end_to_end_cpu_steady_state", RobotLoad.cpuJson(streamSteady.cpu(), streamSteady.cpuFrames()));
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n#### 2 x %s fps 640x480 on %s: CPU by thread"
        + " group, steady state%n%n", fmt(rate), fast));
    sb.append(RobotLoad.cpuTable(streamSteady.cpu(), streamSteady.cpuFrames()));
    sb.append(RobotLoad.cpuPerFrameTable(cold, steady, bareCpu));
    return sb.toString();
  }

  /**
   * The whole-robot mix ({@link RobotLoad#mix}) through the node, cold and at steady state, then bare inference of
   * the same methods on the same frames: per-sensor tables, CPU by thread group and CPU per frame.
   */
  private String robotPart(Map<String, Object> json, NodeConfig nodeConfig, ReconstructorFactory methods)
      throws Exception {
    out.printf("== whole robot: LiDAR 1242x375 at 10 Hz on %s, RGB-D 640x480 at 30 Hz on inpaint, vSLAM 640x480 at"
        + " 30 Hz on %s; cold (%d s warm-up, %d s measured)%n", fast, fast, e2eWarmUp.toSeconds(),
        e2eDuration.minus(e2eWarmUp).toSeconds());
    DemoRun.Outcome cold = run("robot-cold", RobotLoad.mix(settings("robot-cold", e2eDuration, e2eWarmUp), fast));
    out.printf("== whole robot at steady state (%d s warm-up, %d s measured)%n", steadyWarmUp.toSeconds(),
        steadyWindow.toSeconds());
    DemoRun.Outcome steady = run("robot", RobotLoad.mix(settings("robot", steadyWarmUp.plus(steadyWindow),
        steadyWarmUp), fast));
    out.printf("== bare inference of the same methods on the same frames, CPU time of the calling thread (%d runs"
        + " per sensor)%n", runs);
    List<RobotLoad.BareCpu> bareCpu = RobotLoad.bareCpu(steady.sensors(), methods, nodeConfig, warmup, runs);
    RobotLoad.CpuPerFrame perFrame = RobotLoad.CpuPerFrame.of(steady, bareCpu);
    RobotLoad.CpuPerFrame coldPerFrame = RobotLoad.CpuPerFrame.of(cold, bareCpu);
    Map<String, Object> robot = new LinkedHashMap<>();
    robot.put("cold", RobotLoad.runJson(cold));
    robot.put("steady_state", RobotLoad.runJson(steady));
    robot.put("cpu_per_frame_steady_state", RobotLoad.cpuPerFrameJson(perFrame, bareCpu));
    robot.put("cpu_per_frame_cold", RobotLoad.cpuPerFrameJson(coldPerFrame, bareCpu));
    json.put("robot", robot);

    StringBuilder sb = new StringBuilder("\n### Whole robot (LiDAR 1242x375 10 Hz " + fast + ", RGB-D 640x480 30 Hz"
        + " inpaint, vSLAM 640x480 30 Hz " + fast + ")\n\n");
    Map<String, DemoRun.Outcome> windows = new LinkedHashMap<>();
    windows.put("cold (" + e2eWarmUp.toSeconds() + "-" + e2eDuration.toSeconds() + " s after start)", cold);
    windows.put("steady (" + steadyWarmUp.toSeconds() + " s warm-up)", steady);
    sb.append(RobotLoad.sensorTable(windows, "first " + e2eWarmUp.toSeconds() + " s after start"));
    sb.append(coldStartLine(cold.summary().warmUp()));
    sb.append(String.format(Locale.ROOT, "%n#### CPU by thread group, steady state%n%n"));
    sb.append(RobotLoad.cpuTable(steady.cpu(), steady.cpuFrames()));
    sb.append(RobotLoad.cpuPerFrameTable(coldPerFrame, perFrame, bareCpu));
    if (nodeConfig.getInt(NodeConfig.INFERENCE_THREADS_INTRA) != 1) {
      sb.append("\nNOTE: intra-op threads != 1: ONNX Runtime's native pool threads are not in the bare figure, and in"
          + " the node's they count as 'other'.\n");
    }
    return sb.toString();
  }

  private DemoSettings.Builder settings(String label, java.time.Duration duration, java.time.Duration warmUp) {
    return DemoSettings.builder().config(config).duration(duration).warmUp(warmUp)
        .summary(outDir.resolve(label + ".json")).memoryLog(outDir.resolve(label + "-memory.csv"))
        .latencyLog(outDir.resolve(label + "-latency.csv")).pictures(outDir.resolve("pictures-" + label))
        .set(NodeConfig.METRICS_PORT + "=0");
  }

  /**
   * The node restarted as its own JVM beside the running whole robot ({@link NodeRestart}): the first seconds of a
   * node whose JVM holds only the node, next to a warm broker and sensors.
   */
  private String restartPart(Map<String, Object> json, Path launcher) throws Exception {
    java.time.Duration second = e2eDuration.minus(e2eWarmUp);
    out.printf("== the whole robot; after %d s its node restarts as its own JVM; windows of %d s and %d s after "
        + "it is ready%n", restartAfter.toSeconds(), e2eWarmUp.toSeconds(), second.toSeconds());
    NodeRestart.Result r = NodeRestart.run(RobotLoad.mix(settings("restart", e2eDuration, e2eWarmUp), fast)
        .set(overrides).build(), launcher, nodeJavaOpts, restartAfter, e2eWarmUp, second, out);
    Map<String, Object> restart = new LinkedHashMap<>();
    restart.put("restart_after_s", restartAfter.toSeconds());
    restart.put("node_java_opts", nodeJavaOpts == null ? System.getenv().getOrDefault("JAVA_OPTS", "") : nodeJavaOpts);
    restart.put("stop_to_ready_ms", r.stopToReadyMs());
    restart.put("launcher_start_to_ready_ms", r.startToReadyMs());
    restart.put("stale_records_moved_past_at_start", r.staleAtStart());
    for (NodeRestart.Window w : List.of(r.first(), r.after())) {
      Map<String, Object> window = new LinkedHashMap<>();
      window.put("dense_frames", w.frames());
      window.put("latency_p50_ms", w.p50Ms());
      window.put("latency_p99_ms", w.p99Ms());
      window.put("latency_max_ms", w.maxMs());
      window.put("latency_p99_captured_after_ready_ms", w.freshP99Ms());
      window.put("frames_skipped", w.skipped());
      window.put("node_jvm_cpu_ms_per_dense_frame", w.nodeCpuMsPerFrame());
      restart.put(w.label(), window);
    }
    json.put("restart", restart);
    return String.format(Locale.ROOT, "%n### The node restarted as its own JVM beside the running whole robot%n%n%s",
        r.table());
  }

  /**
   * The restart part's checks, before any part runs: its windows, and its node launcher (--node-launcher, or the one
   * the build put under stream-app/target), which it returns.
   */
  private Path checkRestartPart() throws java.io.IOException {
    if (restartAfter.isNegative() || restartAfter.isZero() || e2eDuration.compareTo(e2eWarmUp) <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--restart-after must be positive and "
          + "--e2e-duration longer than --e2e-warm-up for the restart part");
    }
    Path found = nodeLauncher;
    Path target = Path.of("stream-app/target");
    if (found == null && Files.isDirectory(target)) {
      try (var files = Files.find(target, 4, (p, a) -> p.endsWith(Path.of("bin", "depthstream-node")))) {
        found = files.findFirst().orElse(null);
      }
    }
    if (found == null || !Files.isExecutable(found)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--node-launcher: "
          + (found == null ? "no node distribution under " + target.toAbsolutePath()
              + " (build it: mvn -pl stream-app -am package)" : found + " is not an executable file"));
    }
    return found;
  }

  /** Runs the demo as {@code settings} say, {@code --set} overrides last; a failed publisher fails the bench. */
  private DemoRun.Outcome run(String label, DemoSettings.Builder settings) throws Exception {
    DemoRun.Outcome outcome = DemoRun.run(settings.set(overrides).build(), out, new CountDownLatch(1));
    if (outcome.publishFailure() != null) {
      throw new IllegalStateException("the " + label + " end-to-end run failed: " + outcome.publishFailure(),
          outcome.publishFailure());
    }
    return outcome;
  }

  private Row progress(Row r) {
    out.printf(Locale.ROOT, "   %-16s %9s -> %-9s p50 %7.2f ms  p99 %7.2f ms  %7.1f fps%n", r.method(), r.input(),
        r.output(), r.p50Ms(), r.p99Ms(), r.fps());
    return r;
  }

  /**
   * The folder holding reference model {@code name}: {@code --reference-dir} when the file is there, otherwise
   * {@code OUT/reference-models} after exporting it with random weights through the trainer.
   */
  private Path ensureReference(String name, String... exportArgs) throws IOException, InterruptedException {
    if (Files.isRegularFile(referenceDir.resolve(name + ".onnx"))) {
      return referenceDir;
    }
    Path generated = outDir.resolve("reference-models").toAbsolutePath();
    if (Files.isRegularFile(generated.resolve(name + ".onnx"))) {
      return generated;
    }
    out.printf("   %s.onnx is not in %s: exporting one with random weights (speed only) ...%n", name, referenceDir);
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-m", "depthstream_trainer.export"));
    cmd.addAll(List.of(exportArgs));
    cmd.addAll(List.of("--name", name, "--models-dir", generated.toString()));
    Process p = new ProcessBuilder(cmd).directory(Path.of("trainer").toFile()).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("exporting reference model " + name + " failed (" + String.join(" ", cmd)
          + "); the trainer needs Debian's python3-torch and python3-onnx (./depthstream test installs them)");
    }
    return generated;
  }

  /**
   * One demo run with two 640x480 sensors on the fast path: a 64-line LiDAR (road) and a vSLAM (indoor).
   * Writes its summary, memory log and per-frame latencies (CSV and plot) as {@code OUT/LABEL*}.
   */
  private DemoRun.Outcome twoSensors(String label, double hz, boolean saturate, java.time.Duration duration,
      java.time.Duration warmUp) throws Exception {
    DemoSettings.Builder settings = settings(label, duration, warmUp).lidar(hz, VGA[0], VGA[1]).vslamHz(hz)
        .rgbdHz(0).set(NodeConfig.METHOD_LIDAR + "=" + fast).set(NodeConfig.METHOD_VSLAM + "=" + fast);
    if (saturate) {
      settings.set(NodeConfig.realtimeBudgetOff());
    }
    return run(label, settings);
  }

  /** The stream table: bare in-process throughput and the 2-sensor runs that ran (null ones are left out). */
  private String streamReport(DemoSummary[] runs, InProcessBench.Throughput bare) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n### Stream%n%n| run | in fps | out fps |"
        + " p50 ms | p99 ms | skipped | dead-lettered | RSS outside heap, trend MiB/min |%n"
        + "|---|---|---|---|---|---|---|---|%n"));
    if (bare != null) {
      sb.append(String.format(Locale.ROOT, "| bare in-process, %d callers | - | %.1f | %.1f | %.1f | - | - | - |%n",
          bare.callers(), bare.fps(), bare.p50Ms(), bare.p99Ms()));
    }
    DemoSummary cold = runs[0];
    WarmUpWindow first = cold == null ? null : cold.warmUp();
    if (first != null) {
      sb.append(String.format(Locale.ROOT, "| end to end, 2 x %s fps, first %d s after start | - | %.1f | %.1f | %.1f |"
          + " %d | - | - |%n", fmt(rate), e2eWarmUp.toSeconds(), first.fps(), first.p50Ms(), first.p99Ms(),
          first.skipped()));
    }
    String[] labels = {"end to end, 2 x " + fmt(rate) + " fps, cold (" + e2eWarmUp.toSeconds() + " s warm-up)",
        "end to end, 2 x " + fmt(rate) + " fps, steady state (" + steadyWarmUp.toSeconds() + " s warm-up)",
        "end to end saturated, 2 x " + fmt(saturateRate) + " fps offered, no budget"};
    for (int i = 0; i < labels.length; i++) {
      DemoSummary s = runs[i];
      if (s != null) {
        sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %d | %d | %s |%n", labels[i],
            s.inFps(), s.fps(), s.latencyP50Ms(), s.latencyP99Ms(), s.skipped(),
            s.deadLettered(), s.memory() == null ? "-" : String.format(Locale.ROOT, "%+.2f",
                s.memory().outsideHeapSlopeMibPerMinute())));
      }
    }
    sb.append(coldStartLine(first));
    DemoSummary saturated = runs[2];
    if (saturated != null && bare != null) {
      sb.append(String.format(Locale.ROOT, "%nStreaming overhead: end-to-end throughput / bare in-process"
          + " throughput = %.1f / %.1f = %.2f%n", saturated.fps(), bare.fps(), saturated.fps() / bare.fps()));
    }
    if (saturated != null && keptUp(saturated.inFps(), saturated.fps())) {
      sb.append(String.format(Locale.ROOT, "The saturated run kept up with its input (%.1f fps out of %.1f in): the"
          + " node was not saturated, so its throughput is at least that; raise --saturate-rate.%n", saturated.fps(),
          saturated.inFps()));
    }
    return sb.toString();
  }

  /**
   * The line under a table with a cold run: both clocks (start to ready, then the first seconds after it) and what
   * the JVM's threads spent in those seconds, the JIT compiler's share included; empty without a first window.
   */
  private String coldStartLine(WarmUpWindow first) {
    return first == null ? "" : String.format(Locale.ROOT, "%nCold start (the first %d s after start): %s%n",
        e2eWarmUp.toSeconds(), first.describeStart());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
