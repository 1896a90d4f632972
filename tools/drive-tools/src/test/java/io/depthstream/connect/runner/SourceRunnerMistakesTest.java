package io.depthstream.connect.runner;

import static io.depthstream.cli.CommandMistakes.closedPort;

import io.depthstream.cli.CommandMistakes.Mistake;
import io.depthstream.cli.CommandMistakesContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code depthstream source}'s user mistakes: one line naming the problem, exit code 2, no stack trace. */
class SourceRunnerMistakesTest extends CommandMistakesContract {
  @TempDir
  static Path tmp;

  /** A LiDAR source of a valid configuration, against a port nothing listens on, with {@code more}. */
  private static List<String> lidar(String... more) {
    return source("lidar", more);
  }

  /** A source of kind {@code kind} with the LiDAR configuration, against a port nothing listens on. */
  private static List<String> source(String kind, String... more) {
    Path config;
    try {
      config = Files.writeString(tmp.resolve("lidar.properties"), """
          input.dir=%s
          sensor.id=lidar-front
          topic=depth.raw.lidar
          lidar.format=kitti-bin
          calib.file=%s
          image.width=1242
          image.height=375
          """.formatted(tmp, tmp.resolve("calib.txt")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = new ArrayList<>(List.of("--source", kind, "-c", config.toString(), "--offsets",
        tmp.resolve("offsets").toString(), "--bootstrap-servers", "127.0.0.1:" + closedPort(),
        "--connect-timeout", "1"));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        Mistake.of("unknown flag", lidar("--colour"), "Unknown option", "--colour", "try --help"),
        Mistake.of("missing option", List.of("--source", "lidar"), "Missing required option", "--config"),
        Mistake.of("unknown source", source("sonar"), "unknown source 'sonar'", "lidar, rgbd, vslam"),
        Mistake.of("missing connector file", List.of("--source", "lidar", "-c", "no/such.properties"),
            "no such file or directory", "no/such.properties"),
        Mistake.of("bad connector setting", lidar("--set", "image.width=wide"), "image.width", "wide"),
        Mistake.of("missing client config", lidar("--client-config", "no/such-client.properties"),
            "--client-config", "no such file or directory", "no/such-client.properties", "try --help"),
        Mistake.of("bad connect timeout", lidar("--connect-timeout", "soon"), "--connect-timeout", "soon"),
        Mistake.of("unreachable broker", lidar(), "no Kafka broker answered at bootstrap.servers 127.0.0.1:",
            "within 1000 ms", "--connect-timeout"));
  }

  @Override
  protected CommandLine commandLine() {
    return KafkaClientOptions.commandLine(new SourceRunner());
  }

  @Override
  protected List<String> aMistake() {
    return lidar();
  }
}
