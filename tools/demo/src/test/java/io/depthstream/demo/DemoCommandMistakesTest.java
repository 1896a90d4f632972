package io.depthstream.demo;

import static io.depthstream.cli.CommandMistakes.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakes.Outcome;
import io.depthstream.cli.CommandMistakesContract;
import io.depthstream.streams.config.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code depthstream demo}'s user mistakes: each is one line naming the problem and exit code 2, found before the
 * broker starts or a frame is rendered.
 */
class DemoCommandMistakesTest extends CommandMistakesContract {
  private static final Path ROOT = Path.of(System.getProperty("depthstream.root", "../.."));

  /** The example configuration and the shipped models, as from the repository root, then {@code more}. */
  private static List<String> demo(String... more) {
    List<String> args = new ArrayList<>(List.of("--config", ROOT.resolve("config/depthstream.properties").toString(),
        "--set", NodeConfig.MODELS_DIR + "=" + ROOT.resolve("models"), "--set", NodeConfig.METRICS_PORT + "=0"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", demo("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("misspelt flag", demo("--durration", "20s"), "--durration", "did you mean --duration"),
        Mistake.of("bad duration", demo("--duration", "soon"), "--duration", "soon", "20s"),
        Mistake.of("zero duration", demo("--duration", "0s"), "--duration must be positive", "try --help"),
        Mistake.of("bad lidar size", demo("--lidar-size", "1242"), "--lidar-size", "WIDTHxHEIGHT", "'1242'"),
        Mistake.of("bad replay rate", demo("--replay-rate", "fast"), "--replay-rate", "fast"),
        Mistake.of("no sensor", demo("--lidar-hz", "0", "--rgbd-hz", "0", "--vslam-hz", "0"),
            "every sensor rate is 0"),
        Mistake.of("missing configuration file", List.of("-c", "no/such.properties"), "configuration error",
            "no/such.properties", "does not exist"),
        Mistake.of("missing recording", demo("--replay", "no/such.mcap"), "no such file or directory",
            "no/such.mcap"),
        Mistake.of("unknown method", demo("--set", NodeConfig.METHOD_LIDAR + "=cubic"), "configuration error",
            NodeConfig.METHOD_LIDAR, "cubic", "fast_interp_x4", "nearest-fill"),
        Mistake.of("unknown focal-stack method", demo("--set", NodeConfig.METHOD_FOCAL + "=blur"),
            "configuration error", NodeConfig.METHOD_FOCAL, "blur", "depth-from-focus"),
        Mistake.of("bad value", demo("--set", "depthstream.realtime.budget.ms=soon"), "configuration error",
            "depthstream.realtime.budget.ms", "soon"),
        Mistake.of("unknown key", demo("--set", "depthstream.realtime.budjet.ms=10"), "configuration error",
            "depthstream.realtime.budjet.ms"));
  }

  @Test
  void aBadNodeSettingIsFoundBeforeTheBrokerStarts() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Outcome outcome;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      outcome = run(commandLine(), demo("--set", NodeConfig.METHOD_VSLAM + "=cubic").toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains(NodeConfig.METHOD_VSLAM);
    assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("embedded Kafka broker", "rendering");
  }

  @Override
  protected CommandLine commandLine() {
    return DemoCommand.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return demo("--set", NodeConfig.METHOD_LIDAR + "=cubic");
  }
}
