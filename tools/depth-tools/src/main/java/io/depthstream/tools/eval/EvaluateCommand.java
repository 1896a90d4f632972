package io.depthstream.tools.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.DepthDataset;
import io.depthstream.depth.io.DepthEncoding;
import io.depthstream.depth.io.DepthPanel;
import io.depthstream.depth.metrics.DepthMetrics;
import io.depthstream.depth.metrics.MetricResult;
import io.depthstream.depth.resample.EdgeMode;
import io.depthstream.depth.resample.Interpolation;
import io.depthstream.depth.resample.Resampler;
import io.depthstream.depth.sampling.SamplingPattern;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.depth.scene.FocalStackSynthesis;
import io.depthstream.inference.DensityFallback;
import io.depthstream.inference.ResidualCorrection;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Evaluates depth methods on the same inputs and prints markdown tables (per image and average), optionally JSON
 * and side-by-side colour-mapped panels (GT, input, output, error).
 *
 * <pre>
 * eval --dataset middlebury-setc --all-methods --task sr --factor 8
 * eval --dataset tum --method inpaint,linear,fast_interp_x4 --pattern uniform:p=0.05
 * eval --dataset tum --all-methods --densities 30,100,300,1000,1%,5%,10%
 * eval --input scan.npy --holdout 0.2 --seed 1 --all-methods
 * eval --input sparse/ --truth dense/ --input-scale kitti256 --truth-scale kitti256 --method inpaint
 * eval --task focal --stack 3,5 --all-methods
 * </pre>
 *
 * <p>Where the samples come from: a named dataset ({@code --dataset}), a directory of ground truths ({@code --dir}
 * or {@code --truth} alone), the user's input files with their ground truths ({@code --input} + {@code --truth}), or
 * the user's sparse input with a held-out share of its points as the truth ({@code --input} + {@code --holdout}).
 * Inputs not given are made from the ground truth: the SR task degrades it ({@code --degradation}); the sparse task
 * samples it ({@code --pattern}, or each of {@code --densities}). Every method sees the same inputs.
 *
 * <p>SR on any size: the low-resolution input is {@code ceil(w / f) x ceil(h / f)} and covers the ground truth's
 * extent (MATLAB {@code imresize}); every method, bicubic included, upscales it by exactly {@code f}, and where
 * {@code f} does not divide the size, that output is resampled onto the ground truth's grid with bicubic (as the
 * trainer's {@code real_data middlebury} does for the model cards).
 *
 * <p>Focal stacks ({@code --task focal}, {@link FocalEvaluation}): stacks of {@code --stack} images synthesised
 * from the registered RGB-D pairs of TUM and SUN RGB-D with the focal net's training blur model, focus distances
 * evenly spaced inside each frame's depth range; the focal-stack methods (mean focus distance, classical depth from
 * focus, the focal models) all see the same stacks.
 *
 * <p>Scoring ({@link Coverage}): metrics over the valid ground-truth pixels a method filled, plus the share it left
 * unfilled.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate depth reconstruction methods on a dataset or on your own files, with the same samples "
    + "for every method (markdown tables, optional JSON and colour-mapped panels).", footer = {"",
        "Conventions: depth in metres (Middlebury: 8-bit scaled disparity as stored); 0 = no measurement "
            + "in integer files, 0/NaN/Inf in float files.",
        "Own files (--input, --truth): " + DepthFiles.FORMATS + ", recognised by their content; values times the "
            + "scale: " + ValueScale.NAMES + "; default mm for integer files, m for float files.",
        "Tables: RMSE, MAE, rel, SSIM, PSNR over the valid ground-truth pixels a method filled; 'unfilled %%' = "
            + "share of valid ground-truth pixels it left 0/NaN. SSIM needs a dense ground truth.",
        "SR: low-res input ceil(w/f) x ceil(h/f); each method upscales by f, then bicubic onto the ground truth's "
            + "grid where f does not divide the size (tools/depth-tools/EVALUATION.md).",
        "Focal: stacks synthesised from the registered RGB-D pairs of tum and sun-rgbd (default both; nyu-raw "
            + "is not registered) with the focal net's training blur (256 depth layers, Gaussian sigma 2 px per "
            + "metre from the focal plane, at most 8 px), T focus distances evenly spaced inside each frame's depth "
            + "range; methods: mean-focus, depth-from-focus and the focal-stack models of --models-dir. "
            + "Evaluation frames only: never train on them."})
