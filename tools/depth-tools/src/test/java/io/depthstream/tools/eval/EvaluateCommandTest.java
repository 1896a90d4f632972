package io.depthstream.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;

import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.depth.resample.Interpolation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
  @TempDir
  Path tmp;

  @Test
  void constantMapIsReconstructedExactlyAndTableAndPanelsAreWritten() throws Exception {
    // A 32x24 constant 100 (8-bit disparity): x8 down and bicubic up must give 100 everywhere, so RMSE = 0,
    // PSNR = +Infinity, every delta = 1 and SSIM = 1 (identical images).
    int[] v = new int[32 * 24];
    java.util.Arrays.fill(v, 100);
    Path data = Files.createDirectories(tmp.resolve("data"));
    DepthImageIO.writePng(data.resolve("flat.png"), new RawImage(32, 24, v, 255));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    EvaluateCommand cmd = new EvaluateCommand();
    cmd.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int rc = new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).execute("--dir", data.toString(),
        "--format", "middlebury_disparity", "--max", "255", "--method", "bicubic", "--task", "sr", "--factor", "8",
        "--out", tmp.resolve("out").toString());
    assertThat(rc).isZero();
    String table = buf.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("| flat | 0.000 | 0.000 |").contains("| 1.0000 | 1.0000 | 1.0000 | 1.0000 | Infinity |")
        .contains("**average**");
    assertThat(tmp.resolve("out/flat_bicubic_sr.png")).exists();
  }

  @Test
  void unknownMethodListsTheKnownOnes() {
    assertThatThrownBy(() -> MethodFactory.resolve("magic", java.util.List.of(MethodFactory.UPSAMPLING)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bicubic").hasMessageContaining("magic");
  }

  @Test
  void extraFactoriesAreAskedFirst() {
    MethodFactory custom = new MethodFactory() {
      @Override
      public Optional<io.depthstream.depth.DepthReconstructor> create(String name) {
        return name.equals("bicubic") ? Optional.of(new MethodFactory.UpsamplingReconstructor(Interpolation.NEAREST))
            : Optional.empty();
      }

      @Override
      public java.util.List<String> names() {
        return java.util.List.of("bicubic");
      }
    };
    assertThat(MethodFactory.resolve("bicubic", java.util.List.of(custom, MethodFactory.UPSAMPLING)).name())
        .isEqualTo("nearest");
  }

  @Test
  void middleburyConesBicubicX8StaysInTheDocumentedBand() throws Exception {
    Optional<Path> shared = DatasetReader.locateSharedData();
    assumeThat(shared).as("shared/data not found; Middlebury regression guard skipped").isPresent();
    ProtocolSweep sweep = new ProtocolSweep(new DatasetReader(shared.get()));
    // EVALUATION.md: standard protocol Cones bicubic x8 RMSE 5.51 (MANIFEST: ~5.5); seed protocol 11.08.
    ProtocolSweep.Row standard = sweep.run(ProtocolSweep.standard(Interpolation.BICUBIC), 8);
    assertThat(standard.rmse()[0]).isCloseTo(5.51, offset(0.15));
    ProtocolSweep.Row seed = sweep.run(ProtocolSweep.seed(Interpolation.BICUBIC), 8);
    assertThat(seed.rmse()[0]).isCloseTo(11.08, offset(0.3));
    // bicubic must beat nearest upsampling under the same protocol
    assertThat(standard.rmse()[0]).isLessThan(sweep.run(ProtocolSweep.standard(Interpolation.NEAREST), 8).rmse()[0]);
  }

  /** Runs {@code eval} in-process with {@code args}; returns its stdout after asserting exit code 0. */
  /** The standard output of {@code eval args}, which must exit 0 (FocalEvaluationTest uses it too). */
  static String eval(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    EvaluateCommand cmd = new EvaluateCommand();
    cmd.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int rc = EvaluateCommand.commandLine(cmd).execute(args);
    assertThat(rc).as("exit code of eval %s", java.util.Arrays.toString(args)).isZero();
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** An 8-bit big-endian PGM {@code <name>.pgm} of {@code w x h} whose value depends on the column only. */
  private Path columnPgm(String name, int w, int h, java.util.function.IntUnaryOperator valueOfColumn)
      throws java.io.IOException {
    int[] v = new int[w * h];
    for (int i = 0; i < v.length; i++) {
      v[i] = valueOfColumn.applyAsInt(i % w);
    }
    Path pgm = tmp.resolve(name + ".pgm");
    DepthImageIO.writePgm(pgm, new RawImage(w, h, v, 255), java.nio.ByteOrder.BIG_ENDIAN);
    return pgm;
  }

  private static Path testModels() {
    return Path.of(System.getProperty("depthstream.root", "../..")).resolve("test-models");
  }

  /** A 16-bit PNG of a smooth slanted plane, 1.5 to about 4 m, stored in millimetres. */
  private static Path plane(Path file, int w, int h) throws Exception {
    int[] v = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = 1500 + 4 * x + 2 * y;
      }
    }
    DepthImageIO.writePng(file, new RawImage(w, h, v, 65535));
    return file;
  }

  @Test
  void ownNpyInputIsScoredAgainstItsOwnPngTruthPairedByName() throws Exception {
    // Truth: 2 m everywhere (2000 mm PNG). Input: float32 metres NPY with every 4th pixel of each 4th row; NaN
    // elsewhere (no measurement). nearest-fill must give 2 m everywhere: RMSE 0, nothing unfilled.
    int w = 16;
    int h = 12;
    int[] mm = new int[w * h];
    java.util.Arrays.fill(mm, 2000);
    Path truths = Files.createDirectories(tmp.resolve("truth"));
    Path inputs = Files.createDirectories(tmp.resolve("input"));
    DepthImageIO.writePng(truths.resolve("frame1.png"), new RawImage(w, h, mm, 65535));
    float[] sparse = new float[w * h];
    java.util.Arrays.fill(sparse, Float.NaN);
    for (int y = 0; y < h; y += 4) {
      for (int x = 0; x < w; x += 4) {
        sparse[y * w + x] = 2f;
      }
    }
    Files.write(inputs.resolve("frame1.npy"), npyFloat32(sparse, w, h));
    String table = eval("--input", inputs.toString(), "--truth", truths.toString(), "--truth-scale", "mm",
        "--method", "nearest-fill", "--max", "10");
    assertThat(table).contains("nearest-fill on " + inputs + ", own input").contains("| frame1 | 0.000 | 0.000 |")
        .contains("| 0.0 |").contains("unfilled %");
  }

  @Test
  void holdoutScoresEveryMethodOnTheSameHeldOutPointsAndWritesJson() throws Exception {
    // A KITTI-style x256 PNG with a LiDAR-like band of points on a plane: 20 % held out, two methods, JSON.
    int w = 96;
    int h = 40;
    int[] v = new int[w * h];
    for (int y = 10; y < 30; y += 2) {
      for (int x = 0; x < w; x++) {
        v[y * w + x] = 256 * (5 + x / 16);
      }
    }
    Path scan = tmp.resolve("scan.png");
    DepthImageIO.writePng(scan, new RawImage(w, h, v, 65535));
    Path json = tmp.resolve("eval.json");
    String table = eval("--input", scan.toString(), "--input-scale", "kitti256", "--holdout", "0.2", "--seed", "3",
        "--method", "nearest-fill,inpaint", "--json", json.toString());
    assertThat(table).contains("own input, 20 % of its points held out (seed 3)").contains("| nearest-fill |")
        .contains("| inpaint |");
    com.fasterxml.jackson.databind.JsonNode reports = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(json.toFile());
    assertThat(reports).hasSize(2);
    long heldOut = Math.round(0.2 * 10 * w);
    assertThat(reports.get(0).at("/images/0/metrics/count").asLong()).isEqualTo(heldOut);
    assertThat(reports.get(1).at("/images/0/metrics/count").asLong()).isEqualTo(heldOut);
    assertThat(reports.get(0).at("/mean/rmse").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void densitySweepGivesOneRowPerDensityAndMethodOnAPgmTruth() throws Exception {
    // 8-bit PGM, value x 0.05 m: a ramp 1 to 10 m.
    Path pgm = columnPgm("ramp", 40, 30, x -> 20 + x * 4);
    String table = eval("--truth", pgm.toString(), "--truth-scale", "0.05", "--densities", "30,10%",
        "--method", "nearest-fill,linear", "--out", tmp.resolve("panels").toString());
    assertThat(table).contains("| uniform 30 points | nearest-fill |").contains("| uniform 30 points | linear |")
        .contains("| uniform 10% of pixels | nearest-fill |").contains("| uniform 10% of pixels | linear |");
    assertThat(tmp.resolve("panels/ramp_linear_d10pct.png")).exists();
  }

  @Test
  void seedsScoreEveryDrawAndTheTableIsTheirMean() throws Exception {
    // A step edge (2 m | 6 m) that 30 random points place differently in every draw.
    Path pgm = columnPgm("step", 48, 32, x -> x < 20 ? 40 : 120);
    double[] single = new double[3];
    for (int s = 1; s <= 3; s++) {
      Path one = tmp.resolve("seed" + s + ".json");
      eval("--truth", pgm.toString(), "--truth-scale", "0.05", "--densities", "30", "--method", "linear",
          "--seed", Integer.toString(s), "--json", one.toString());
      single[s - 1] = new com.fasterxml.jackson.databind.ObjectMapper().readTree(one.toFile()).at("/0/mean/rmse")
          .asDouble();
    }
    assertThat(single[0]).as("draws differ").isNotEqualTo(single[1]);
    Path json = tmp.resolve("seeds.json");
    String table = eval("--truth", pgm.toString(), "--truth-scale", "0.05", "--densities", "30", "--method",
        "linear,nearest-fill", "--seeds", "1-3", "--per-image", "--json", json.toString());
    com.fasterxml.jackson.databind.JsonNode reports = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(json.toFile());
    assertThat(reports.get(0).get("method").asText()).isEqualTo("linear");
    assertThat(reports.get(0).get("images")).extracting(n -> n.get("id").asText())
        .containsExactly("step seed 1", "step seed 2", "step seed 3");
    for (int s = 0; s < 3; s++) {
      assertThat(reports.get(0).at("/images/" + s + "/metrics/rmse").asDouble()).as("seed %d", s + 1)
          .isCloseTo(single[s], org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(reports.get(0).at("/mean/rmse").asDouble())
        .isCloseTo((single[0] + single[1] + single[2]) / 3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(table).contains("| uniform 30 points (mean of seeds 1-3) | linear |").contains("| step seed 2 |");

    assertThat(
        EvaluateCommand.commandLine(new EvaluateCommand()).execute("--truth", pgm.toString(), "--densities", "30",
            "--method", "linear", "--seeds", "3-1"))
        .as("a downward range").isNotZero();
  }

  @Test
  void greyBmpTruthIsReadAsItsGreyLevels() throws Exception {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(24, 16,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 24; x++) {
        img.getRaster().setSample(x, y, 0, 100);
      }
    }
    Path bmp = tmp.resolve("flat.bmp");
    assertThat(javax.imageio.ImageIO.write(img, "bmp", bmp.toFile())).isTrue();
    String table = eval("--truth", bmp.toString(), "--truth-scale", "1", "--pattern", "grid:step=4",
        "--method", "nearest-fill", "--max", "255");
    assertThat(table).contains("| flat | 0.000 | 0.000 |");
  }

  @Test
  void srRunsOnSizesTheFactorDoesNotDivideForClassicalAndLearnedMethods() throws Exception {
    // 450x375 (Middlebury's Cones and Teddy size): 8 and 4 divide neither side.
    Path gt = plane(tmp.resolve("cones-size.png"), 450, 375);
    String x8 = eval("--truth", gt.toString(), "--task", "sr", "--factor", "8", "--method", "bicubic,nearest",
        "--max", "10", "--json", tmp.resolve("x8.json").toString());
    assertThat(x8).contains("| sr x8 (bicubic-aa) | bicubic |").contains("| sr x8 (bicubic-aa) | nearest |");
    com.fasterxml.jackson.databind.JsonNode r8 = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(tmp.resolve("x8.json").toFile());
    // A plane is reproduced almost exactly by bicubic, edges included: every pixel filled, RMSE below 5 mm.
    assertThat(r8.get(0).at("/images/0/metrics/count").asLong()).isEqualTo(450 * 375);
    assertThat(r8.get(0).at("/mean/rmse").asDouble()).isLessThan(0.005);
    assertThat(r8.get(0).at("/meanUnfilled").asDouble()).isZero();

    Path models = testModels();
    assumeThat(models.resolve("sr_x4_smoke.onnx")).as("test-models/sr_x4_smoke.onnx not found").exists();
    String x4 = eval("--truth", gt.toString(), "--task", "sr", "--factor", "4", "--method", "bicubic,sr_x4_smoke",
        "--models-dir", models.toString(), "--max", "10", "--json", tmp.resolve("x4.json").toString());
    assertThat(x4).contains("| sr x4 (bicubic-aa) | sr_x4_smoke |");
    com.fasterxml.jackson.databind.JsonNode r4 = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(tmp.resolve("x4.json").toFile());
    assertThat(r4.get(1).at("/images/0/metrics/count").asLong()).isPositive();
    assertThat(r4.get(1).at("/mean/rmse").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void allMethodsTakesEveryMethodThatFitsTheTask() throws Exception {
    Path models = testModels();
    assumeThat(models.resolve("fast_interp_x4_smoke.onnx")).as("test-models not found").exists();
    Path gt = plane(tmp.resolve("plane.png"), 64, 48);
    String sparse = eval("--truth", gt.toString(), "--all-methods", "--pattern", "uniform:p=0.1", "--models-dir",
        models.toString());
    assertThat(sparse).contains("| nearest-fill |", "| morphological |", "| inpaint |", "| linear |",
        "| fast_interp_x4_smoke |").doesNotContain("sr_x4_smoke").doesNotContain("| bicubic |");
    String sr = eval("--truth", gt.toString(), "--all-methods", "--task", "sr", "--factor", "4", "--models-dir",
        models.toString());
    assertThat(sr).contains("| bicubic |", "| sr_x4_smoke |").doesNotContain("fast_interp_x4_smoke")
        .doesNotContain("| inpaint |");
  }

  @Test
  void fastResidualOffScoresTheNetworkAloneAndOnCorrectsItAndABadValueNamesTheOption() throws Exception {
    Path models = Path.of(System.getProperty("depthstream.root", "../..")).resolve("models");
    assumeThat(models.resolve("fast_interp_x4.onnx")).as("models/fast_interp_x4.onnx not found").exists();
    Path gt = plane(tmp.resolve("plane.png"), 160, 120);
    double[] mae = new double[2];
    String[] settings = {"off", "on"};
    for (int i = 0; i < 2; i++) {
      Path json = tmp.resolve("residual-" + settings[i] + ".json");
      eval("--truth", gt.toString(), "--method", "fast_interp_x4", "--models-dir", models.toString(), "--pattern",
          "uniform:p=0.05", "--fast-residual", settings[i], "--json", json.toString());
      mae[i] = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get(0).at("/mean/mae")
          .asDouble();
    }
    assertThat(mae[1]).as("MAE with the correction vs the network alone, same samples").isLessThan(0.9 * mae[0]);

    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = EvaluateCommand.commandLine(new EvaluateCommand());
    cli.setErr(new java.io.PrintWriter(err, true));
    int rc = cli.execute("--truth", gt.toString(), "--method", "fast_interp_x4", "--models-dir", models.toString(),
        "--fast-residual", "sometimes");
    assertThat(rc).isNotZero();
    assertThat(err.toString()).contains("--fast-residual").contains("sometimes");
  }

  @Test
  void helpListsDatasetsMethodsPatternsFormatsAndScales() {
    String help = new CommandLine(new EvaluateCommand()).getUsageMessage();
    assertThat(help).contains("kitti-000008", "middlebury-setc", "inpaint", "bicubic", "semidense", "NPY", "PFM",
        "BMP", "PGM", "kitti256", "--holdout", "--densities", "--json", "unfilled");
  }

  @Test
  void middleburySetCx8FromTheCliMatchesTheDocumentedProtocolAndTheModelBeatsBicubic() throws Exception {
    Optional<Path> shared = DatasetReader.locateSharedData();
    assumeThat(shared).as("shared/data not found; Set C through the CLI skipped").isPresent();
    Path models = Path.of(System.getProperty("depthstream.root", "../..")).resolve("models");
    assumeThat(models.resolve("sr_x8.onnx")).as("models/sr_x8.onnx not found").exists();
    Path json = tmp.resolve("setc.json");
    eval("--dataset", "middlebury-setc", "--data-dir", shared.get().toString(), "--task", "sr", "--factor", "8",
        "--method", "bicubic,sr_x8", "--models-dir", models.toString(), "--json", json.toString());
    com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(json.toFile());
    // EVALUATION.md "SR on any size": bicubic 5.52 / 4.05 / 12.33 / 2.72 (Cones, Teddy, Tsukuba, Venus; 8 divides
    // none of Cones' and Teddy's sides, so they take the resampling step onto the truth's grid).
    double[] bicubic = {5.52, 4.05, 12.33, 2.72};
    for (int i = 0; i < 4; i++) {
      assertThat(r.get(0).at("/images/" + i + "/metrics/rmse").asDouble()).isCloseTo(bicubic[i], offset(0.02));
      assertThat(r.get(1).at("/images/" + i + "/metrics/rmse").asDouble()).as("sr_x8 below bicubic on image %d", i)
          .isLessThan(r.get(0).at("/images/" + i + "/metrics/rmse").asDouble());
      assertThat(r.get(1).at("/images/" + i + "/unfilled").asDouble()).isZero();
    }
  }

  /** A version-1 .npy file of little-endian float32, shape (h, w). */
  static byte[] npyFloat32(float[] values, int w, int h) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + h + ", " + w + "), }";
    int total = ((10 + dict.length() + 1 + 63) / 64) * 64;
    String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(total + 4 * values.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }
}
