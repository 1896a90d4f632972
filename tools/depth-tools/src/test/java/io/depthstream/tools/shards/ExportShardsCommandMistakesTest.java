package io.depthstream.tools.shards;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code depthstream export-shards}' user mistakes, each found before a frame is rendered. */
class ExportShardsCommandMistakesTest extends CommandMistakesContract {
  @TempDir
  static Path tmp;

  static Stream<Mistake> mistakes() throws IOException {
    String out = tmp.resolve("out").toString();
    Path aFile = Files.writeString(tmp.resolve("a-file"), "not a directory");
    return Stream.of(
        Mistake.of("unknown flag", List.of("--out", out, "--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("missing --out", List.of("--count", "4"), "Missing required option", "--out"),
        Mistake.of("unknown pattern", List.of("--out", out, "--patterns", "poisson:p=0.1", "--quiet"), "poisson",
            "uniform"),
        Mistake.of("pattern value out of range", List.of("--out", out, "--patterns", "uniform:p=2", "--quiet"),
            "uniform", "p"),
        Mistake.of("bad size", List.of("--out", out, "--width", "0", "--quiet"), "0"),
        Mistake.of("output is a file", List.of("--out", aFile.toString(), "--count", "1", "--quiet"),
            aFile.toString()));
  }

  @Override
  protected CommandLine commandLine() {
    return ExportShardsCommand.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return List.of("--out", tmp.resolve("v").toString(), "--patterns", "poisson", "--quiet");
  }
}
