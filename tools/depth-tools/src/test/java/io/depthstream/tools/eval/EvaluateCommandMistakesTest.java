package io.depthstream.tools.eval;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code depthstream eval}'s user mistakes: one line naming the problem, exit code 2, no stack trace. */
class EvaluateCommandMistakesTest extends CommandMistakesContract {
  @TempDir
  static Path tmp;

  /** A directory with one small depth image, so each case fails on its own mistake only. */
  private static Path data;

  @BeforeAll
  static void oneImage() throws IOException {
    data = Files.createDirectories(tmp.resolve("data"));
    int[] v = new int[32 * 24];
    Arrays.fill(v, 100);
    DepthImageIO.writePng(data.resolve("flat.png"), new RawImage(32, 24, v, 255));
    byte[] npy = EvaluateCommandTest.npyFloat32(new float[] {1f}, 1, 1);
    String text = new String(npy, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f4", ">f4");
    Files.write(tmp.resolve("big-endian.npy"), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  /** An evaluation of the image with {@code more} options. */
  private static List<String> eval(String... more) {
    List<String> args = new ArrayList<>(List.of("--dir", data.toString(), "--format", "middlebury_disparity",
        "--max", "255"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", eval("--method", "inpaint", "--task", "sparse", "--colour"), "Unknown option",
            "--colour", "try --help"),
        Mistake.of("missing option", List.of("--task", "sr"), "Missing required argument", "--method",
            "--all-methods"),
        Mistake.of("unknown dataset", List.of("--dataset", "kitty", "--method", "bicubic", "--task", "sr"),
            "unknown dataset 'kitty'", "middlebury-setc", "kitti-000008"),
        Mistake.of("unknown method", eval("--method", "cubic", "--task", "sparse"), "unknown method 'cubic'",
            "bicubic", "inpaint"),
        Mistake.of("unknown task", eval("--method", "inpaint", "--task", "dense"), "--task", "dense", "sr",
            "sparse"),
        Mistake.of("unknown pattern", eval("--method", "inpaint", "--task", "sparse", "--pattern", "poisson:p=0.1"),
            "poisson", "uniform"),
        Mistake.of("unknown degradation", eval("--method", "bicubic", "--task", "sr", "--degradation", "lanczos"),
            "unknown degradation 'lanczos'", "bicubic-aa"),
        Mistake.of("missing directory", List.of("--dir", "no/such/dir", "--format", "tum", "--max", "10",
            "--method", "inpaint", "--task", "sparse"), "no such file or directory", "no/such/dir"),
        Mistake.of("no image in the directory", eval("--method", "inpaint", "--task", "sparse", "--glob", "*.pgm"),
            "no such file or directory", "*.pgm", "no file matches"),
        Mistake.of("--dir without --format", List.of("--dir", "x", "--method", "inpaint", "--task", "sparse"),
            "--dir needs --format and --max"),
        Mistake.of("unknown scale", List.of("--input", "x.png", "--holdout", "0.2", "--input-scale", "feet",
            "--method", "inpaint"), "--input-scale", "unknown scale 'feet'", "kitti256"),
        Mistake.of("--input without a truth", List.of("--input", data.resolve("flat.png").toString(), "--method",
            "inpaint"), "--input needs --truth FILE|DIR or --holdout FRACTION"),
        Mistake.of("holdout out of range", List.of("--input", data.resolve("flat.png").toString(), "--holdout",
            "1.5", "--method", "inpaint"), "--holdout 1.5 must be in (0, 1)"),
        Mistake.of("bad density", eval("--method", "inpaint", "--densities", "30,many"), "--densities", "'many'"),
        Mistake.of("input of the wrong size", List.of("--input", data.resolve("flat.png").toString(), "--truth",
            data.resolve("flat.png").toString(), "--task", "sr", "--factor", "8", "--method", "bicubic"),
            "is 32x24 but its ground truth", "needs 4x3"),
        Mistake.of("an NPY of another dtype", List.of("--input", tmp.resolve("big-endian.npy").toString(),
            "--holdout", "0.2", "--method", "inpaint"), "big-endian.npy", "dtype '>f4' is not supported"));
  }

  @Override
  protected CommandLine commandLine() {
    return EvaluateCommand.commandLine(new EvaluateCommand());
  }

  @Override
  protected List<String> aMistake() {
    return eval("--method", "cubic", "--task", "sparse");
  }
}