public final class EvaluateCommand implements Callable<Integer> {

  /** Task kinds. */
  public enum Task {
    sr,
    sparse,
    focal
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

  /** {@code --method} or {@code --all-methods}, exactly one. */
  static final class MethodChoice {
    @Option(names = "--method", split = ",", paramLabel = "NAME[,NAME...]", completionCandidates = Methods.class, description = "one or more of ${COMPLETION-CANDIDATES}, or an ONNX model of --models-dir by file stem "
        + "(e.g. fast_interp_x4, sr_x8)")
    List<String> names;

    @Option(names = "--all-methods", description = "every method that fits the task: the classical ones and the "
        + "fast-path models for sparse; the upsampling ones and the SR models of --factor for sr; mean-focus, "
        + "depth-from-focus and the focal-stack models for focal")
    boolean all;
  }

  @Option(names = "--dataset", completionCandidates = Datasets.class, description = "named set of shared/data: ${COMPLETION-CANDIDATES}")
  String dataset;

  @Option(names = "--dir", description = "a directory of ground-truth depth images instead of --dataset")
  Path dir;

  @Option(names = "--glob", defaultValue = "*.png", description = "file pattern inside --dir (default ${DEFAULT-VALUE})")
  String glob;

  @Option(names = "--format", description = "encoding of --dir files: ${COMPLETION-CANDIDATES}")
  DepthEncoding format;

  @Option(names = "--pgm-little-endian", description = "16-bit PGM in --dir are little-endian (NYU raw)")
  boolean pgmLittleEndian;

  @Option(names = "--input", paramLabel = "FILE|DIR", description = "your own input depth file(s): sparse for the "
      + "sparse task, low-resolution (ceil(w/f) x ceil(h/f)) for sr; needs --truth or --holdout")
  Path input;

  @Option(names = "--truth", paramLabel = "FILE|DIR", description = "your own ground-truth file(s), paired with "
      + "--input by file name without extension; alone, the inputs are made from it (--pattern, --degradation)")
  Path truth;

  @Option(names = "--input-scale", converter = ValueScale.Converter.class, paramLabel = "SCALE", description = "metres per stored unit of --input: "
      + ValueScale.NAMES)
  ValueScale inputScale;

  @Option(names = "--truth-scale", converter = ValueScale.Converter.class, paramLabel = "SCALE", description = "metres per stored unit of --truth (default: --input-scale, else the format's default)")
  ValueScale truthScale;

  @Option(names = "--holdout", paramLabel = "FRACTION", description = "hold out this share of --input's valid "
      + "points as the ground truth (e.g. 0.2), the rest is the input; drawn with --seed")
  Double holdout;

  @Option(names = "--densities", paramLabel = "LIST", description = "sweep uniform samples of exactly these many "
      + "valid ground-truth points (30) or percent of the pixels (5%%), e.g. 30,100,300,1000,1%%,5%%,10%%")
  String densities;

  @Option(names = "--max", description = "MAX for PSNR/SSIM with --dir or own files (255 for 8-bit disparity, "
      + "metres for depth; own files default to the largest ground-truth value)")
  Float max;

  @ArgGroup(exclusive = true, multiplicity = "1")
  MethodChoice methods;

  @Option(names = "--task", defaultValue = "sparse", description = "${COMPLETION-CANDIDATES}: super-resolution of "
      + "a downscaled map, densification of sparse samples, or depth from a focal stack synthesised from an RGB-D "
      + "pair (default ${DEFAULT-VALUE})")
  Task task;

