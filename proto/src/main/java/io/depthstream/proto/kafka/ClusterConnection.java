package io.depthstream.proto.kafka;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * One bounded check that a Kafka client's settings reach a cluster (an Admin {@code describeCluster}), shared by
 * the node's start-up check and the commands that talk to a cluster (source, record, play).
 *
 * <p>Why: Kafka's clients treat an unreachable cluster or a refused login like passing trouble and retry, a
 * producer for {@code max.block.ms} (60 s), Kafka Streams for ever, with the reason buried in the log. A person
 * should instead see one line that says what is wrong after a few seconds. The failures become a
 * {@link ConfigException} (a setting is wrong) whose message names the servers, the user and the keys to check,
 * never a password.
 */
public final class ClusterConnection {
  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  /**
   * The check's client id unless the caller names one. Ids ending in {@code -connection-check} or
   * {@code -startup-check} are the ones whose "could not be established" retry warnings the shipped log4j2
   * configuration drops: the check reports an unreachable cluster in one line of its own.
   */
  public static final String CLIENT_ID = "depthstream-connection-check";

  private ClusterConnection() {}

  /**
   * The settings of {@code client} that an Admin client knows ({@code bootstrap.servers}, {@code security.protocol},
   * {@code sasl.*}, {@code ssl.*}, ...); producer-, consumer- and Streams-only keys are left out.
   */
  public static Properties adminSettings(Map<?, ?> client) {
    Set<String> known = AdminClientConfig.configNames();
    Properties props = new Properties();
    client.forEach((k, v) -> {
      if (known.contains(String.valueOf(k)) && v != null) {
        props.put(String.valueOf(k), v);
      }
    });
    return props;
  }

  /**
   * Connects once with {@code adminSettings} and returns when the cluster answered within {@code timeoutMs}.
   *
   * @param timeoutSetting the setting or option that sets {@code timeoutMs}, named in the message of a timeout
   * @throws ConfigException when the client refuses its settings, authentication or the TLS handshake fails, or
   *     no broker answers within {@code timeoutMs}
   */
  public static void verify(Properties adminSettings, long timeoutMs, String timeoutSetting) {
    Properties props = new Properties();
    props.putAll(adminSettings);
    int timeout = (int) Math.min(timeoutMs, Integer.MAX_VALUE);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    String servers = props.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    Admin admin;
    try {
      admin = Admin.create(props);
    } catch (KafkaException e) {
      // e.g. a trust store that cannot be read; the top message is only "Failed to create new KafkaAdminClient"
      String message = causeMessages(e);
      throw new ConfigException("the Kafka client settings were refused before connecting to bootstrap.servers "
          + servers + ": " + sentence(message) + " Check " + keysNamedIn(message, props) + ".");
    }
    try (admin) {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).clusterId()
          .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw translate(e.getCause(), props, servers, timeoutMs, timeoutSetting);
    } catch (TimeoutException e) {
      throw translate(e, props, servers, timeoutMs, timeoutSetting);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + servers, e);
    }
  }

  private static RuntimeException translate(Throwable cause, Properties props, String servers, long timeoutMs,
      String timeoutSetting) {
    String protocol = props.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    if (cause instanceof SslAuthenticationException) {
      return new ConfigException("TLS handshake with bootstrap.servers " + servers + " failed: "
          + sentence(rootMessage(cause)) + " Check ssl.truststore.location / ssl.truststore.password (the CA that "
          + "signed the broker's certificate) and that the broker's certificate names the host in bootstrap.servers.");
    }
    if (cause instanceof AuthenticationException) { // SASL: wrong user name, password or mechanism
      return new ConfigException("authentication failed for user " + user(props) + " ("
          + props.getProperty(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM) + ") at "
          + "bootstrap.servers " + servers + ": " + sentence(cause.getMessage())
          + " Check sasl.jaas.config (user name and password) and sasl.mechanism.");
    }
    if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return new ConfigException("no Kafka broker answered at bootstrap.servers " + servers + " within "
          + timeoutMs + " ms (security.protocol " + protocol + "). Check bootstrap.servers and that "
          + "security.protocol matches the broker's listener (" + timeoutSetting + " sets the wait).");
    }
    return new IllegalStateException("cannot reach the Kafka cluster at bootstrap.servers " + servers + ": "
        + cause, cause);
  }

  /**
   * The authorization or authentication failure in {@code e}'s cause chain, or null: what a client fails with
   * when an ACL is missing (TopicAuthorizationException, GroupAuthorizationException, ...) or its credentials are
   * refused.
   */
  public static Throwable accessRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
        return t;
      }
    }
    return null;
  }

  /** The user name of a SCRAM/PLAIN {@code sasl.jaas.config} in {@code client}, or a description where it has none. */
  public static String user(Map<?, ?> client) {
    Object jaas = client.get(SaslConfigs.SASL_JAAS_CONFIG);
    if (jaas == null) {
      return "(no sasl.jaas.config)";
    }
    Matcher m = JAAS_USERNAME.matcher(jaas.toString());
    return m.find() ? "\"" + m.group(1) + "\"" : "(sasl.jaas.config names no username)";
  }

  /** {@code message} ending in a full stop. */
  public static String sentence(String message) {
    return message == null ? "" : message.endsWith(".") ? message : message + ".";
  }

  /** The message of the innermost cause of {@code e}. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /**
   * The ssl.* and sasl.* keys whose value (a file, a class) the client's message quotes, e.g.
   * {@code ssl.truststore.location} for a trust store that cannot be read; else those settings in general.
   */
  static String keysNamedIn(String message, Properties props) {
    List<String> keys = props.stringPropertyNames().stream()
        .filter(k -> (k.startsWith("ssl.") || k.startsWith("sasl.")) && !k.contains("password"))
        .filter(k -> !props.getProperty(k).isBlank() && message.contains(props.getProperty(k)))
        .sorted()
        .toList();
    return keys.isEmpty() ? "the ssl.* and sasl.* settings" : String.join(", ", keys);
  }

  /** The messages of {@code e}'s causes, outermost first, each once. */
  private static String causeMessages(Throwable e) {
    LinkedHashSet<String> messages = new LinkedHashSet<>();
    for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      messages.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return messages.isEmpty() ? String.valueOf(e.getMessage()) : String.join(": ", messages);
  }
}
