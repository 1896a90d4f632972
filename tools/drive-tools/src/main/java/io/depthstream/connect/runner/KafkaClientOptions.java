package io.depthstream.connect.runner;

import io.depthstream.cli.CommandErrors;
import io.depthstream.proto.kafka.ClusterConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
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
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "the Kafka brokers (or bootstrap.servers in --client-config)")
  String bootstrapServers;

  @Option(names = "--client-config", paramLabel = "FILE", description = "Kafka client properties file: security.protocol, sasl.mechanism, sasl.jaas.config, "
      + "ssl.truststore.location, ssl.truststore.password, ... (see config/client-sasl-ssl.properties). Keeps "
      + "passwords off the command line.")
  Path clientConfig;

  @Option(names = "--client", paramLabel = "KEY=VALUE", description = "a Kafka client setting, repeatable; wins over --client-config")
  Map<String, String> clientSettings = new LinkedHashMap<>();

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10", description = "how long to wait for the cluster to answer before giving up with one line naming the "
      + "bootstrap servers; 0 = do not check, let the Kafka client wait (default: ${DEFAULT-VALUE})")
  double connectTimeoutSeconds;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** What {@link #clientProperties} returned last: the servers and user that a refusal message names. */
  private Map<String, Object> used = Map.of();

  /**
   * A command line for {@code command} (which mixes these options in) with the commands' error reporting
   * ({@link CommandErrors}): an unreachable cluster, a refused login, an untrusted certificate, a missing ACL or a
   * client setting the Kafka client rejects is one line naming the servers, the user and the settings to check,
   * with exit code 2, instead of a stack trace.
   */
  public static CommandLine commandLine(Object command) {
    CommandLine line = new CommandLine(command);
    KafkaClientOptions options = line.getCommandSpec().mixins().values().stream()
        .map(CommandSpec::userObject).filter(KafkaClientOptions.class::isInstance)
        .map(KafkaClientOptions.class::cast).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(command + " does not mix in KafkaClientOptions"));
    return CommandErrors.install(line, options::userError);
  }

  /** The one line for a failure that the cluster or the client settings caused, or null for any other. */
  private String userError(Throwable t) {
    if (t instanceof ConfigException) { // the connection check, or a client setting the client refused
      return t.getMessage();
    }
    if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
      return refusalMessage(t, used);
    }
    return null;
  }

  /** One line for a refusal by the cluster; never the password. */
  static String refusalMessage(Throwable refused, Map<String, Object> props) {
    String servers = "bootstrap.servers " + props.get("bootstrap.servers");
    String user = ClusterConnection.user(props);
    if (refused instanceof SslAuthenticationException) {
      return "TLS handshake with " + servers + " failed: " + ClusterConnection.rootMessage(refused)
          + ". Check ssl.truststore.location "
          + "and ssl.truststore.password (the CA that signed the broker's certificate).";
    }
    if (refused instanceof AuthenticationException) {
      return "authentication failed for user " + user + " at " + servers + ": " + refused.getMessage()
          + ". Check sasl.jaas.config and sasl.mechanism.";
    }
    return "not authorized at " + servers + " as user " + user + ": " + refused.getMessage()
        + ". The ACLs each tool needs are in README.md, \"Security\".";
  }

  /**
   * The client settings: {@code defaults} (the command's own), then the file, then {@code --client}, then
   * {@code --bootstrap-servers}; checked against the cluster (at most {@code --connect-timeout}) before they are
   * returned.
   *
   * @throws CommandLine.ParameterException when the file cannot be read or no bootstrap servers are given
   * @throws ConfigException when the cluster does not answer in time or refuses the settings
   */
  public Map<String, Object> clientProperties(Map<String, Object> defaults) {
    Map<String, Object> props = new HashMap<>(defaults);
    if (clientConfig != null) {
      Properties file = new Properties();
      try (InputStream in = Files.newInputStream(clientConfig)) {
        file.load(in);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(command.commandLine(),
            "--client-config: " + CommandErrors.fileProblem(e));
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
    if (!(connectTimeoutSeconds >= 0)) {
      throw new CommandLine.ParameterException(command.commandLine(),
          "--connect-timeout must be 0 or more seconds, got " + connectTimeoutSeconds);
    }
    used = Map.copyOf(props);
    if (connectTimeoutSeconds > 0) {
      ClusterConnection.verify(ClusterConnection.adminSettings(props), Math.round(connectTimeoutSeconds * 1000),
          "--connect-timeout");
    }
    return props;
  }
}
