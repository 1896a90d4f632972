package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The start-up check without a broker: what it passes to its Admin client, and a cluster that never answers. */
class ClusterCheckTest {
  @Test
  void adminSettingsAreTheClientKeysPlusAdminPrefixedOnes() {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", "kafka-1:9093");
    kafka.put("security.protocol", "SASL_SSL");
    kafka.put("ssl.truststore.location", "/etc/ca.p12");
    kafka.put("application.id", "depthstream"); // a Streams key: an Admin client would warn about it
    kafka.put("producer.linger.ms", "0");
    kafka.put("admin.request.timeout.ms", "1234");

    Properties admin = ClusterCheck.adminProperties(kafka);

    assertThat(admin).containsOnlyKeys("bootstrap.servers", "security.protocol", "ssl.truststore.location",
        "request.timeout.ms");
    assertThat(admin).containsEntry("request.timeout.ms", "1234");
  }

  @Test
  void userIsTakenFromTheJaasLineAndNothingElseOfIt() {
    Properties props = new Properties();
    props.put("sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"robot-7\" password=\"s3cret\";");
    assertThat(ClusterCheck.user(props)).isEqualTo("\"robot-7\"");
    props.remove("sasl.jaas.config");
    assertThat(ClusterCheck.user(props)).isEqualTo("(no sasl.jaas.config)");
  }

  @Test
  void clusterThatNeverAnswersFailsAfterTheTimeoutNamingServersAndKey() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      closedPort = socket.getLocalPort();
    }
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "127.0.0.1:" + closedPort);
    props.put("application.id", "check-test");
    props.put(NodeConfig.STARTUP_CHECK_TIMEOUT_MS, "1000");
    NodeConfig config = NodeConfig.from(props);

    long start = System.nanoTime();
    assertThatThrownBy(() -> ClusterCheck.verify(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("no Kafka broker answered at bootstrap.servers 127.0.0.1:" + closedPort
            + " within 1000 ms (security.protocol PLAINTEXT)")
        .hasMessageContaining(NodeConfig.STARTUP_CHECK_TIMEOUT_MS);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void refusalsAreFoundInTheCauseChainOtherFailuresAreNot() {
    var denied = new org.apache.kafka.common.errors.TopicAuthorizationException(java.util.Set.of("nav.guidance"));
    var wrapped = new org.apache.kafka.streams.errors.StreamsException("task failed",
        new org.apache.kafka.common.KafkaException("send failed", denied));
    assertThat(ClusterCheck.accessRefused(wrapped)).isSameAs(denied);
    assertThat(ClusterCheck.accessRefused(new org.apache.kafka.streams.errors.StreamsException("task failed",
        new org.apache.kafka.common.errors.TimeoutException("slow broker")))).isNull();

    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "kafka-1:9093");
    props.put("application.id", "check-test");
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
        + "username=\"depthstream-node\" password=\"s3cret\";");
    assertThat(ClusterCheck.refusedAfterStart(NodeConfig.from(props), denied))
        .isEqualTo("the cluster at bootstrap.servers kafka-1:9093 refused user \"depthstream-node\": Not authorized "
            + "to access topics: [nav.guidance]. The node's ACLs are listed in README.md, \"Security\".");
  }

  @Test
  void missingTrustStoreFailsBeforeConnecting() {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "127.0.0.1:1");
    props.put("application.id", "check-test");
    props.put("security.protocol", "SSL");
    props.put("ssl.truststore.location", "/nonexistent/truststore.p12");
    props.put("ssl.truststore.password", "x");
    NodeConfig config = NodeConfig.from(props);
    assertThatThrownBy(() -> ClusterCheck.verify(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("the Kafka client settings were refused before connecting to bootstrap.servers "
            + "127.0.0.1:1: ")
        .hasMessageContaining("/nonexistent/truststore.p12")
        .hasMessageEndingWith("Check ssl.truststore.location.");
  }

  @Test
  void zeroTimeoutSkipsTheCheck() {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "127.0.0.1:1"); // nothing there: the check would fail if it ran
    props.put("application.id", "check-test");
    props.put(NodeConfig.STARTUP_CHECK_TIMEOUT_MS, "0");
    NodeConfig config = NodeConfig.from(props);
    assertThatCode(() -> ClusterCheck.verify(config)).doesNotThrowAnyException();
  }
}
