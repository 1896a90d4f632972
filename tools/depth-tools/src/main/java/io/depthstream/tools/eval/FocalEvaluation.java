package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.focus.FocalStackEstimator;
import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.DepthDataset;
import io.depthstream.depth.io.DepthPanel;
import io.depthstream.depth.io.DepthSample;
import io.depthstream.depth.io.RgbImage;
import io.depthstream.depth.metrics.DepthMetrics;
import io.depthstream.depth.metrics.MetricResult;
import io.depthstream.depth.scene.FocalStackSynthesis;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.tools.eval.EvaluateCommand.ImageResult;
import io.depthstream.tools.eval.EvaluateCommand.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The focal task of {@code eval}: focal stacks synthesised from real RGB-D pairs with the blur model the focal net
 * is trained on ({@link FocalStackSynthesis#TRAINING}), then every focal-stack method on the same stacks.
 *
 * <p>Per frame and stack length {@code T}: the layers span the frame's valid depth range {@code [near, far]}, the
 * {@code T} focus distances are evenly spaced strictly inside it (the trainer's validation and
 * {@code evaluate_focal} protocol), and pixels without depth blur as the farthest layer. Scored on the valid
 * ground-truth pixels as every other task ({@link Coverage}), PSNR peak and SSIM range the dataset's 10 m.
 *
 * <p>Datasets: the metric ones whose depth is registered to their colour image, TUM and SUN RGB-D. NYU raw is
 * refused: its raw Kinect depth is in the depth camera's frame, not registered to the RGB, so a stack synthesised
 * from the pair would put blur on the wrong pixels. These frames are evaluation data only (never train on them).
 */
final class FocalEvaluation {
  /** The datasets the task can use, and its default: both. */
  static final List<String> DATASETS = List.of("tum", "sun-rgbd");

  /** Why each other named dataset cannot be used. */
  static final Map<String, String> REFUSED = Map.of(
      "nyu-raw", "its raw Kinect depth is not registered to its RGB image (depth camera frame), so the blur would "
          + "land on the wrong pixels",
      "kitti-000008", "its ground truth is sparse LiDAR (7 % of the pixels); the layered blur needs a dense depth",
      "middlebury", "its ground truth is scaled disparity, not metres; the blur model is in metres",
      "middlebury-setc", "its ground truth is scaled disparity, not metres; the blur model is in metres");

  /** Classical baseline: the stack's mean focus distance everywhere (what a net without depth cues returns). */
  static final String MEAN_FOCUS = "mean-focus";

  /** One registered RGB-D frame. */
  record FocalCase(String id, DepthMap truth, RgbImage rgb) {}

  private final FocalStackSynthesis synthesis;
  private final Function<String, FocalStackEstimator> methods;

  /**
   * @param methods opens a focal-stack method by name ({@link #opener})
   */
  FocalEvaluation(FocalStackSynthesis synthesis, Function<String, FocalStackEstimator> methods) {
    this.synthesis = synthesis;
    this.methods = methods;
  }

  /** {@value #MEAN_FOCUS}, then the catalog's focal-stack methods (classical depth from focus, the models). */
  static List<String> allMethods(MethodCatalog catalog) {
    List<String> names = new ArrayList<>(List.of(MEAN_FOCUS));
    names.addAll(catalog.focalStackMethods());
    return names;
  }

  /** Opens {@value #MEAN_FOCUS} or a method of the catalog. */
  static Function<String, FocalStackEstimator> opener(MethodCatalog catalog) {
    return name -> MEAN_FOCUS.equals(name) ? new MeanFocusDistance() : catalog.openFocalStack(name);
  }

  /**
   * The frames of the named datasets (each of {@link #DATASETS}), with their colour images.
   *
   * @throws IllegalArgumentException naming a dataset the task cannot use and why
   */
  static List<FocalCase> load(DatasetReader reader, List<String> datasets) throws IOException {
    List<FocalCase> cases = new ArrayList<>();
    for (String name : datasets) {
      if (!DATASETS.contains(name)) {
        String why = REFUSED.get(name);
        throw new IllegalArgumentException("--task focal cannot use dataset '" + name + "'"
            + (why != null ? ": " + why : "") + "; it takes " + DATASETS);
      }
      DepthDataset ds = reader.load(name);
      for (DepthSample s : ds.samples()) {
        Path color = s.colorFile().orElseThrow(() -> new IllegalArgumentException(
            "dataset " + name + ": " + s.id() + " has no colour image to synthesise a focal stack from"));
        RgbImage rgb = RgbImage.read(color);
        if (rgb.width() != s.depth().width() || rgb.height() != s.depth().height()) {
          throw new IllegalArgumentException("dataset " + name + ": colour " + color + " is " + rgb.width() + "x"
              + rgb.height() + " but its depth is " + s.depth().width() + "x" + s.depth().height());
        }
        cases.add(new FocalCase(ds.samples().size() == 1 ? name : name + "/" + s.id(), s.depth(), rgb));
      }
    }
    return cases;
  }

  /**
   * Every method on every stack length, the same stacks for each; one report per (T, method), in that order.
   *
   * @param source the reports' dataset label
   * @param panels directory for GT / output / error panels, or null
   */
  List<Report> run(String source, List<FocalCase> cases, List<String> names, List<Integer> stacks,
      DepthMetrics metrics, Path panels) throws IOException {
    List<Report> reports = new ArrayList<>();
    if (panels != null) {
      Files.createDirectories(panels);
    }
    for (int t : stacks) {
      if (t < 1) {
        throw new IllegalArgumentException("--stack needs lengths >= 1, got " + t);
      }
      List<float[]> stackOf = new ArrayList<>();
      List<float[]> focusOf = new ArrayList<>();
      for (FocalCase c : cases) {
        double[] range = FocalStackSynthesis.depthRange(c.truth());
        double[] focus = FocalStackSynthesis.evenlySpacedFocus(range[0], range[1], t);
        stackOf.add(synthesis.synthesize(c.rgb().planes(), c.truth(), focus, range[0], range[1]));
        float[] focus32 = new float[t];
        for (int i = 0; i < t; i++) {
          focus32[i] = (float) focus[i];
        }
        focusOf.add(focus32);
      }
      String label = "focal T=" + t;
      for (String name : names) {
        try (FocalStackEstimator method = methods.apply(name)) {
          List<ImageResult> rows = new ArrayList<>();
          for (int k = 0; k < cases.size(); k++) {
            FocalCase c = cases.get(k);
            DepthMap gt = c.truth();
            DepthMap output = DepthMap.allocate(gt.width(), gt.height());
            method.estimate(stackOf.get(k), focusOf.get(k), t, gt.height(), gt.width(), output); // warm-up
            int reps = 2;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
              method.estimate(stackOf.get(k), focusOf.get(k), t, gt.height(), gt.width(), output);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / reps;
            Coverage.Score score = Coverage.score(metrics, output, gt);
            rows.add(new ImageResult(c.id(), score.metrics(), score.unfilled(), ms));
            if (panels != null) {
              new DepthPanel().add("GT", gt).add(name, output).addError("|error|", output, gt)
                  .write(panels.resolve(c.id() + "_" + name + "_focal" + t + ".png"));
            }
          }
          reports.add(new Report(source, name, label, rows,
              MetricResult.mean(rows.stream().map(ImageResult::metrics).toList()),
              rows.stream().mapToDouble(ImageResult::unfilled).average().orElse(0),
              rows.stream().mapToDouble(ImageResult::millis).average().orElse(0)));
        }
      }
    }
    return reports;
  }

  /** The stack's mean focus distance at every pixel. */
  static final class MeanFocusDistance implements FocalStackEstimator {
    @Override
    public String name() {
      return MEAN_FOCUS;
    }

    @Override
    public String version() {
      return "";
    }

    @Override
    public void estimate(float[] stackRgb, float[] focusMetres, int t, int h, int w, DepthMap out) {
      FocalStackEstimator.checkArguments(MEAN_FOCUS, stackRgb, focusMetres, t, h, w, out);
      double sum = 0;
      for (float f : focusMetres) {
        sum += f;
      }
      Arrays.fill(out.data(), (float) (sum / t));
    }

    @Override
    public void close() {}
  }
}
