package io.depthstream.connect.record;

import static io.depthstream.cli.CommandMistakes.closedPort;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import io.depthstream.connect.runner.KafkaClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code depthstream record}'s user mistakes: one line naming the problem, exit code 2, no stack trace. */
class RecordCommandMistakesTest extends CommandMistakesContract {
  @TempDir
  static Path tmp;

  /** A recording of one topic from a port nothing listens on, with {@code more}. */
  private static List<String> recordLidar(String... more) {
    List<String> args = new ArrayList<>(List.of("-t", "depth.raw.lidar", "-o", tmp.resolve("drive.mcap").toString(),
        "--bootstrap-servers", "127.0.0.1:" + closedPort(), "--connect-timeout", "1"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", recordLidar("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("missing option", List.of("-t", "depth.raw.lidar"), "Missing required option", "--out"),
        Mistake.of("bad duration", recordLidar("--duration", "soon"), "--duration", "soon", "20s"),
        Mistake.of("unknown value type", recordLidar("--type", "depth.raw.lidar=Frames"),
            "unknown value type 'Frames'", "DepthFrame", "bytes"),
        Mistake.of("no brokers", List.of("-t", "depth.raw.lidar", "-o", "x.mcap"), "no Kafka brokers",
            "--bootstrap-servers"),
        Mistake.of("unreachable broker", recordLidar(), "no Kafka broker answered at bootstrap.servers 127.0.0.1:",
            "--connect-timeout"));
  }

  @Override
  protected CommandLine commandLine() {
    return KafkaClientOptions.commandLine(new RecordCommand());
  }

  @Override
  protected List<String> aMistake() {
    return recordLidar();
  }
}
