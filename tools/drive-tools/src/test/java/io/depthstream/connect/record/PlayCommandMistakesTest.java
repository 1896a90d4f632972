package io.depthstream.connect.record;

import static io.depthstream.cli.CommandMistakes.closedPort;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import io.depthstream.connect.runner.KafkaClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code depthstream play}'s user mistakes: one line naming the problem, exit code 2, no stack trace. */
class PlayCommandMistakesTest extends CommandMistakesContract {
  @TempDir
  static Path tmp;

  /** A replay of a file that exists into a port nothing listens on, with {@code more}. */
  private static List<String> playFile(String... more) {
    Path recording;
    try {
      recording = Files.write(tmp.resolve("drive.mcap"), new byte[] {1, 2, 3});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of(recording.toString(), "--bootstrap-servers",
        "127.0.0.1:" + closedPort(), "--connect-timeout", "1"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", playFile("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("missing recording argument", List.of("--rate", "2"), "Missing required parameter",
            "try --help"),
        Mistake.of("missing recording", List.of("no/such.mcap", "--bootstrap-servers", "127.0.0.1:1"),
            "no such file or directory", "no/such.mcap"),
        Mistake.of("bad rate", playFile("--rate", "fast"), "--rate", "fast", "positive number or 'max'"),
        Mistake.of("bad start", playFile("--start", "-5s"), "--start", "-5s", "negative"),
        Mistake.of("unreachable broker", playFile(), "no Kafka broker answered at bootstrap.servers 127.0.0.1:",
            "--connect-timeout"));
  }

  @Override
  protected CommandLine commandLine() {
    return KafkaClientOptions.commandLine(new PlayCommand());
  }

  @Override
  protected List<String> aMistake() {
    return playFile();
  }
}
