package io.depthstream.demo;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import io.depthstream.streams.config.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** {@code depthstream bench-node}'s user mistakes, each found before the first method is timed. */
class NodeBenchCommandMistakesTest extends CommandMistakesContract {
  private static final Path ROOT = Path.of(System.getProperty("depthstream.root", "../.."));

  private static List<String> bench(String... more) {
    List<String> args = new ArrayList<>(List.of("--config", ROOT.resolve("config/depthstream.properties").toString(),
        "--set", NodeConfig.MODELS_DIR + "=" + ROOT.resolve("models"), "--out", "target/bench-node-mistakes"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", bench("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("unknown model", bench("--fast", "fast_interp_x5"), "fast_interp_x5", "depth methods: ",
            "fast_interp_x4"),
        Mistake.of("no timed runs", bench("--runs", "0"), "--runs", "try --help"),
        Mistake.of("bad duration", bench("--e2e-duration", "soon"), "--e2e-duration", "soon"),
        Mistake.of("missing node launcher", bench("--parts", "restart", "--node-launcher", "no/such/depthstream-node"),
            "--node-launcher", "no/such/depthstream-node", "not an executable file"),
        Mistake.of("restart windows", bench("--parts", "restart", "--e2e-duration", "10s", "--e2e-warm-up", "10s"),
            "--restart-after", "--e2e-duration"),
        Mistake.of("missing configuration file", List.of("-c", "no/such.properties"), "configuration error",
            "no/such.properties", "does not exist"),
        Mistake.of("bad value", bench("--set", "depthstream.inference.threads.intra=many"), "configuration error",
            "depthstream.inference.threads.intra", "many"));
  }

  @Override
  protected CommandLine commandLine() {
    return NodeBenchCommand.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return bench("--fast", "fast_interp_x5");
  }
}
