package io.depthstream.inference;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.tooling.LatencyStats;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

/**
 * Times one model in a single JVM: {@code warmup} untimed calls, then {@code runs} timed calls of the runner's
 * public entry point (input copy, ONNX Runtime run, output copy), reporting median, p99, mean and minimum
 * milliseconds and the frames per second of the mean (as every benchmark here: {@link LatencyStats}). On a shared machine the minimum is the closest to the
 * uncontended time; the median is the figure to compare on a quiet one.
 *
 * <pre>
 * mvn -q -B -pl inference -am package -DskipTests
 * java -cp 'inference/target/*:inference/target/lib/*' io.depthstream.inference.InferenceBench \
 *     --model fast_interp_x4 --size 640x480 --warmup 20 --runs 200
 * java -cp 'inference/target/*:inference/target/lib/*' io.depthstream.inference.InferenceBench \
 *     --models-dir test-models --model fast_interp_x4_smoke --size 640x480 --warmup 20 --runs 200
 * </pre>
 *
 * <p>{@code --size} is the output size; super-resolution models get an input of size / factor. Inputs are
 * synthetic (seeded): a sparse map with {@code --density} valid pixels for the fast path, a dense map for SR,
 * a random stack for focal-stack models ({@code --stack T}). The smoke models in {@code test-models/} (test
 * fixtures) have junk weights, but the time depends on the architecture and size only.
 *
 * <p>Concurrent callers, like several sensors' stream threads on one node ({@code --callers 2}, fast and SR models):
 * each caller thread has its own runner on one shared session and its own input, all start together and run
 * back to back; reported are the total frames per second (all callers' timed frames over the wall time from the
 * common start to the last caller's end) and the per-call latency percentiles over every caller's calls.
 * {@code --spinning true|false} sets ORT's thread-pool spin-waiting, {@code --batch-max N --linger MS} the
 * micro-batching of the callers' frames:
 *
 * <pre>
 * java -cp 'inference/target/*:inference/target/lib/*' io.depthstream.inference.InferenceBench  *     --model fast_interp_x4 --size 640x480 --callers 2 --threads 1 --spinning false --batch-max 2 --linger 5
 * </pre>
 */
public final class InferenceBench {
  private InferenceBench() {}

