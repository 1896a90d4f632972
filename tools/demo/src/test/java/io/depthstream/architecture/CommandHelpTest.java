package io.depthstream.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command of every module (each class annotated {@link Command}; the demo module sees them all) explains
 * itself: every option and positional parameter has a description, every description of an option with a fixed
 * set of values lists them, and every command accepts {@code --verbose} (the stack trace of an error, which it
 * otherwise reports as one line: {@code CommandErrors}).
 */
class CommandHelpTest {
  static List<Class<?>> commands() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ArchitectureTest.NO_TEST_JARS)
        .importPackages("io.depthstream").stream()
        .filter(c -> c.isAnnotatedWith(Command.class))
        .sorted(Comparator.comparing(JavaClass::getName))
        .<Class<?>>map(JavaClass::reflect)
        .toList();
  }

  @Test
  void everyCommandOfTheLauncherIsWalked() {
    assertThat(commands()).extracting(Class::getSimpleName).contains("StreamApp", "DemoCommand", "EvaluateCommand",
        "SweepCommand", "MethodBench", "InferenceBench", "NodeBenchCommand", "ExportShardsCommand", "SourceRunner",
        "RecordCommand",
        "PlayCommand", "ConnectorBench");
  }

  /** The command's spec and its subcommands' (none today, but a new one is walked too). */
  private static Stream<CommandSpec> specs(Class<?> command) {
    List<CommandSpec> all = new ArrayList<>();
    collect(new CommandLine(command).getCommandSpec(), all);
    return all.stream();
  }

  private static void collect(CommandSpec spec, List<CommandSpec> into) {
    into.add(spec);
    spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), into));
  }

  private static Stream<ArgSpec> args(CommandSpec spec) {
    return Stream.concat(spec.options().stream(), spec.positionalParameters().stream());
  }

  private static String name(ArgSpec arg) {
    return arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
  }

  private static String description(ArgSpec arg) {
    return String.join(" ", arg.description()).strip();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyOptionAndParameterHasADescription(Class<?> command) {
    List<String> undescribed = specs(command).flatMap(spec -> args(spec)
        .filter(arg -> description(arg).isEmpty())
        .map(arg -> spec.qualifiedName() + " " + name(arg))).toList();
    assertThat(undescribed).as("options and parameters without a description").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyCommandAcceptsVerbose(Class<?> command) {
    assertThat(specs(command)).allSatisfy(spec -> assertThat(spec.findOption("--verbose"))
        .as("%s --verbose", spec.qualifiedName()).isNotNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyDescriptionListsTheValuesItsOptionAccepts(Class<?> command) {
    List<String> unlisted = new ArrayList<>();
    specs(command).forEach(spec -> args(spec).forEach(arg -> {
      Iterable<String> values = arg.completionCandidates();
      if (values != null && !arg.type().equals(boolean.class) && !arg.type().equals(Boolean.class)) {
        String listed = description(arg).toLowerCase(Locale.ROOT); // enum values are accepted in any case
        for (String value : values) {
          if (!listed.contains(value.toLowerCase(Locale.ROOT))) {
            unlisted.add(spec.qualifiedName() + " " + name(arg) + " does not list " + value);
          }
        }
      }
    }));
    assertThat(unlisted).isEmpty();
  }
}
