package io.depthstream.inference;

import io.depthstream.depth.DepthMap;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times one model in a single JVM: {@code warmup} untimed calls, then {@code runs} timed calls of the runner's
 * public entry point (input copy, ONNX Runtime run, output copy), reporting median, p99, mean and minimum
 * milliseconds and the frames per second of the median. On a shared machine the minimum is the closest to the
 * uncontended time; the median is the figure to compare on a quiet one.
 *
 * <pre>
 * mvn -q -B -pl inference -am package -DskipTests
 * java -cp 'inference/target/*:inference/target/lib/*' io.depthstream.inference.InferenceBench \
 *     --model fast_interp_x4_smoke --size 640x480 --warmup 20 --runs 200
 * </pre>
 *
 * <p>{@code --size} is the output size; super-resolution models get an input of size / factor. Inputs are
 * synthetic (seeded): a sparse map with {@code --density} valid pixels for the fast path, a dense map for SR,
 * a random stack for focal-stack models ({@code --stack T}). Smoke models have junk weights, but the time depends
 * on the architecture and size only.
 */
public final class InferenceBench {
  private InferenceBench() {}

  public static void main(String[] args) throws Exception {
    String model = "fast_interp_x4_smoke";
    Path dir = Path.of("models");
    int width = 640;
    int height = 480;
    int warmup = 20;
    int runs = 200;
    int stack = 3;
    double density = 0.1;
    InferenceSettings settings = InferenceSettings.defaults();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println("InferenceBench --model NAME [--models-dir models] [--size 640x480] [--warmup 20]"
            + " [--runs 200] [--threads 2] [--provider cpu|cuda] [--density 0.1] [--stack 3]");
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
        default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
      }
    }
    if (runs < 1 || warmup < 0) {
      throw new IllegalArgumentException("--runs must be >= 1 and --warmup >= 0");
    }
    DepthMap.checkSize(width, height);
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
          runner.run(rgb, focus, stack, height, width, out);
        }
        for (int i = 0; i < runs; i++) {
          long t0 = System.nanoTime();
          runner.run(rgb, focus, stack, height, width, out);
          ns[i] = System.nanoTime() - t0;
        }
        what = runner.name() + " " + runner.modelVersion() + " focal stack T=" + stack + ", " + width + "x" + height;
        provider = runner.executionProvider();
      }
    } else {
      try (OnnxReconstructor runner = OnnxModels.create(dir, model, settings)) {
        int f = runner.factor();
        if (width % f != 0 || height % f != 0) {
          throw new IllegalArgumentException("--size " + width + "x" + height + " is not divisible by the SR factor " + f);
        }
        DepthMap in = DepthMap.allocate(width / f, height / f);
        float[] d = in.data();
        for (int i = 0; i < d.length; i++) {
          // Depth 1..20 m; the fast path sees only a `density` fraction of it, SR sees it all.
          boolean keep = runner.isSuperResolution() || rnd.nextDouble() < density;
          d[i] = keep ? (float) (1.0 + 19.0 * rnd.nextDouble()) : 0f;
        }
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
    Arrays.sort(ns);
    double median = ns[(runs - 1) / 2] / 1e6;
    double p99 = ns[Math.min(runs - 1, (int) Math.ceil(0.99 * runs) - 1)] / 1e6;
    double mean = Arrays.stream(ns).average().orElse(0) / 1e6;
    System.out.printf(Locale.ROOT,
        "%s | %s, intra-op %d | warm-up %d, runs %d | median %.2f ms, p99 %.2f ms, mean %.2f ms, min %.2f ms"
            + " | %.1f fps%n",
        what, provider, settings.intraOpThreads(), warmup, runs, median, p99, mean, ns[0] / 1e6, 1000.0 / median);
  }
}
