package io.depthstream.streams;

import static io.depthstream.cli.CommandMistakes.closedPort;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import io.depthstream.streams.config.NodeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code depthstream node}'s user mistakes, run in-process as its main runs them: each is one line on stderr naming
 * the problem (the option, the file, the key, the servers), exit code 2, no stack trace.
 */
class StreamAppMistakesTest extends CommandMistakesContract {
  /** Settings that pass every check but the one a case breaks: classical methods, no focal stacks, no metrics. */
  private static List<String> args(String... more) {
    List<String> args = new ArrayList<>(List.of("--set", "application.id=mistakes", "--set",
        "bootstrap.servers=127.0.0.1:" + closedPort(), "--set", NodeConfig.STARTUP_CHECK_TIMEOUT_MS + "=1000",
        "--set", NodeConfig.METHOD_FOCAL + "=" + NodeConfig.METHOD_NONE, "--set", NodeConfig.METRICS_PORT + "=0"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", List.of("--colour", "red"), "Unknown option", "--colour", "try --help"),
        Mistake.of("missing configuration file", List.of("-c", "no/such.properties"),
            "configuration error", "no/such.properties", "does not exist"),
        Mistake.of("unknown method", args("--set", NodeConfig.METHOD_LIDAR + "=cubic"),
            "configuration error", NodeConfig.METHOD_LIDAR, "cubic", "depth methods: ", "nearest-fill"),
        Mistake.of("unknown overload method", args("--set", NodeConfig.REALTIME_OVERLOAD_MS + "=50", "--set",
            NodeConfig.REALTIME_OVERLOAD_METHOD + "=cubic"), "configuration error",
            NodeConfig.REALTIME_OVERLOAD_METHOD, "cubic", "depth methods: "),
        Mistake.of("bad value", args("--set", "depthstream.realtime.budget.ms=soon"),
            "configuration error", "depthstream.realtime.budget.ms", "soon"),
        Mistake.of("unknown key", args("--set", "depthstream.realtime.budjet.ms=10"),
            "configuration error", "depthstream.realtime.budjet.ms"),
        Mistake.of("malformed override", args("--set", "no-equals-sign"),
            "configuration error", "no-equals-sign", "key=value"),
        Mistake.of("unreachable broker", args(),
            "configuration error", "no Kafka broker answered at bootstrap.servers 127.0.0.1:", "1000 ms"));
  }

  @Override
  protected CommandLine commandLine() {
    return StreamApp.commandLine();
  }

  @Override
  protected List<String> aMistake() {
    return args("--set", NodeConfig.METHOD_LIDAR + "=cubic");
  }
}
