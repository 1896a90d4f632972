package io.depthstream.cli;

import static io.depthstream.cli.CommandMistakes.assertVerboseTrace;
import static io.depthstream.cli.CommandMistakes.run;

import io.depthstream.cli.CommandMistakes.Mistake;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The tests every command's mistake test runs: each of its {@code static Stream<Mistake> mistakes()} is one line
 * naming the problem with exit code 2 and no stack trace, and {@code --verbose} adds the trace. A subclass per
 * command says how to build its command line and which mistakes to make.
 */
public abstract class CommandMistakesContract {
  /** A fresh command line of the command, wired as its {@code main} wires it. */
  protected abstract CommandLine commandLine();

  /** The arguments of one of the mistakes, to run again with {@code --verbose}. */
  protected abstract List<String> aMistake();

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeIsOneLineAndExitCode2(Mistake mistake) {
    mistake.assertReportedBy(this::commandLine);
  }

  @Test
  void verboseAddsTheStackTrace() {
    List<String> args = new java.util.ArrayList<>(aMistake());
    args.add(CommandErrors.Verbose.NAME);
    assertVerboseTrace(run(commandLine(), args.toArray(String[]::new)));
  }
}