  public static void main(String[] args) throws Exception {
    String model = "fast_interp_x4";
    Path dir = Path.of("models");
    int width = 640;
    int height = 480;
    int warmup = 20;
    int runs = 200;
    int stack = 3;
    double density = 0.1;
    int callers = 1;
    InferenceSettings settings = InferenceSettings.defaults();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println("InferenceBench --model NAME [--models-dir models] [--size 640x480] [--warmup 20]"
            + " [--runs 200] [--threads 2] [--provider cpu|cuda] [--density 0.1] [--stack 3] [--callers 1]"
            + " [--spinning true|false] [--batch-max 1] [--linger 2]");
        return;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--model" -> model = v;
        case "--models-dir" -> dir = Path.of(v);
        case "--size" -> {
          String[] wh = v.toLowerCase(Locale.ROOT).split("x");
          if (wh.length != 2) {
            throw new IllegalArgumentException("--size: expected WIDTHxHEIGHT, got " + v);
          }
          width = Integer.parseInt(wh[0]);
          height = Integer.parseInt(wh[1]);
        }
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--runs" -> runs = Integer.parseInt(v);
        case "--threads" -> settings = settings.withIntraOpThreads(Integer.parseInt(v));
        case "--provider" -> settings = settings.withExecutionProvider(
            InferenceSettings.ExecutionProvider.parse("--provider", v));
        case "--density" -> density = Double.parseDouble(v);
        case "--stack" -> stack = Integer.parseInt(v);
        case "--callers" -> callers = Integer.parseInt(v);
        case "--spinning" -> settings = settings.withSpinning(parseBoolean("--spinning", v));
        case "--batch-max" -> settings = settings.withBatching(Integer.parseInt(v), settings.batchLingerMs());
        case "--linger" -> settings = settings.withBatching(settings.batchMax(), Long.parseLong(v));
        default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
      }
    }
    if (runs < 1 || warmup < 0) {
      throw new IllegalArgumentException("--runs must be >= 1 and --warmup >= 0");
    }
    DepthMap.checkSize(width, height);
    if (callers < 1) {
      throw new IllegalArgumentException("--callers must be >= 1");
    }
    if (callers > 1 || settings.batchMax() > 1) {
      concurrent(dir, model, settings, width, height, density, callers, warmup, runs);
      return;
    }
    SplittableRandom rnd = new SplittableRandom(7);
    long[] ns = new long[runs];
    String what;
    String provider;
    if (model.startsWith("focal")) {
      try (FocalStackRunner runner = OnnxModels.focalStack(dir, model, settings)) {
        float[] rgb = new float[stack * 3 * width * height];
        for (int i = 0; i < rgb.length; i++) {
          rgb[i] = (float) rnd.nextDouble();
        }
        float[] focus = new float[stack];
        for (int i = 0; i < stack; i++) {
          focus[i] = 0.5f + i;
        }
        DepthMap out = DepthMap.allocate(width, height);
        for (int i = 0; i < warmup; i++) {
          runner.estimate(rgb, focus, stack, height, width, out);
        }
        for (int i = 0; i < runs; i++) {
          long t0 = System.nanoTime();
          runner.estimate(rgb, focus, stack, height, width, out);
          ns[i] = System.nanoTime() - t0;
        }
        what = runner.name() + " " + runner.version() + " focal stack T=" + stack + ", " + width + "x" + height;
        provider = runner.executionProvider();
      }
    } else {
      try (OnnxReconstructor runner = OnnxModels.create(dir, model, settings)) {
        int f = runner.factor();
        DepthMap in = input(runner, width, height, density, rnd);
        DepthMap out = DepthMap.allocate(width, height);
        for (int i = 0; i < warmup; i++) {
          runner.reconstruct(in, out);
        }
        for (int i = 0; i < runs; i++) {
          long t0 = System.nanoTime();
          runner.reconstruct(in, out);
          ns[i] = System.nanoTime() - t0;
        }
        what = runner.name() + " " + runner.modelVersion() + (runner.isSuperResolution()
            ? " SR x" + f + ", " + in.width() + "x" + in.height() + " -> " + width + "x" + height
            : " fast, " + width + "x" + height + ", density " + density);
        provider = runner.executionProvider();
      }
    }
    report(what, provider, settings, warmup, runs, ns);
  }

  private static void report(
      String what, String provider, InferenceSettings settings, int warmup, int runs, long[] ns) {
    LatencyStats s = LatencyStats.ofNanos(ns);
    System.out.printf(Locale.ROOT,
        "%s | %s, intra-op %d | warm-up %d, runs %d | median %.2f ms, p99 %.2f ms, mean %.2f ms, min %.2f ms"
            + " | %.1f fps%n",
        what, provider, settings.intraOpThreads(), warmup, runs, s.p50Ms(), s.p99Ms(), s.meanMs(),
        Arrays.stream(ns).min().orElse(0) / 1e6, s.fps());
  }

  /** Synthetic input for a runner at output size {@code width x height}: depth 1..20 m, sparse for the fast path. */
  private static DepthMap input(OnnxReconstructor runner, int width, int height, double density,
      SplittableRandom rnd) {
    int f = runner.factor();
    if (width % f != 0 || height % f != 0) {
      throw new IllegalArgumentException("--size " + width + "x" + height + " is not divisible by the SR factor " + f);
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

  /** {@code callers} threads, each its own runner on one shared session, timed together. */
  private static void concurrent(Path dir, String model, InferenceSettings settings, int width, int height,
      double density, int callers, int warmup, int runs) throws Exception {
    long[] ns = new long[callers * runs];
    long[] end = new long[callers];
    OnnxReconstructor[] runners = new OnnxReconstructor[callers];
    ModelSession first = ModelLoader.open(
        OnnxModels.resolve(dir, model), settings, ModelSignature.FAST, ModelSignature.SUPER_RESOLUTION);
    try {
      for (int c = 0; c < callers; c++) {
        runners[c] = new OnnxReconstructor(c == 0 ? first : first.share());
      }
      CyclicBarrier warm = new CyclicBarrier(callers);
      CyclicBarrier go = new CyclicBarrier(callers + 1);
      Thread[] threads = new Thread[callers];
      Throwable[] failure = new Throwable[callers];
      for (int c = 0; c < callers; c++) {
        int caller = c;
        OnnxReconstructor runner = runners[c];
        DepthMap in = input(runner, width, height, density, new SplittableRandom(7 + c));
        DepthMap out = DepthMap.allocate(width, height);
        threads[c] = new Thread(() -> {
          try {
            for (int i = 0; i < warmup; i++) {
              runner.reconstruct(in, out);
            }
            warm.await();
            go.await();
            for (int i = 0; i < runs; i++) {
              long t0 = System.nanoTime();
              runner.reconstruct(in, out);
              ns[caller * runs + i] = System.nanoTime() - t0;
            }
            end[caller] = System.nanoTime();
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
      MicroBatcher batcher = first.shared().batcher();
      double fps = (double) callers * runs / ((last - start) / 1e9);
      OnnxReconstructor r = runners[0];
      String what = r.name() + " " + r.modelVersion() + (r.isSuperResolution() ? " SR x" + r.factor() : " fast")
          + ", " + width + "x" + height + ", " + callers + " callers, spinning " + settings.spinning()
          + ", batch.max " + settings.batchMax() + (settings.batchMax() > 1 ? ", linger " + settings.batchLingerMs()
          + " ms" : "");
      report(what, r.executionProvider(), settings, warmup, callers * runs, ns);
      // CPU time of the whole process per frame: what the run costs the machine, whatever else is running on it
      // (spin-waiting shows here even when it does not show in the wall time). -1 where the JVM cannot tell.
      System.out.printf(Locale.ROOT, "total %.1f fps over %d callers (wall %.2f s), process CPU %.1f ms/frame%n",
          fps, callers, (last - start) / 1e9, cpu < 0 ? -1.0 : cpu / 1e6 / (callers * runs));
      if (batcher != null) {
        System.out.printf(Locale.ROOT, "stacked runs %d (warm-up included), largest batch %d%n",
            batcher.stackedRuns(), batcher.largestBatch());
      }
    } finally {
      for (OnnxReconstructor r : runners) {
        if (r != null) {
          r.close();
        }
      }
      first.close();
    }
  }

  /** CPU time of this process (all threads, ORT's native ones included) in nanoseconds, or -1 if unknown. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  private static boolean parseBoolean(String option, String v) {
    if (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("on")) {
      return true;
    }
    if (v.equalsIgnoreCase("false") || v.equals("0") || v.equalsIgnoreCase("off")) {
      return false;
    }
    throw new IllegalArgumentException(option + ": expected true or false, got " + v);
  }
}