  @Option(names = "--stack", split = ",", defaultValue = "3,5", paramLabel = "T", description = "focal task: "
      + "the stack lengths, images per stack (default ${DEFAULT-VALUE})")
  List<Integer> stacks;

  @Option(names = "--factor", defaultValue = "8", description = "SR factor (default ${DEFAULT-VALUE})")
  int factor;

  @Option(names = "--degradation", defaultValue = "bicubic-aa", completionCandidates = Degradations.class, description = "how SR input is made: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  String degradation;

  @Option(names = "--pattern", defaultValue = "uniform", completionCandidates = Patterns.class, paramLabel = "SPEC", description = "sparse sampling spec NAME[:key=value,...], NAME one of ${COMPLETION-CANDIDATES}, e.g. "
      + "uniform:p=0.1, grid:step=8, lidar:lines=64 (default ${DEFAULT-VALUE})")
  String pattern;

  @Option(names = "--seed", defaultValue = "1", description = "sampling and holdout seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--seeds", paramLabel = "LIST", description = "several draws instead of --seed: seeds as 1-5 or "
      + "1,4,9; each ground truth is sampled (or split by --holdout) once per seed, every method gets the same "
      + "draws, and the tables give the mean over all draws (--per-image: each draw, as <id> seed <n>)")
  String seeds;

  @Option(names = "--per-image", description = "with several methods or densities, also print each one's "
      + "per-image table (one method and input: always)")
  boolean perImage;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
  Path json;

  @Option(names = "--out", description = "directory for side-by-side PNG panels")
  Path out;

  @Option(names = "--data-dir", description = "shared/data directory (default: located from depthstream.root)")
  Path dataDir;

  @Option(names = "--models-dir", description = "directory of ONNX models usable as --method by file stem "
      + "(default: models/ under depthstream.root)")
  Path modelsDir;

  @Option(names = "--fast-fallback-density", paramLabel = "FRACTION", description = "fast models hand inputs with "
      + "fewer measured pixels than this share of the pixels to linear interpolation blended with nearest-fill, as "
      + "the node does "
      + "(depthstream.fast.fallback.density; default ${DEFAULT-VALUE}); 0 = the network on every input")
  double fastFallbackDensity = DensityFallback.DEFAULT_MIN_DENSITY;

  @Option(names = "--fast-residual", paramLabel = "SPEC", description = "the fast models' residual correction of "
      + "the network's output, as the node does (depthstream.fast.residual): on (the default settings), off (the "
      + "network's output as it is), or scale=S[,edge=E] (ResidualCorrection.Settings); default off, as the node's")
  String fastResidual = "off";

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

  /**
   * One image's metrics (over the pixels the method filled), unfilled share and timing.
   *
   * @param unfilled share of the valid ground-truth pixels the method left 0/NaN, in [0, 1]
   * @param millis mean reconstruction time per frame, milliseconds
   */
  public record ImageResult(String id, MetricResult metrics, double unfilled, double millis) {}

  /** One method on one kind of input: per-image results and their mean. */
  public record Report(String dataset, String method, String task, List<ImageResult> images, MetricResult mean,
      double meanUnfilled, double meanMillis) {}

  /**
   * A ground truth, and the input to score on it when the user gave one (null: made from the truth with
   * {@code seed}).
   */
  record Case(String id, DepthMap truth, DepthMap input, long seed) {}

  /** One kind of input (a pattern, a degradation or a density) and the inputs it gives, one per case. */
  record Condition(String label, String fileTag, List<DepthMap> inputs) {}

  @Override
  public Integer call() throws IOException {
    if (!(fastFallbackDensity >= 0 && fastFallbackDensity <= 1)) {
      throw new IllegalArgumentException("--fast-fallback-density must be in [0, 1] (0 = no fallback), got "
          + fastFallbackDensity);
    }
    ResidualCorrection.Settings residual;
    try {
      residual = ResidualCorrection.Settings.parse(fastResidual);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--fast-residual: " + e.getMessage(), e);
    }
    factories.add(0, MethodFactory.onnx(modelsDirectory(), fastFallbackDensity, residual));
    List<Report> reports = runAll();
    stdout.print(markdown(reports, perImage));
    if (json != null) {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), reports);
    }
    return 0;
  }

