package io.depthstream.connect.synthetic;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** {@code depthstream sample-drive}'s user mistakes, each one line before anything is rendered. */
class SampleDriveCommandMistakesTest extends CommandMistakesContract {
  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", List.of("--out", "x", "--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("no output directory", List.of("--frames", "3"), "Missing required option", "--out"),
        Mistake.of("no frames", List.of("--out", "x", "--frames", "0"), "--frames must be at least 1, got 0"),
        Mistake.of("not a number", List.of("--out", "x", "--seed", "seven"), "--seed", "seven", "try --help"),
        Mistake.of("a file where the drive's directory must be", List.of("--out", "pom.xml/drive"), "pom.xml"));
  }

  @Override
  protected CommandLine commandLine() {
    return SampleDriveCommand.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return List.of("--out", "x", "--frames", "0");
  }
}
