package io.depthstream.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.RgbImage;
import io.depthstream.depth.metrics.DepthMetrics;
import io.depthstream.depth.scene.FocalStackSynthesis;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.tools.eval.EvaluateCommand.Report;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FocalEvaluationTest {
  @TempDir
  Path tmp;

  /** Random texture over two fronto-parallel planes, 1 m (left half) and 3 m (right half). */
  private static FocalEvaluation.FocalCase twoPlanes() {
    int w = 64;
    int h = 48;
    SplittableRandom random = new SplittableRandom(15);
    float[] rgb = new float[3 * w * h];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (float) random.nextDouble();
    }
    DepthMap depth = DepthMap.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        depth.set(x, y, x < w / 2 ? 1f : 3f);
      }
    }
    return new FocalEvaluation.FocalCase("planes", depth, new RgbImage(w, h, rgb));
  }

  @Test
  void depthFromFocusFindsTexturedPlanesTheMeanFocusDistanceCannot() throws Exception {
    MethodCatalog catalog = new MethodCatalog(tmp, InferenceSettings.defaults()); // no models: classical only
    FocalEvaluation evaluation = new FocalEvaluation(FocalStackSynthesis.TRAINING, FocalEvaluation.opener(catalog));

    List<Report> reports = evaluation.run("synthetic", List.of(twoPlanes()), FocalEvaluation.allMethods(catalog),
        List.of(3, 5), new DepthMetrics(10.0), tmp.resolve("panels"));

    assertThat(reports).extracting(r -> r.task() + " " + r.method()).containsExactly("focal T=3 mean-focus",
        "focal T=3 depth-from-focus", "focal T=5 mean-focus", "focal T=5 depth-from-focus");
    for (Report r : reports) {
      assertThat(r.meanUnfilled()).as("%s unfilled", r.method()).isZero();
      assertThat(r.images()).extracting(EvaluateCommand.ImageResult::id).containsExactly("planes");
    }
    // the stack's mean focus distance is the middle of [1, 3] m: 1 m off everywhere
    assertThat(reports.get(0).mean().rmse()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    // with a strong texture, depth from focus finds each plane's side of the sweep; it cannot return depths beyond
    // the outer focus distances (1.33 and 2.67 m at T = 5), so it stays about 1/3 m off on each plane
    assertThat(reports.get(3).mean().rmse()).isLessThan(0.5);
    assertThat(reports.get(3).mean().mae()).isBetween(0.3, 0.4);
    assertThat(tmp.resolve("panels/planes_depth-from-focus_focal5.png")).exists();
  }

  @Test
  void runsAFocalStackModelOnTheSameStacks() throws Exception {
    Path models = Path.of(System.getProperty("depthstream.root", "../..")).resolve("test-models");
    assumeThat(models.resolve("focal_smoke.onnx")).as("test-models/focal_smoke.onnx not found").exists();
    MethodCatalog catalog = new MethodCatalog(models, InferenceSettings.defaults());
    assertThat(FocalEvaluation.allMethods(catalog)).contains("mean-focus", "depth-from-focus", "focal_smoke");
    FocalEvaluation evaluation = new FocalEvaluation(FocalStackSynthesis.TRAINING, FocalEvaluation.opener(catalog));

    List<Report> reports = evaluation.run("synthetic", List.of(twoPlanes()), List.of("focal_smoke"), List.of(2),
        new DepthMetrics(10.0), null);

    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("focal_smoke");
      // every valid pixel is scored or counted as unfilled (an untrained model may predict a few negative depths)
      EvaluateCommand.ImageResult image = r.images().get(0);
      assertThat(image.metrics().count() + Math.round(image.unfilled() * 64 * 48)).isEqualTo(64 * 48);
      assertThat(image.metrics().count()).isGreaterThan(64 * 48 / 2);
      assertThat(r.mean().rmse()).isFinite().isPositive();
    });
  }

  @Test
  void theCliScoresEveryMethodOnRealRgbdPairs() throws Exception {
    Optional<Path> shared = DatasetReader.locateSharedData();
    assumeThat(shared).as("shared/data not found; focal task on TUM skipped").isPresent();
    Path json = tmp.resolve("focal.json");
    String table = EvaluateCommandTest.eval("--task", "focal", "--dataset", "tum", "--stack", "5", "--method",
        "mean-focus,depth-from-focus", "--data-dir", shared.get().toString(), "--models-dir", tmp.toString(),
        "--json", json.toString());
    assertThat(table).contains("| focal T=5 | mean-focus |", "| focal T=5 | depth-from-focus |");
    com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(json.toFile());
    assertThat(r.get(0).at("/images/0/id").asText()).isEqualTo("tum");
    // TUM's depth range runs to 9.3 m (a few far pixels), so its mean focus distance is far behind the desk
    // (median depth 2.4 m); depth from focus on the real texture does much better
    double meanFocus = r.get(0).at("/mean/rmse").asDouble();
    double dff = r.get(1).at("/mean/rmse").asDouble();
    assertThat(dff).isLessThan(meanFocus / 2);
    assertThat(r.get(1).at("/meanUnfilled").asDouble()).isZero();
  }

  @Test
  void refusesDatasetsAndOptionsThatDoNotFitNamingWhy() throws Exception {
    Optional<Path> shared = DatasetReader.locateSharedData();
    assumeThat(shared).as("shared/data not found").isPresent();
    DatasetReader reader = new DatasetReader(shared.get());
    assertThatThrownBy(() -> FocalEvaluation.load(reader, List.of("nyu-raw")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
    assertThatThrownBy(() -> FocalEvaluation.load(reader, List.of("middlebury")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disparity");
    assertThat(failure("--task", "focal", "--input", tmp.toString(), "--holdout", "0.2", "--all-methods"))
        .contains("do not apply");
    assertThat(failure("--task", "focal", "--dataset", "tum", "--stack", "0", "--all-methods", "--data-dir",
        shared.get().toString())).contains("--stack needs lengths >= 1");
  }

  @Test
  void helpNamesTheTaskItsStackOptionAndItsDatasets() {
    String help = new CommandLine(new EvaluateCommand()).getUsageMessage();
    assertThat(help).contains("focal", "--stack", "tum and sun-rgbd", "mean-focus", "depth-from-focus");
  }

  @Test
  void rgbImagesAreReadAsPlanarUnitFloats() throws Exception {
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(2, 1,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF0080);
    image.setRGB(1, 0, 0x00FF00);
    Path png = tmp.resolve("two.png");
    javax.imageio.ImageIO.write(image, "png", png.toFile());
    RgbImage rgb = RgbImage.read(png);
    assertThat(rgb.planes()).containsExactly(1f, 0f, 0f, 1f, 128 / 255f, 0f);
    Files.writeString(tmp.resolve("no.png"), "text");
    assertThatThrownBy(() -> RgbImage.read(tmp.resolve("no.png"))).hasMessageContaining("not an image");
  }

  /** The error output of a command that must fail with exit code 2. */
  private static String failure(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine line = EvaluateCommand.commandLine(new EvaluateCommand());
    line.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    assertThat(line.execute(args)).isEqualTo(2);
    return err.toString(StandardCharsets.UTF_8);
  }
}
