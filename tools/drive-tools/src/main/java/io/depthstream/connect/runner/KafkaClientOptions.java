package io.depthstream.connect.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

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

  /** What {@link #clientProperties} returned last: the servers and user that a refusal message names. */
  private Map<String, Object> used = Map.of();

  /**
   * A command line for {@code command} (which mixes these options in) that prints a refused login, an untrusted
   * certificate or a missing ACL as one line naming the servers, the user and the settings to check, with exit
   * code 2, instead of a stack trace.
   */
  public static CommandLine commandLine(Object command) {
    return new CommandLine(command).setExecutionExceptionHandler(KafkaClientOptions::refusal);
  }

  private static int refusal(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
    Throwable refused = null;
    for (Throwable t = e; t != null && refused == null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        refused = t;
      }
    }
    KafkaClientOptions options = cmd.getCommandSpec().mixins().values().stream()
        .map(CommandSpec::userObject).filter(KafkaClientOptions.class::isInstance)
        .map(KafkaClientOptions.class::cast).findFirst().orElse(null);
    if (refused == null || options == null) {
      throw e;
    }
    cmd.getErr().println(refusalMessage(refused, options.used));
    return 2;
  }

  /** One line for a refusal by the cluster; never the password. */
  static String refusalMessage(Throwable refused, Map<String, Object> props) {
    String servers = "bootstrap.servers " + props.get("bootstrap.servers");
    String user = user(props.get("sasl.jaas.config"));
    if (refused instanceof SslAuthenticationException) {
      Throwable root = refused;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return "TLS handshake with " + servers + " failed: " + root.getMessage() + ". Check ssl.truststore.location "
          + "and ssl.truststore.password (the CA that signed the broker's certificate).";
    }
    if (refused instanceof AuthenticationException) {
      return "authentication failed for user " + user + " at " + servers + ": " + refused.getMessage()
          + ". Check sasl.jaas.config and sasl.mechanism.";
    }
    return "not authorized at " + servers + " as user " + user + ": " + refused.getMessage()
        + ". The ACLs each tool needs are in README.md, \"Security\".";
  }

  private static String user(Object jaas) {
    if (jaas == null) {
      return "(no sasl.jaas.config)";
    }
    Matcher m = JAAS_USERNAME.matcher(jaas.toString());
    return m.find() ? "\"" + m.group(1) + "\"" : "(sasl.jaas.config names no username)";
  }

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
    used = Map.copyOf(props);
    return props;
  }
}
