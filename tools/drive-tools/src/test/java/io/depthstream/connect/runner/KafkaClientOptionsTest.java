package io.depthstream.connect.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The Kafka connection options of source, record and play: precedence and the errors that name the option. */
class KafkaClientOptionsTest {
  @Command(name = "probe")
  static final class Probe {
    @Mixin
    KafkaClientOptions kafka;
  }

  private static KafkaClientOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.kafka;
  }

  @Test
  void fileThenClientOptionsThenBootstrapServersOverTheCommandDefaults(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"), """
        bootstrap.servers=from-file:9093
        security.protocol=SASL_SSL
        sasl.mechanism=SCRAM-SHA-512
        acks=1
        """);
    Map<String, Object> props = parse("--client-config", file.toString(), "--client", "sasl.mechanism=PLAIN",
        "--bootstrap-servers", "from-option:9093", "--connect-timeout", "0")
        .clientProperties(Map.of("acks", "all", "linger.ms", 0));

    assertThat(props).containsEntry("bootstrap.servers", "from-option:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("acks", "1")
        .containsEntry("linger.ms", 0);
  }

  @Test
  void bootstrapServersMayComeFromTheFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=from-file:9093\n");
    assertThat(parse("--client-config", file.toString(), "--connect-timeout", "0").clientProperties(Map.of()))
        .containsEntry("bootstrap.servers", "from-file:9093");
  }

  @Test
  void unreadableFileAndMissingServersNameTheOption(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> parse("--client-config", missing.toString()).clientProperties(Map.of()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--client-config")
        .hasMessageContaining("nope.properties");
    assertThatThrownBy(() -> parse().clientProperties(Map.of()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--bootstrap-servers");
  }
}