  /** Runs the evaluation of the first method and writes panels; returns its numbers. */
  public Report run() throws IOException {
    return runAll().get(0);
  }

  /** Runs every method on every input condition (the same inputs for each) and writes panels. */
  public List<Report> runAll() throws IOException {
    if (seeds != null && (task != Task.sparse || (input != null && holdout == null))) {
      throw new IllegalArgumentException("--seeds draws sparse samples or --holdout splits; it does not apply to "
          + (task != Task.sparse ? "--task " + task : "an own input scored against --truth"));
    }
    if (task == Task.focal) {
      return runFocal();
    }
    if (holdout != null && task != Task.sparse) {
      throw new IllegalArgumentException("--holdout scores sparse input; it does not apply to --task sr");
    }
    if (densities != null && task != Task.sparse) {
      throw new IllegalArgumentException("--densities sweeps sparse samples; it does not apply to --task sr");
    }
    String source = dataset != null ? dataset : dir != null ? dir.toString()
        : (input != null ? input : truth).toString();
    List<Case> cases = loadCases();
    DepthMetrics metrics = new DepthMetrics(maxValue(cases));
    List<Condition> conditions = conditions(cases);
    if (out != null) {
      Files.createDirectories(out);
    }
    List<Report> reports = new ArrayList<>();
    for (String name : methodNames()) {
      try (DepthReconstructor m = MethodFactory.resolve(name, factories)) {
        // A method either upscales by its own fixed factor (SR models) or fills the output's size whatever it is
        // (scaleFactor 1: the resampling baselines for sr, the classical methods for sparse).
        int want = task == Task.sr ? factor : 1;
        if (m.scaleFactor() != want && m.scaleFactor() != 1) {
          throw new IllegalArgumentException("method " + name + " upscales x" + m.scaleFactor() + " but "
              + (task == Task.sr ? "--factor is " + factor : "the sparse task needs a same-size method"));
        }
        for (Condition c : conditions) {
          reports.add(evaluate(m, source, c, cases, metrics));
        }
      }
    }
    return reports;
  }

  /** The models directory: {@code --models-dir}, else models/ under {@code depthstream.root}. */
  private Path modelsDirectory() {
    return modelsDir != null ? modelsDir : Path.of(System.getProperty("depthstream.root", ".")).resolve("models");
  }

  /** The focal task: stacks synthesised from the RGB-D pairs of --dataset (default: every one that fits). */
  private List<Report> runFocal() throws IOException {
    if (input != null || truth != null || dir != null || holdout != null || densities != null) {
      throw new IllegalArgumentException("--task focal synthesises its stacks from the RGB-D pairs of --dataset; "
          + "--input, --truth, --dir, --holdout and --densities do not apply");
    }
    DatasetReader reader = dataDir != null ? new DatasetReader(dataDir) : DatasetReader.shared();
    List<String> names = dataset != null ? List.of(dataset) : FocalEvaluation.DATASETS;
    List<FocalEvaluation.FocalCase> cases = FocalEvaluation.load(reader, names);
    MethodCatalog catalog = new MethodCatalog(modelsDirectory(), InferenceSettings.defaults());
    List<String> methodNames = methods.all ? FocalEvaluation.allMethods(catalog) : methods.names;
    return new FocalEvaluation(FocalStackSynthesis.TRAINING, FocalEvaluation.opener(catalog)).run(
        String.join(" + ", names), cases, methodNames, stacks, new DepthMetrics(max != null ? max : FOCAL_PEAK_METRES),
        out);
  }

  /** PSNR peak and SSIM range of the focal task: the 10 m of TUM and SUN RGB-D (and of the trainer's tables). */
  static final double FOCAL_PEAK_METRES = 10.0;

