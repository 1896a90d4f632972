package io.depthstream.tools.bench;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code depthstream bench-methods}' user mistakes, each found before anything is timed. */
class MethodBenchMistakesTest extends CommandMistakesContract {
  @TempDir
  static Path models;

  static Stream<Mistake> mistakes() {
    String dir = models.toString();
    return Stream.of(
        Mistake.of("unknown flag", List.of("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("unknown method", List.of("--models-dir", dir, "--methods", "inpaint,cubic"),
            "unknown method 'cubic'", "nearest-fill", "inpaint"),
        Mistake.of("bad size", List.of("--models-dir", dir, "--sizes", "640by480"), "--sizes", "640by480"),
        Mistake.of("missing models directory", List.of("--models-dir", "no/such/models"),
            "no such file or directory", "no/such/models"),
        Mistake.of("no timed runs", List.of("--models-dir", dir, "--runs", "0"), "--runs", "try --help"),
        Mistake.of("not a number", List.of("--runs", "many"), "--runs", "many", "try --help"));
  }

  @Override
  protected CommandLine commandLine() {
    return MethodBench.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return List.of("--models-dir", models.toString(), "--methods", "cubic");
  }
}
