package io.depthstream.tools.bench;

import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.resample.Interpolation;
import io.depthstream.depth.resample.Resampler;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.depth.tooling.LatencyStats;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.inference.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Frames per second and latency of every reconstruction method in-process, in ONE run so the figures compare:
 * the classical methods and every ONNX model of the models directory, at 640x480 and KITTI's 1242x375 by default.
 * Densifying methods get a 64-line LiDAR-like sample of a code-built scene; super-resolution models get that scene
 * downscaled by their factor (area average). Focal-stack models take image stacks and are listed as skipped
 * ({@link InferenceBench}, {@code bench-model}, times one model of any role, with concurrent callers).
 */
@Command(name = "bench-methods", mixinStandardHelpOptions = true, sortOptions = false, description = "Frames per second and p50/p99 latency of every method, in one run; markdown table + JSON.")
public final class MethodBench implements Callable<Integer> {
  @Option(names = "--methods", split = ",", paramLabel = "NAME", description = "Method names, comma-separated: classical ${COMPLETION-CANDIDATES}, or ONNX models of --models-dir "
      + "by file stem (default: every classical method and model).", completionCandidates = Classical.class)
  List<String> methods;

  @Option(names = "--sizes", split = ",", defaultValue = "640x480,1242x375", description = "Output sizes WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
  List<String> sizes;

  @Option(names = "--warmup", defaultValue = "20", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", defaultValue = "100", description = "Timed runs (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--models-dir", defaultValue = "models", description = "ONNX models (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--json", description = "Also write the results as JSON here.")
  Path json;

  @Mixin
  CommandErrors.Verbose verbose;

  @Spec
  CommandSpec spec;

  /** The classical method names, for the help of {@code --methods}. */
  static final class Classical extends ArrayList<String> {
    Classical() {
      super(ClassicalMethods.names());
    }
  }

  /** One method at one size; times in milliseconds, fps = 1000 / mean. */
  public record Row(String method, String version, String input, String output, double p50Ms, double p99Ms,
      double meanMs,
      double fps) {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired with the commands' error reporting. */
  static CommandLine commandLine() {
    return CommandErrors.commandLine(new MethodBench(), ModelLoadException::userMessage);
  }

  @Override
  public Integer call() throws IOException {
    if (runs < 1 || warmup < 0 || threads < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--runs and --threads must be >= 1 and --warmup >= 0");
    }
    if (!Files.isDirectory(modelsDir)) {
      throw new NoSuchFileException(modelsDir.toString(), null, "--models-dir");
    }
    sizes.forEach(size -> parseSize("--sizes", size)); // a malformed size fails now, not after the first method's runs
    MethodCatalog catalog = new MethodCatalog(modelsDir, InferenceSettings.defaults().withIntraOpThreads(threads));
    List<String> names = methods != null ? methods : catalog.depthMethods();
    List<String> known = catalog.depthMethods();
    for (String name : names) {
      if (!known.contains(name) && !catalog.models(MethodCatalog.Role.FOCAL_STACK).contains(name)) {
        throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", known));
      }
    }
    List<Row> rows = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> focalModels = catalog.models(MethodCatalog.Role.FOCAL_STACK);
    for (String name : names) {
      if (focalModels.contains(name)) {
        // Focal-stack models take image stacks, not depth: bench-model --model NAME (InferenceBench) times them.
        skipped.add(name + " (not a depth-to-depth model; time focal stacks with bench-model)");
        continue;
      }
      try (DepthReconstructor method = catalog.createDepth(name)) {
        for (String size : sizes) {
          int[] wh = parseSize("--sizes", size);
          rows.add(measure(method, wh[0], wh[1], warmup, runs));
        }
      } catch (ModelLoadException e) {
        skipped.add(name + " (cannot be loaded: " + e.getMessage() + ")");
      }
    }
    System.out.print(markdown(rows, skipped));
    if (json != null) {
      writeJson(rows, skipped);
    }
    return 0;
  }

  /** {@code WIDTHxHEIGHT} as {width, height}; a malformed size names {@code option}. */
  static int[] parseSize(String option, String size) {
    String[] wh = size.toLowerCase(Locale.ROOT).split("x");
    try {
      if (wh.length == 2) {
        int[] parsed = {Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim())};
        if (parsed[0] >= 8 && parsed[1] >= 8) {
          return parsed;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + ": expected WIDTHxHEIGHT with sides of 8 or more, got '" + size + "'");
  }

  /** {@code warmup} untimed calls of {@code call}, then {@code runs} timed ones: nanoseconds per timed call. */
  static long[] time(int warmup, int runs, Runnable call) {
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    long[] ns = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      call.run();
      ns[i] = System.nanoTime() - t0;
    }
    return ns;
  }

  /**
   * Times {@code method} on one thread at an output of {@code width} x {@code height}: a 64-line LiDAR-like sample
   * of a code-built scene for densifying methods, its area-downscaled copy for super-resolution.
   */
  public static Row measure(DepthReconstructor method, int width, int height, int warmup, int runs) {
    int f = method.scaleFactor();
    DepthMap scene = BenchScenes.dense(width, height);
    DepthMap input;
    if (f == 1) {
      input = DepthMap.allocate(width, height);
      SamplingPatterns.parse("lidar:lines=64").sample(scene, input, 7L);
    } else {
      input = DepthMap.allocate(width / f, height / f);
      new Resampler(Interpolation.AREA).resize(scene, input);
    }
    DepthMap output = DepthMap.allocate(input.width() * f, input.height() * f);
    LatencyStats stats = LatencyStats.ofNanos(time(warmup, runs, () -> method.reconstruct(input, output)));
    return new Row(method.name(), method.modelVersion(), input.width() + "x" + input.height(),
        output.width() + "x" + output.height(), stats.p50Ms(), stats.p99Ms(), stats.meanMs(), stats.fps());
  }

  /** The rows as a markdown table, then the skipped methods. */
  public static String markdown(List<Row> rows, List<String> skipped) {
    StringBuilder sb = new StringBuilder("| method | version | input | output | p50 ms | p99 ms | fps |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.2f | %.1f |%n", r.method(),
          r.version().isEmpty() ? "-" : r.version(), r.input(), r.output(), r.p50Ms(), r.p99Ms(), r.fps()));
    }
    skipped.forEach(s -> sb.append("\nskipped: ").append(s));
    return sb.append(skipped.isEmpty() ? "" : "\n").toString();
  }

  private void writeJson(List<Row> rows, List<String> skipped) throws IOException {
    StringBuilder j = new StringBuilder(String.format(Locale.ROOT,
        "{\n  \"warmup\": %d,\n  \"runs\": %d,\n  \"threads\": %d,\n  \"results\": [\n", warmup, runs, threads));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      j.append(String.format(Locale.ROOT,
          "    {\"method\": \"%s\", \"version\": \"%s\", \"input\": \"%s\", \"output\": \"%s\", \"p50_ms\": %.3f,"
              + " \"p99_ms\": %.3f, \"mean_ms\": %.3f, \"fps\": %.2f}%s%n",
          r.method(), r.version(), r.input(), r.output(), r.p50Ms(), r.p99Ms(), r.meanMs(), r.fps(),
          i + 1 < rows.size() ? "," : ""));
    }
    j.append("  ],\n  \"skipped\": [");
    for (int i = 0; i < skipped.size(); i++) {
      j.append(i == 0 ? "" : ", ").append('"').append(skipped.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    j.append("]\n}\n");
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(json, j.toString());
  }
}