  private Report evaluate(DepthReconstructor m, String source, Condition c, List<Case> cases, DepthMetrics metrics)
      throws IOException {
    List<ImageResult> rows = new ArrayList<>();
    for (int k = 0; k < cases.size(); k++) {
      Case cs = cases.get(k);
      DepthMap in = c.inputs().get(k);
      DepthMap gt = cs.truth();
      int f = task == Task.sr ? factor : 1;
      DepthMap raw = DepthMap.allocate(in.width() * f, in.height() * f);
      for (int i = 0; i < 5; i++) {
        m.reconstruct(in, raw); // warm-up: sizes buffers and lets the JIT compile the loops
      }
      int reps = 5;
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        m.reconstruct(in, raw);
      }
      double ms = (System.nanoTime() - t0) / 1e6 / reps;
      DepthMap output = onTruthGrid(raw, gt);
      Coverage.Score score = Coverage.score(metrics, output, gt);
      rows.add(new ImageResult(cs.id(), score.metrics(), score.unfilled(), ms));
      if (out != null) {
        new DepthPanel().add("GT", gt).add("input", in).add(m.name(), output).addError("|error|", output, gt)
            .write(out.resolve(cs.id() + "_" + m.name() + "_" + c.fileTag() + ".png"));
      }
    }
    double meanMs = rows.stream().mapToDouble(ImageResult::millis).average().orElse(0);
    double meanUnfilled = rows.stream().mapToDouble(ImageResult::unfilled).average().orElse(0);
    return new Report(source, m.name(), c.label(), rows,
        MetricResult.mean(rows.stream().map(ImageResult::metrics).toList()), meanUnfilled, meanMs);
  }

  /**
   * The method's output on the ground truth's grid: itself when the sizes agree, else resampled with bicubic (an SR
   * output of {@code f x ceil(w / f)} covers the same extent as the {@code w}-pixel ground truth).
   */
  static DepthMap onTruthGrid(DepthMap output, DepthMap truth) {
    if (output.width() == truth.width() && output.height() == truth.height()) {
      return output;
    }
    return new Resampler(Interpolation.BICUBIC).resize(output, truth.width(), truth.height());
  }

  private List<String> methodNames() {
    if (!methods.all) {
      return methods.names;
    }
    List<String> names = new ArrayList<>(task == Task.sr ? MethodFactory.UPSAMPLING.names()
        : MethodFactory.CLASSICAL.names());
    int want = task == Task.sr ? factor : 1;
    for (MethodFactory f : factories) {
      if (f != MethodFactory.UPSAMPLING && f != MethodFactory.CLASSICAL) {
        for (String name : f.names()) {
          try (DepthReconstructor m = MethodFactory.resolve(name, List.of(f))) {
            if (m.scaleFactor() == want) {
              names.add(name);
            }
          }
        }
      }
    }
    return names;
  }

  private List<Condition> conditions(List<Case> cases) {
    List<Condition> list = new ArrayList<>();
    if (densities != null) {
      for (Density d : Density.parseList(densities)) {
        list.add(new Condition("uniform " + d + drawsSuffix(), "d" + d.label().replace("%", "pct"),
            cases.stream().map(cs -> d.sample(cs.truth(), cs.seed())).toList()));
      }
      return list;
    }
    if (cases.get(0).input() != null) {
      String label = holdout != null ? "own input, " + Math.round(holdout * 100) + " % of its points held out "
          + "(" + seedLabel() + ")" : "own input" + (task == Task.sr ? " (sr x" + factor + ")" : "");
      list.add(new Condition(label, task.name(), cases.stream().map(Case::input).toList()));
      return list;
    }
    if (task == Task.sr) {
      Degradation deg = Degradation.byLabel(degradation);
      list.add(new Condition("sr x" + factor + " (" + degradation + ")", "sr",
          cases.stream().map(cs -> deg.apply(cs.truth(), factor, EdgeMode.REPLICATE, true)).toList()));
    } else {
      SamplingPattern sampler = SamplingPatterns.parse(pattern);
      list.add(new Condition("sparse " + pattern + drawsSuffix(), "sparse", cases.stream().map(cs -> {
        DepthMap in = DepthMap.allocate(cs.truth().width(), cs.truth().height());
        sampler.sample(cs.truth(), in, cs.seed());
        return in;
      }).toList()));
    }
    return list;
  }

  private List<Case> loadCases() throws IOException {
    List<Long> draws = seedList();
    if (input != null) {
      if (holdout != null) {
        if (truth != null) {
          throw new IllegalArgumentException("give --truth or --holdout, not both");
        }
        List<Case> cases = new ArrayList<>();
        for (Path f : DepthFiles.list(input)) {
          DepthMap scan = DepthFiles.read(f, inputScale);
          for (long s : draws) {
            Holdout.Split split = Holdout.split(scan, holdout, s);
            cases.add(new Case(caseId(DepthFiles.stem(f), s), split.truth(), split.input(), s));
          }
        }
        return cases;
      }
      if (truth == null) {
        throw new IllegalArgumentException("--input needs --truth FILE|DIR or --holdout FRACTION");
      }
      List<Case> cases = new ArrayList<>();
      for (DepthFiles.FilePair p : DepthFiles.pair(input, truth)) {
        DepthMap in = DepthFiles.read(p.input(), inputScale);
        DepthMap gt = DepthFiles.read(p.truth(), truthScale != null ? truthScale : inputScale);
        int f = task == Task.sr ? factor : 1;
        int wantW = (gt.width() + f - 1) / f;
        int wantH = (gt.height() + f - 1) / f;
        if (in.width() != wantW || in.height() != wantH) {
          throw new IllegalArgumentException("input " + p.input() + " is " + in.width() + "x" + in.height()
              + " but its ground truth " + p.truth() + " (" + gt.width() + "x" + gt.height() + ") needs "
              + wantW + "x" + wantH + (f > 1 ? " (ceil of the size / " + f + ")" : ""));
        }
        cases.add(new Case(DepthFiles.stem(p.input()), gt, in, seed));
      }
      return cases;
    }
    if (holdout != null) {
      throw new IllegalArgumentException("--holdout needs --input FILE|DIR (the sparse points to split)");
    }
    if (truth != null) {
      List<Case> cases = new ArrayList<>();
      for (Path f : DepthFiles.list(truth)) {
        DepthMap gt = DepthFiles.read(f, truthScale != null ? truthScale : inputScale);
        for (long s : draws) {
          cases.add(new Case(caseId(DepthFiles.stem(f), s), gt, null, s));
        }
      }
      return cases;
    }
    DepthDataset ds = loadDataset();
    if (max == null) {
      max = ds.maxValue();
    }
    List<Case> cases = new ArrayList<>();
    for (var sample : ds.samples()) {
      for (long s : draws) {
        cases.add(new Case(caseId(sample.id(), s), sample.depth(), null, s));
      }
    }
    return cases;
  }

  /** The draws: {@code --seeds}, else {@code --seed} alone. */
  List<Long> seedList() {
    if (seeds == null) {
      return List.of(seed);
    }
    List<Long> list = new ArrayList<>();
    for (String part : seeds.split(",")) {
      String p = part.strip();
      try {
        int dash = p.indexOf('-', 1);
        if (dash < 0) {
          list.add(Long.parseLong(p));
        } else {
          long from = Long.parseLong(p.substring(0, dash).strip());
          long to = Long.parseLong(p.substring(dash + 1).strip());
          if (to < from || to - from >= MAX_SEEDS) {
            throw new IllegalArgumentException("--seeds: the range " + p + " must run upwards over at most "
                + MAX_SEEDS + " seeds");
          }
          for (long v = from; v <= to; v++) {
            list.add(v);
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seeds: '" + p + "' is not a seed or a range such as 1-5", e);
      }
    }
    if (list.size() > MAX_SEEDS || list.stream().distinct().count() != list.size()) {
      throw new IllegalArgumentException("--seeds " + seeds + ": at most " + MAX_SEEDS + " seeds, none repeated");
    }
    return list;
  }

  private static final int MAX_SEEDS = 100;

  private String caseId(String id, long s) {
    return seeds == null ? id : id + " seed " + s;
  }

  private String drawsSuffix() {
    return seeds == null ? "" : " (mean of seeds " + seeds + ")";
  }

  private String seedLabel() {
    return seeds == null ? "seed " + seed : "mean of seeds " + seeds;
  }

  private double maxValue(List<Case> cases) {
    if (max != null) {
      return max;
    }
    float m = 0f;
    for (Case c : cases) {
      for (float v : c.truth().data()) {
        m = Math.max(m, v);
      }
    }
    if (!(m > 0f)) {
      throw new IllegalArgumentException("the ground truth has no valid pixel (all 0)");
    }
    return m;
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
      throw new IllegalArgumentException("give --dataset <name> (" + DatasetReader.NAMES + "), --dir, --truth or "
          + "--input");
    }
    DatasetReader reader = dataDir != null ? new DatasetReader(dataDir) : DatasetReader.shared();
    return reader.load(dataset);
  }

  /** The scoring rule, stated above every table. */
  static final String SCORING_NOTE = "Metrics over the valid ground-truth pixels each method filled; unfilled % = "
      + "share of valid ground-truth pixels it left empty (0/NaN).";

  /** One report as a markdown table. */
  public static String markdown(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "### %s on %s, %s%n%n%s%n%n", r.method(), r.dataset(), r.task(),
        SCORING_NOTE));
    b.append("| image | RMSE | MAE | rel | MAPE % | d<1.25 | d<1.25^2 | d<1.25^3 | SSIM | PSNR dB | unfilled % "
        + "| ms/frame |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ImageResult i : r.images()) {
      row(b, i.id(), i.metrics(), i.unfilled(), i.millis());
    }
    row(b, "**average**", r.mean(), r.meanUnfilled(), r.meanMillis());
    return b.toString();
  }

  /**
   * The reports as markdown: one report as its per-image table; several as one summary table of averages (input,
   * method), followed by the per-image tables when {@code perImage}.
   */
  public static String markdown(List<Report> reports, boolean perImage) {
    if (reports.size() == 1) {
      return markdown(reports.get(0));
    }
    StringBuilder b = new StringBuilder();
    Report first = reports.get(0);
    b.append(String.format(Locale.ROOT, "### %s: averages over %d image(s), the same inputs for every method%n%n"
        + "%s%n%n", first.dataset(), first.images().size(), SCORING_NOTE));
    b.append("| input | method | RMSE | MAE | rel | SSIM | PSNR dB | unfilled % | ms/frame |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    List<Report> sorted = new ArrayList<>(reports);
    sorted.sort(java.util.Comparator.comparingInt(r -> indexOfTask(reports, r.task())));
    for (Report r : sorted) {
      MetricResult m = r.mean();
      b.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %.4f | %.2f | %.1f | %.2f |%n", r.task(),
          r.method(), m.rmse(), m.mae(), m.rel(), m.ssim(), m.psnr(), 100 * r.meanUnfilled(), r.meanMillis()));
    }
    if (perImage) {
      for (Report r : reports) {
        b.append('\n').append(markdown(r));
      }
    }
    return b.toString();
  }

  private static int indexOfTask(List<Report> reports, String task) {
    for (int i = 0; i < reports.size(); i++) {
      if (reports.get(i).task().equals(task)) {
        return i;
      }
    }
    return reports.size();
  }

  private static void row(StringBuilder b, String id, MetricResult m, double unfilled, double ms) {
    b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.4f | %.2f | %.4f | %.4f | %.4f | %.4f | %.2f | %.1f "
        + "| %.2f |%n", id, m.rmse(), m.mae(), m.rel(), m.mape(), m.delta1(), m.delta2(), m.delta3(), m.ssim(),
        m.psnr(), 100 * unfilled, ms));
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
