package io.depthstream.tools.bench;

import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.tooling.LatencyStats;
import io.depthstream.inference.FocalStackRunner;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.inference.ModelLoadException;
import io.depthstream.inference.OnnxModels;
import io.depthstream.inference.OnnxReconstructor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times one ONNX model in a single JVM: {@code warmup} untimed calls, then {@code runs} timed calls of the runner's
 * public entry point (input check and copy, ONNX Runtime run, output copy), reporting median, p99, mean and minimum
 * milliseconds and the frames per second of the mean (as every benchmark here: {@link LatencyStats}). On a shared
 * machine the minimum is the closest to the uncontended time; the median is the figure to compare on a quiet one.
 *
 * <pre>
 * ./depthstream bench-model --model fast_interp_x4 --size 640x480 --warmup 20 --runs 200
 * ./depthstream bench-model --models-dir test-models --model sr_x4_smoke --size 640x480   # 160x120 -> 640x480
 * ./depthstream bench-model --model fast_interp_x4 --callers 2 --threads 1 --spinning false --batch-max 2 --linger 5
 * </pre>
 *
 * <p>{@code --size} is the output size; super-resolution models get an input of size / factor. Inputs are
 * synthetic (seeded): a sparse map with {@code --density} valid pixels for the fast path, a dense map for SR, a
 * random stack for focal-stack models ({@code --stack T}). The smoke models in {@code test-models/} (test fixtures)
 * have junk weights, but the time depends on the architecture and size only.
 *
 * <p>Concurrent callers, like several sensors' stream threads on one node ({@code --callers N}, depth models): each
 * caller thread has its own runner from one {@link MethodCatalog}, so all run on the model's one shared session, with
 * inputs of their own; all start together and run back to back. Reported then are the total frames per second (all
 * callers' timed frames over the wall time from the common start to the last caller's end), the process CPU time
 * per frame, and how often the micro-batcher ({@code --batch-max N --linger MS}) stacked frames. Every
 * classical method and model at several sizes, one caller each, is {@link MethodBench} ({@code bench-methods}).
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true, sortOptions = false, description = "Median, p99, mean, min and fps of one ONNX model at one size; concurrent callers on one shared "
    + "session, spin-waiting and micro-batching.")
