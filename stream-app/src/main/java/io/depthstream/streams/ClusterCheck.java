package io.depthstream.streams;

import io.depthstream.streams.config.NodeConfig;
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
import org.apache.kafka.streams.StreamsConfig;

/**
 * The node's start-up check of its connection to the cluster: one Admin {@code describeCluster} with the node's
 * own client settings ({@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, and
 * {@code admin.}-prefixed overrides) before the topology starts.
 *
 * <p>Why: once started, Kafka Streams treats a refused login like any other connection trouble and its threads
 * retry (or die and are replaced) with the reason buried in the log; a robot's operator should instead see one
 * line that says what is wrong. The failures are translated into a {@link ConfigException} (a setting is wrong)
 * whose message names the user, the servers and the keys to check, never a password.
 *
 * <p>It also recognises the refusals that can only show after start-up (a missing ACL), for the node to stop on
 * them with one line instead of replacing a stream thread that would be refused again.
 */
final class ClusterCheck {
  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  private ClusterCheck() {}

  /**
   * Connects once and returns when the cluster answered; does nothing when
   * {@value NodeConfig#STARTUP_CHECK_TIMEOUT_MS} is 0.
   *
   * @throws ConfigException when the client settings are refused by the client itself, authentication or the
   *     TLS handshake fails, or no broker answers within the timeout
   */
  static void verify(NodeConfig config) {
    long timeoutMs = config.getLong(NodeConfig.STARTUP_CHECK_TIMEOUT_MS);
    if (timeoutMs == 0) {
      return;
    }
    Properties props = adminProperties(config.kafkaProperties());
    // Kafka's client logs the refused connection itself; this id says in that line which client it was.
    String applicationId = config.kafkaProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "depthstream");
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, applicationId + "-startup-check");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
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
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(timeoutMs, Integer.MAX_VALUE)))
          .clusterId().get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw translate(e.getCause(), props, servers, timeoutMs);
    } catch (TimeoutException e) {
      throw translate(e, props, servers, timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + servers, e);
    }
  }

  private static RuntimeException translate(Throwable cause, Properties props, String servers, long timeoutMs) {
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
          + "security.protocol matches the broker's listener (" + NodeConfig.STARTUP_CHECK_TIMEOUT_MS
          + " sets the wait).");
    }
    return new IllegalStateException("cannot reach the Kafka cluster at bootstrap.servers " + servers + ": "
        + cause, cause);
  }

  /**
   * The authorization or authentication failure in {@code e}'s cause chain, or null: what a stream thread dies of
   * when an ACL is missing (TopicAuthorizationException, GroupAuthorizationException, ...) or credentials were
   * revoked after start-up.
   */
  static Throwable accessRefused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
        return t;
      }
    }
    return null;
  }

  /** One line for a refusal after start-up: who was refused, by which servers, what, and where the ACLs are. */
  static String refusedAfterStart(NodeConfig config, Throwable refused) {
    Properties props = config.kafkaProperties();
    return "the cluster at bootstrap.servers " + props.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
        + " refused user " + user(props) + ": " + sentence(refused.getMessage()) + " The node's ACLs are listed in "
        + "README.md, \"Security\".";
  }

  /** The user name of a SCRAM/PLAIN {@code sasl.jaas.config}, or a description where it has none. */
  static String user(Properties props) {
    String jaas = props.getProperty(SaslConfigs.SASL_JAAS_CONFIG);
    if (jaas == null) {
      return "(no sasl.jaas.config)";
    }
    Matcher m = JAAS_USERNAME.matcher(jaas);
    return m.find() ? "\"" + m.group(1) + "\"" : "(sasl.jaas.config names no username)";
  }

  /**
   * The Admin client's settings from the node's Kafka settings: the keys an Admin client knows, then the
   * {@code admin.}-prefixed ones (as Kafka Streams applies them to its own Admin client).
   */
  static Properties adminProperties(Properties kafka) {
    Set<String> known = AdminClientConfig.configNames();
    Properties props = new Properties();
    for (String key : kafka.stringPropertyNames()) {
      if (known.contains(key)) {
        props.put(key, kafka.get(key));
      }
    }
    String prefix = StreamsConfig.ADMIN_CLIENT_PREFIX;
    for (Map.Entry<Object, Object> e : kafka.entrySet()) {
      String key = (String) e.getKey();
      if (key.startsWith(prefix)) {
        props.put(key.substring(prefix.length()), e.getValue());
      }
    }
    return props;
  }

  private static String sentence(String message) {
    return message == null ? "" : message.endsWith(".") ? message : message + ".";
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
    java.util.LinkedHashSet<String> messages = new java.util.LinkedHashSet<>();
    for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      messages.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    return messages.isEmpty() ? String.valueOf(e.getMessage()) : String.join(": ", messages);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
