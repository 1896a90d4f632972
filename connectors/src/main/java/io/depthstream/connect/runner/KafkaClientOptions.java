package io.depthstream.connect.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Kafka connection options shared by the source, record and play commands (a picocli mixin): where the
 * brokers are, and any client setting a secured cluster needs ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}), from a properties file and/or the command line. Precedence: the file, then {@code --client},
 * then {@code --bootstrap-servers}; the command's own settings (acks, idempotence, ...) are applied under them.
 */
public final class KafkaClientOptions {
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "the Kafka brokers (or bootstrap.servers in --client-config)")
  String bootstrapServers;

  @Option(names = "--client-config", paramLabel = "FILE",
      description = "Kafka client properties file: security.protocol, sasl.mechanism, sasl.jaas.config, "
          + "ssl.truststore.location, ssl.truststore.password, ... (see config/client-sasl-ssl.properties). Keeps "
          + "passwords off the command line.")
  Path clientConfig;

  @Option(names = "--client", paramLabel = "KEY=VALUE",
      description = "a Kafka client setting, repeatable; wins over --client-config")
  Map<String, String> clientSettings = new LinkedHashMap<>();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * The client settings: {@code defaults} (the command's own), then the file, then {@code --client}, then
   * {@code --bootstrap-servers}.
   *
   * @throws CommandLine.ParameterException when the file cannot be read or no bootstrap servers are given
   */
  public Map<String, Object> clientProperties(Map<String, Object> defaults) {
    Map<String, Object> props = new HashMap<>(defaults);
    if (clientConfig != null) {
      Properties file = new Properties();
      try (InputStream in = Files.newInputStream(clientConfig)) {
        file.load(in);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(command.commandLine(),
            "--client-config: cannot read " + clientConfig + ": " + e);
      }
      file.stringPropertyNames().forEach(k -> props.put(k, file.getProperty(k)));
    }
    props.putAll(clientSettings);
    if (bootstrapServers != null) {
      props.put("bootstrap.servers", bootstrapServers);
    }
    if (props.get("bootstrap.servers") == null) {
      throw new CommandLine.ParameterException(command.commandLine(),
          "no Kafka brokers: give --bootstrap-servers, or bootstrap.servers in --client-config");
    }
    return props;
  }
}