public final class InferenceBench implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "fast_interp_x4", description = "Model file stem in --models-dir, e.g. fast_interp_x4, sr_x4, focal_stack (default: "
      + "${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--models-dir", defaultValue = "models", description = "ONNX models (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(names = "--size", defaultValue = "640x480", description = "Output size WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--warmup", defaultValue = "20", description = "Untimed calls first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", defaultValue = "200", description = "Timed calls per caller (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: the node's).")
  Integer threads;

  @Option(names = "--provider", description = "Execution provider, cpu or cuda (default: the node's).")
  String provider;

  @Option(names = "--density", defaultValue = "0.1", description = "Fraction of valid input pixels for fast models (default: ${DEFAULT-VALUE}).")
  double density;

  @Option(names = "--stack", defaultValue = "3", description = "Images per focal stack (default: ${DEFAULT-VALUE}).")
  int stack;

  @Option(names = "--callers", defaultValue = "1", description = "Concurrent caller threads on one shared session, depth models (default: ${DEFAULT-VALUE}).")
  int callers;

  @Option(names = "--spinning", arity = "1", description = "ONNX Runtime thread-pool spin-waiting, true or false.")
  Boolean spinning;

  @Option(names = "--batch-max", description = "Micro-batching: most frames stacked into one run (1 = off).")
  Integer batchMax;

  @Option(names = "--linger", description = "Micro-batching: most milliseconds a frame waits for partners.")
  Long lingerMs;

  @Mixin
  CommandErrors.Verbose verbose;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired with the commands' error reporting. */
  static CommandLine commandLine() {
    return CommandErrors.commandLine(new InferenceBench(), ModelLoadException::userMessage);
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || warmup < 0 || callers < 1 || stack < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--runs, --callers and --stack must be >= 1 and --warmup >= 0");
    }
    int[] wh;
    try {
      wh = MethodBench.parseSize("--size", size);
      DepthMap.checkSize(wh[0], wh[1]);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.isDirectory(modelsDir)) {
      throw new NoSuchFileException(modelsDir.toString(), null, "--models-dir");
    }
    InferenceSettings settings = settings();
    MethodCatalog catalog = new MethodCatalog(modelsDir, settings);
    if (catalog.models(MethodCatalog.Role.FOCAL_STACK).contains(model)) {
      if (callers > 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--callers applies to depth models only");
      }
      focalStack(settings, wh[0], wh[1]);
    } else {
      depth(catalog, settings, wh[0], wh[1]);
    }
    return 0;
  }

  private InferenceSettings settings() {
    InferenceSettings s = InferenceSettings.defaults();
    if (threads != null) {
      s = s.withIntraOpThreads(threads);
    }
    if (provider != null) {
      s = s.withExecutionProvider(InferenceSettings.ExecutionProvider.parse("--provider", provider));
    }
    if (spinning != null) {
      s = s.withSpinning(spinning);
    }
    if (batchMax != null || lingerMs != null) {
      s = s.withBatching(batchMax != null ? batchMax : s.batchMax(), lingerMs != null ? lingerMs : s.batchLingerMs());
    }
    return s;
  }

  private void focalStack(InferenceSettings settings, int width, int height) {
    SplittableRandom rnd = new SplittableRandom(7);
    try (FocalStackRunner runner = OnnxModels.focalStack(modelsDir, model, settings)) {
      float[] rgb = new float[stack * 3 * width * height];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (float) rnd.nextDouble();
      }
      float[] focus = new float[stack];
      for (int i = 0; i < stack; i++) {
        focus[i] = 0.5f + i;
      }
      DepthMap out = DepthMap.allocate(width, height);
      long[] ns = MethodBench.time(warmup, runs, () -> runner.estimate(rgb, focus, stack, height, width, out));
      report(runner.name() + " " + runner.version() + " focal stack T=" + stack + ", " + width + "x" + height,
          runner.executionProvider(), settings, ns);
    }
  }

  /** {@code callers} threads, each its own runner on the model's one shared session, timed together. */
  private void depth(MethodCatalog catalog, InferenceSettings settings, int width, int height) throws Exception {
    List<OnnxReconstructor> runners = new ArrayList<>();
    try {
      for (int c = 0; c < callers; c++) {
        DepthReconstructor method = catalog.createDepth(model);
        if (!(method instanceof OnnxReconstructor runner)) {
          method.close();
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--model " + model + " is a classical method; bench-methods times those");
        }
        runners.add(runner);
      }
      long[] ns = new long[callers * runs];
      long[] end = new long[callers];
      Throwable[] failure = new Throwable[callers];
      CyclicBarrier go = new CyclicBarrier(callers + 1);
      Thread[] threads = new Thread[callers];
      for (int c = 0; c < callers; c++) {
        int caller = c;
        OnnxReconstructor runner = runners.get(c);
        DepthMap in = input(runner, width, height, new SplittableRandom(7 + c));
        DepthMap out = DepthMap.allocate(width, height);
        threads[c] = new Thread(() -> {
          try {
            MethodBench.time(warmup, 0, () -> runner.reconstruct(in, out));
            go.await();
            long[] mine = MethodBench.time(0, runs, () -> runner.reconstruct(in, out));
            end[caller] = System.nanoTime();
            System.arraycopy(mine, 0, ns, caller * runs, runs);
          } catch (Throwable t) {
            failure[caller] = t;
          }
        }, "caller-" + c);
        threads[c].start();
      }
      go.await();
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      for (Thread t : threads) {
        t.join();
      }
      for (Throwable t : failure) {
        if (t != null) {
          throw new IllegalStateException("a caller failed", t);
        }
      }
      long last = Arrays.stream(end).max().orElse(start);
      long cpu = processCpuNanos() - cpuStart;
      OnnxReconstructor r = runners.get(0);
      String what = r.name() + " " + r.modelVersion() + (r.isSuperResolution()
          ? " SR x" + r.factor() + ", " + width / r.factor() + "x" + height / r.factor() + " -> " + width + "x" + height
          : " fast, " + width + "x" + height + ", density " + density);
      if (callers > 1 || settings.batchMax() > 1) {
        what += ", " + callers + " callers, spinning " + settings.spinning() + ", batch.max " + settings.batchMax()
            + (settings.batchMax() > 1 ? ", linger " + settings.batchLingerMs() + " ms" : "");
      }
      report(what, r.executionProvider(), settings, ns);
      if (callers > 1 || settings.batchMax() > 1) {
        // CPU time of the whole process per frame: what the run costs the machine, whatever else is running on it
        // (spin-waiting shows here even when it does not show in the wall time). -1 where the JVM cannot tell.
        System.out.printf(Locale.ROOT, "total %.1f fps over %d callers (wall %.2f s), process CPU %.1f ms/frame%n",
            (double) callers * runs / ((last - start) / 1e9), callers, (last - start) / 1e9,
            cpu < 0 ? -1.0 : cpu / 1e6 / (callers * runs));
      }
      catalog.batching(model).ifPresent(b -> System.out.printf(Locale.ROOT,
          "stacked runs %d (warm-up included), largest batch %d%n", b.stackedRuns(), b.largestBatch()));
    } finally {
      runners.forEach(OnnxReconstructor::close);
    }
  }

  private void report(String what, String executionProvider, InferenceSettings settings, long[] ns) {
    LatencyStats s = LatencyStats.ofNanos(ns);
    System.out.printf(Locale.ROOT,
        "%s | %s, intra-op %d | warm-up %d, runs %d | median %.2f ms, p99 %.2f ms, mean %.2f ms, min %.2f ms"
            + " | %.1f fps%n",
        what, executionProvider, settings.intraOpThreads(), warmup, ns.length, s.p50Ms(), s.p99Ms(), s.meanMs(),
        Arrays.stream(ns).min().orElse(0) / 1e6, s.fps());
  }

  /** Synthetic input for a runner at output size {@code width x height}: depth 1..20 m, sparse for the fast path. */
  private DepthMap input(OnnxReconstructor runner, int width, int height, SplittableRandom rnd) {
    int f = runner.factor();
    if (width % f != 0 || height % f != 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--size " + width + "x" + height + " is not divisible by the SR factor " + f);
    }
    DepthMap in = DepthMap.allocate(width / f, height / f);
    float[] d = in.data();
    for (int i = 0; i < d.length; i++) {
      // The fast path sees only a `density` fraction of the pixels, SR sees them all.
      boolean keep = runner.isSuperResolution() || rnd.nextDouble() < density;
      d[i] = keep ? (float) (1.0 + 19.0 * rnd.nextDouble()) : 0f;
    }
    return in;
  }

  /** CPU time of this process (all threads, ORT's native ones included) in nanoseconds, or -1 if unknown. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }
}
