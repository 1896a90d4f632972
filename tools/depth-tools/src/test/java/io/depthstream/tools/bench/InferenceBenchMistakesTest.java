package io.depthstream.tools.bench;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** {@code depthstream bench-model}'s user mistakes, each found before anything is timed. */
class InferenceBenchMistakesTest extends CommandMistakesContract {
  private static final String MODELS =
      Path.of(System.getProperty("depthstream.root", "../..")).resolve("models").toString();

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", List.of("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("unknown model", List.of("--models-dir", MODELS, "--model", "fast_interp_x5"),
            "unknown depth method 'fast_interp_x5'", "fast_interp_x4"),
        Mistake.of("missing models directory", List.of("--models-dir", "no/such/models"),
            "no such file or directory", "no/such/models"),
        Mistake.of("bad size", List.of("--models-dir", MODELS, "--size", "640by480"), "--size", "640by480",
            "try --help"),
        Mistake.of("unknown provider", List.of("--models-dir", MODELS, "--provider", "tpu"), "--provider", "tpu"),
        Mistake.of("no timed runs", List.of("--runs", "0"), "--runs", "try --help"));
  }

  @Override
  protected CommandLine commandLine() {
    return InferenceBench.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return List.of("--models-dir", MODELS, "--model", "fast_interp_x5");
  }
}
