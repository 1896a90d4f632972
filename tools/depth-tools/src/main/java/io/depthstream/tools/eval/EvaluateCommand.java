package io.depthstream.tools.eval;

import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.DepthDataset;
import io.depthstream.depth.io.DepthEncoding;
import io.depthstream.depth.io.DepthPanel;
import io.depthstream.depth.io.DepthSample;
import io.depthstream.depth.metrics.DepthMetrics;
import io.depthstream.depth.metrics.MetricResult;
import io.depthstream.depth.resample.EdgeMode;
import io.depthstream.depth.sampling.SamplingPattern;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.inference.ModelLoadException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Evaluates one method on one dataset and prints a markdown table (per image and average), optionally writing
 * side-by-side colour-mapped panels (GT, input, output, error).
 *
 * <pre>
 * evaluate --dataset middlebury-setc --method bicubic --task sr --factor 8 --out target/eval
 * evaluate --dataset tum --method nearest-fill --task sparse --pattern uniform:p=0.05
 * evaluate --dir /data/kitti --format KITTI --max 80 --method push-pull --task sparse --pattern grid
 * </pre>
 *
 * <p>SR task: the low-resolution input is made from the ground truth by {@code --degradation} (default
 * {@code bicubic-aa}, MATLAB {@code imresize}), the method upscales it back to full size. Sparse task: the input
 * keeps the pixels chosen by the sampling pattern ({@code --pattern}, see {@link SamplingPatterns}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate a depth reconstruction method on a dataset (markdown table + colour-mapped panels).")
public final class EvaluateCommand implements Callable<Integer> {

  /** Task kinds. */
  public enum Task {
    sr,
    sparse
  }

  /** The values of {@code --dataset}, for its help. */
  static final class Datasets extends ArrayList<String> {
    Datasets() {
      super(DatasetReader.NAMES);
    }
  }

  /** The built-in values of {@code --method}, for its help. */
  static final class Methods extends ArrayList<String> {
    Methods() {
      super(MethodFactory.UPSAMPLING.names());
      addAll(MethodFactory.CLASSICAL.names());
    }
  }

  /** The sampling pattern names of {@code --pattern}, for its help. */
  static final class Patterns extends ArrayList<String> {
    Patterns() {
      super(SamplingPatterns.names());
    }
  }

  /** The values of {@code --degradation}, for its help. */
  static final class Degradations extends ArrayList<String> {
    Degradations() {
      super(Degradation.labels());
    }
  }

  @Option(names = "--dataset", completionCandidates = Datasets.class, description = "named set of shared/data: ${COMPLETION-CANDIDATES}")
  String dataset;

  @Option(names = "--dir", description = "a directory of depth images instead of --dataset")
  Path dir;

  @Option(names = "--glob", defaultValue = "*.png", description = "file pattern inside --dir (default ${DEFAULT-VALUE})")
  String glob;

  @Option(names = "--format", description = "encoding of --dir files: ${COMPLETION-CANDIDATES}")
  DepthEncoding format;

  @Option(names = "--pgm-little-endian", description = "16-bit PGM in --dir are little-endian (NYU raw)")
  boolean pgmLittleEndian;

  @Option(names = "--max", description = "MAX for PSNR/SSIM with --dir (255 for 8-bit disparity, metres for depth)")
  Float max;

  @Option(names = "--method", required = true, completionCandidates = Methods.class, description = "${COMPLETION-CANDIDATES}, or an ONNX model of --models-dir by file stem (e.g. fast_interp_x4, "
      + "sr_x8)")
  String method;

  @Option(names = "--task", required = true, description = "${COMPLETION-CANDIDATES}: super-resolution of a "
      + "downscaled map, or densification of sparse samples")
  Task task;

  @Option(names = "--factor", defaultValue = "8", description = "SR factor (default ${DEFAULT-VALUE})")
  int factor;

  @Option(names = "--degradation", defaultValue = "bicubic-aa", completionCandidates = Degradations.class, description = "how SR input is made: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  String degradation;

  @Option(names = "--pattern", defaultValue = "uniform", completionCandidates = Patterns.class, paramLabel = "SPEC", description = "sparse sampling spec NAME[:key=value,...], NAME one of ${COMPLETION-CANDIDATES}, e.g. "
      + "uniform:p=0.1, grid:step=8, lidar:lines=64 (default ${DEFAULT-VALUE})")
  String pattern;

  @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", description = "directory for side-by-side PNG panels")
  Path out;

  @Option(names = "--data-dir", description = "shared/data directory (default: located from depthstream.root)")
  Path dataDir;

  @Option(names = "--models-dir", description = "directory of ONNX models usable as --method by file stem "
      + "(default: models/ under depthstream.root)")
  Path modelsDir;

  @Mixin
  CommandErrors.Verbose verbose;

  private final List<MethodFactory> factories = new ArrayList<>(List.of(MethodFactory.UPSAMPLING,
      MethodFactory.CLASSICAL));
  private PrintStream stdout = System.out;

  /** Adds a factory that is asked before the built-in ones (for example ONNX models). */
  public EvaluateCommand withFactory(MethodFactory factory) {
    factories.add(0, factory);
    return this;
  }

  /** One image's metrics and timing. */
  public record ImageResult(String id, MetricResult metrics, double millis) {}

  /** Per-image results and their mean. */
  public record Report(String dataset, String method, String task, List<ImageResult> images, MetricResult mean,
      double meanMillis) {}

  @Override
  public Integer call() throws IOException {
    Path models = modelsDir != null ? modelsDir
        : Path.of(System.getProperty("depthstream.root", ".")).resolve("models");
    factories.add(0, MethodFactory.onnx(models));
    Report r = run();
    stdout.print(markdown(r));
    return 0;
  }

  /** Runs the evaluation and writes panels; returns the numbers. */
  public Report run() throws IOException {
    DepthDataset ds = loadDataset();
    DepthMetrics metrics = new DepthMetrics(ds.maxValue());
    List<ImageResult> rows = new ArrayList<>();
    if (out != null) {
      Files.createDirectories(out);
    }
    try (DepthReconstructor m = MethodFactory.resolve(method, factories)) {
      SamplingPattern sampler = task == Task.sparse ? SamplingPatterns.parse(pattern) : null;
      Degradation deg = Degradation.byLabel(degradation);
      for (DepthSample s : ds.samples()) {
        DepthMap gt = s.depth();
        DepthMap input;
        if (task == Task.sr) {
          input = deg.apply(gt, factor, EdgeMode.REPLICATE, true);
        } else {
          input = DepthMap.allocate(gt.width(), gt.height());
          sampler.sample(gt, input, seed);
        }
        DepthMap output = DepthMap.allocate(gt.width(), gt.height());
        for (int i = 0; i < 5; i++) {
          m.reconstruct(input, output); // warm-up: sizes buffers and lets the JIT compile the loops
        }
        int reps = 5;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
          m.reconstruct(input, output);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / reps;
        rows.add(new ImageResult(s.id(), metrics.evaluate(output, gt), ms));
        if (out != null) {
          new DepthPanel().add("GT", gt).add("input", input).add(m.name(), output).addError("|error|", output, gt)
              .write(out.resolve(s.id() + "_" + m.name() + "_" + task + ".png"));
        }
      }
    }
    double meanMs = rows.stream().mapToDouble(ImageResult::millis).average().orElse(0);
    String taskText = task == Task.sr ? "sr x" + factor + " (" + degradation + ")" : "sparse " + pattern;
    return new Report(ds.name(), method, taskText, rows,
        MetricResult.mean(rows.stream().map(ImageResult::metrics).toList()), meanMs);
  }

  private DepthDataset loadDataset() throws IOException {
    if (dir != null) {
      if (format == null || max == null) {
        throw new IllegalArgumentException("--dir needs --format and --max");
      }
      return DatasetReader.loadDirectory(dir, glob, format,
          pgmLittleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, max);
    }
    if (dataset == null) {
      throw new IllegalArgumentException("give --dataset <name> (" + DatasetReader.NAMES + ") or --dir");
    }
    DatasetReader reader = dataDir != null ? new DatasetReader(dataDir) : DatasetReader.shared();
    return reader.load(dataset);
  }

  /** The report as a markdown table. */
  public static String markdown(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "### %s on %s, %s%n%n", r.method(), r.dataset(), r.task()));
    b.append("| image | RMSE | MAE | rel | MAPE % | d<1.25 | d<1.25^2 | d<1.25^3 | SSIM | PSNR dB | ms/frame |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ImageResult i : r.images()) {
      row(b, i.id(), i.metrics(), i.millis());
    }
    row(b, "**average**", r.mean(), r.meanMillis());
    return b.toString();
  }

  private static void row(StringBuilder b, String id, MetricResult m, double ms) {
    b.append(
        String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.4f | %.2f | %.4f | %.4f | %.4f | %.4f | %.2f | %.2f |%n",
            id, m.rmse(), m.mae(), m.rel(), m.mape(), m.delta1(), m.delta2(), m.delta3(), m.ssim(), m.psnr(), ms));
  }

  void setOut(PrintStream stream) {
    this.stdout = stream;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new EvaluateCommand()).execute(args));
  }

  /** {@code command}'s command line: enum values in any case, the commands' error reporting. */
  static CommandLine commandLine(EvaluateCommand command) {
    return CommandErrors.install(new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true),
        ModelLoadException::userMessage);
  }
}
