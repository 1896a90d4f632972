package io.depthstream.streams;

import io.depthstream.proto.kafka.ClusterConnection;
import io.depthstream.streams.config.NodeConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The node's start-up check of its connection to the cluster: one Admin {@code describeCluster} with the node's
 * own client settings ({@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, and
 * {@code admin.}-prefixed overrides) before the topology starts ({@link ClusterConnection}).
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
    ClusterConnection.verify(props, timeoutMs, NodeConfig.STARTUP_CHECK_TIMEOUT_MS);
  }

  /**
   * The authorization or authentication failure in {@code e}'s cause chain, or null: what a stream thread dies of
   * when an ACL is missing (TopicAuthorizationException, GroupAuthorizationException, ...) or credentials were
   * revoked after start-up.
   */
  static Throwable accessRefused(Throwable e) {
    return ClusterConnection.accessRefused(e);
  }

  /** One line for a refusal after start-up: who was refused, by which servers, what, and where the ACLs are. */
  static String refusedAfterStart(NodeConfig config, Throwable refused) {
    Properties props = config.kafkaProperties();
    return "the cluster at bootstrap.servers " + props.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
        + " refused user " + user(props) + ": " + ClusterConnection.sentence(refused.getMessage())
        + " The node's ACLs are listed in README.md, \"Security\".";
  }

  /** The user name of a SCRAM/PLAIN {@code sasl.jaas.config}, or a description where it has none. */
  static String user(Properties props) {
    return ClusterConnection.user(props);
  }

  /**
   * The Admin client's settings from the node's Kafka settings: the keys an Admin client knows, then the
   * {@code admin.}-prefixed ones (as Kafka Streams applies them to its own Admin client).
   */
  static Properties adminProperties(Properties kafka) {
    Properties props = ClusterConnection.adminSettings(kafka);
    String prefix = StreamsConfig.ADMIN_CLIENT_PREFIX;
    for (Map.Entry<Object, Object> e : kafka.entrySet()) {
      String key = (String) e.getKey();
      if (key.startsWith(prefix)) {
        props.put(key.substring(prefix.length()), e.getValue());
      }
    }
    return props;
  }
}
