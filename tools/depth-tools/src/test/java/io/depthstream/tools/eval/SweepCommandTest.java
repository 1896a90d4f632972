package io.depthstream.tools.eval;

import static io.depthstream.cli.CommandMistakes.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakes.Outcome;
import io.depthstream.cli.CommandMistakesContract;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code depthstream sweep} as a command: help instead of a sweep, and its mistakes as one line each. */
class SweepCommandTest extends CommandMistakesContract {
  @Test
  void helpPrintsTheUsageAndRunsNothing() {
    Outcome o = run(SweepCommand.commandLine(), "--help");
    assertThat(o.exitCode()).isZero();
    assertThat(o.out()).contains("Usage: sweep", "MODE", "table, sweep", "FACTOR", "--data-dir", "--verbose")
        .doesNotContain("| published bicubic");
    assertThat(o.err()).isEmpty();
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", List.of("table", "--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("unknown mode", List.of("tabel"), "MODE", "tabel", "table, sweep", "try --help"),
        Mistake.of("factor not a number", List.of("table", "eight"), "FACTOR", "eight", "try --help"),
        Mistake.of("factor too small", List.of("table", "1"), "FACTOR must be at least 2", "try --help"),
        Mistake.of("missing data directory", List.of("table", "8", "--data-dir", "no/such/dir"),
            "data directory does not exist", "no/such/dir"));
  }

  @Override
  protected CommandLine commandLine() {
    return SweepCommand.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return List.of("table", "--data-dir", "no/such/dir");
  }
}
