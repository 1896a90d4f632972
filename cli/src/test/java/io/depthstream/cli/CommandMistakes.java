package io.depthstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Runs a command in-process with its output captured, and checks how it reported a mistake: the contract of
 * {@link CommandErrors}, shared by every command's mistake test (this module's test jar).
 */
public final class CommandMistakes {
  private CommandMistakes() {}

  /** What one run returned and printed (through the command line's own writers). */
  public record Outcome(int exitCode, String out, String err) {
    /** The non-blank lines of stderr. */
    public List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /**
   * One mistake of a parametrised test: what it is (the test's name), the arguments, and what its one line must
   * name.
   */
  public record Mistake(String what, List<String> args, List<String> named) {
    public static Mistake of(String what, List<String> args, String... named) {
      return new Mistake(what, List.copyOf(args), List.of(named));
    }

    /** Runs the arguments on a fresh command line of {@code command} and asserts the one-line report. */
    public void assertReportedBy(Supplier<CommandLine> command) {
      assertOneLineMistake(run(command.get(), args.toArray(String[]::new)), named.toArray(String[]::new));
    }

    @Override
    public String toString() {
      return what;
    }
  }

  /** Executes {@code args} on {@code line}, capturing its out and err writers. */
  public static Outcome run(CommandLine line, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int code = line.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  /**
   * Asserts that {@code outcome} is a user's mistake reported as promised: exit code 2, exactly one line on stderr
   * that contains every one of {@code named} (the problem, the file, the key ...), and no stack trace.
   */
  public static void assertOneLineMistake(Outcome outcome, String... named) {
    assertThat(outcome.exitCode()).as("exit code; stderr: %s", outcome.err()).isEqualTo(CommandErrors.USER_ERROR);
    assertThat(outcome.errLines()).as("stderr lines").hasSize(1);
    assertThat(outcome.err()).contains(named).doesNotContain("Exception", "\tat ");
  }

  /** Asserts that {@code outcome} (run with --verbose) printed a stack trace and still exited with code 2. */
  public static void assertVerboseTrace(Outcome outcome) {
    assertThat(outcome.exitCode()).as("exit code; stderr: %s", outcome.err()).isEqualTo(CommandErrors.USER_ERROR);
    assertThat(outcome.err()).contains("\tat ");
  }

  /** A local port nothing listens on: where an unreachable broker is. */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
