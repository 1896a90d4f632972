package io.depthstream.cli;

import static io.depthstream.cli.CommandMistakes.assertOneLineMistake;
import static io.depthstream.cli.CommandMistakes.assertVerboseTrace;
import static io.depthstream.cli.CommandMistakes.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakes.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The shared error reporting on a small command that can fail every way a real one can. */
class CommandErrorsTest {
  /** Fails as {@code --fail} says, else reads {@code --file}. */
  @Command(name = "tiny", mixinStandardHelpOptions = true, description = "a command that fails on demand")
  static final class Tiny implements Callable<Integer> {
    @Option(names = "--duration", description = "a duration")
    String duration;

    @Option(names = "--count", description = "a number")
    int count;

    @Option(names = "--file", description = "a file to read")
    Path file;

    @Option(names = "--make-dir", description = "a directory to create")
    Path makeDir;

    @Option(names = "--fail", description = "bad-value, internal, kafka or none")
    String fail = "none";

    @Mixin
    CommandErrors.Verbose verbose;

    @Override
    public Integer call() throws Exception {
      switch (fail) {
        case "bad-value" -> throw new IllegalArgumentException("unknown method 'cubic'; known: nearest, bicubic");
        case "internal" -> throw new IllegalStateException("a bug");
        case "kafka" -> throw new RuntimeException("wrapper", new UnsupportedOperationException("key x is bad"));
        default -> {
          if (file != null) {
            Files.readAllBytes(file);
          }
          if (makeDir != null) {
            Files.createDirectories(makeDir);
          }
          return 0;
        }
      }
    }
  }

  private static CommandLine tiny() {
    return CommandErrors.commandLine(new Tiny(),
        t -> t instanceof UnsupportedOperationException ? "configuration error: " + t.getMessage() : null);
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", List.of("--colour", "red"), "Unknown option", "--colour", "try --help"),
        Mistake.of("misspelt flag", List.of("--durration", "2s"), "--durration", "did you mean --duration",
            "try --help"),
        Mistake.of("bad number", List.of("--count", "ten"), "--count", "ten", "try --help"),
        Mistake.of("missing value", List.of("--file"), "--file", "try --help"),
        Mistake.of("bad value", List.of("--fail", "bad-value"), "unknown method 'cubic'", "known: nearest, bicubic"),
        Mistake.of("missing file", List.of("--file", "no/such.bin"), "no such file", "no/such.bin"),
        Mistake.of("the command's own kind", List.of("--fail", "kafka"), "configuration error: key x is bad"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void aMistakeIsOneLineWithExitCode2(Mistake mistake) {
    mistake.assertReportedBy(CommandErrorsTest::tiny);
  }

  @Test
  void aFileInTheWayOfADirectoryIsAMistakeToo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertOneLineMistake(run(tiny(), "--make-dir", file.toString()), "already exists", file.toString());
  }

  @Test
  void verboseAddsTheStackTrace() {
    assertVerboseTrace(run(tiny(), "--fail", "bad-value", "--verbose"));
    assertVerboseTrace(run(tiny(), "--colour", "--verbose"));
  }

  @Test
  void aFailureOfTheProgramIsExitCode1AndOneLineSayingSo() {
    Outcome o = run(tiny(), "--fail", "internal");
    assertThat(o.exitCode()).isEqualTo(CommandErrors.INTERNAL_ERROR);
    assertThat(o.errLines()).singleElement().asString()
        .startsWith("internal error: java.lang.IllegalStateException: a bug").contains("--verbose")
        .doesNotContain("\tat ");
    assertThat(run(tiny(), "--fail", "internal", "--verbose").err()).contains("\tat ");
  }

  @Test
  void successIsUntouched() {
    Outcome o = run(tiny());
    assertThat(o.exitCode()).isZero();
    assertThat(o.err()).isEmpty();
  }

  @Test
  void aCommandWithoutVerboseIsRefused() {
    @Command(name = "bare")
    final class Bare implements Callable<Integer> {
      @Override
      public Integer call() {
        return 0;
      }
    }
    assertThatThrownBy(() -> CommandErrors.commandLine(new Bare())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--verbose");
  }

  @Test
  void messagesAreFoldedIntoOneLine() {
    assertThat(CommandErrors.oneLine("first\n  second\r\nthird ")).isEqualTo("first second third");
  }
}
