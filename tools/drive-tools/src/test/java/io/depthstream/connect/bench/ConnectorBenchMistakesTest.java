package io.depthstream.connect.bench;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** {@code depthstream connect-bench}'s user mistakes, each found before a file is written or timed. */
class ConnectorBenchMistakesTest extends CommandMistakesContract {
  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", List.of("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("missing data directory", List.of("--data", "no/such/data"), "no such file or directory",
            "no/such/data"),
        Mistake.of("no frames", List.of("--frames", "0"), "--frames"),
        Mistake.of("not a number", List.of("--rounds", "three"), "--rounds", "three", "try --help"));
  }

  @Override
  protected CommandLine commandLine() {
    return ConnectorBench.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return List.of("--data", "no/such/data");
  }
}
