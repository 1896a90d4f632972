package io.depthstream.streams.fault;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real three-broker KRaft cluster (one separate controller) inside this JVM, replicated as a production
 * cluster is: replication factor 3 and {@code min.insync.replicas} 2 for every topic, the internal consumer-offset
 * and transaction topics included, so one broker can be down without losing an acknowledged write or blocking
 * a transaction.
 */
final class FaultCluster implements AutoCloseable {
  static final int BROKERS = 3;

  private final KafkaClusterTestKit kit;
  private final Admin admin;
  private boolean closed;

  private FaultCluster(KafkaClusterTestKit kit) {
    this.kit = kit;
    this.admin = kit.admin();
  }

  static FaultCluster start() throws Exception {
    // Kafka's broker code ends the JVM through Exit on a fatal error; in a test JVM that would end every test with
    // nothing but "the forked VM terminated" (seen once, unexplained). Throw instead, so the cause is reported.
    org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) -> {
      throw new IllegalStateException("Kafka called Exit.exit(" + code + "): " + message);
    });
    org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) -> {
      throw new IllegalStateException("Kafka called Exit.halt(" + code + "): " + message);
    });
    // The test kit defaults to the newest, unstable metadata version and enables no other feature; a cluster users
    // format with kafka-storage has the latest production metadata version and every production feature at its
    // latest production level (transaction.version 2, group.version 1, streams.version 1 for group.protocol=streams).
    Map<String, Short> features = new java.util.HashMap<>();
    for (Feature f : Feature.PRODUCTION_FEATURES) {
      if (f != Feature.KRAFT_VERSION) {
        features.put(f.featureName(), f.latestProduction());
      }
    }
    TestKitNodes nodes = new TestKitNodes.Builder(
        BootstrapMetadata.fromVersions(MetadataVersion.LATEST_PRODUCTION, features, "depthstream fault tests"))
        .setNumBrokerNodes(BROKERS)
        .setNumControllerNodes(1)
        .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    Map.of(
        "default.replication.factor", "3",
        "min.insync.replicas", "2",
        "offsets.topic.replication.factor", "3",
        "offsets.topic.num.partitions", "3",
        "transaction.state.log.replication.factor", "3",
        "transaction.state.log.min.isr", "2",
        "transaction.state.log.num.partitions", "3",
        "group.initial.rebalance.delay.ms", "0",
        "auto.create.topics.enable", "false")
        .forEach(builder::setConfigProp);
    KafkaClusterTestKit kit = builder.build();
    try {
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return new FaultCluster(kit);
    } catch (Exception e) {
      kit.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /**
   * Creates topics with replication factor 3 and min.insync.replicas 2, and waits until every partition has a
   * leader and all three replicas in sync, so a test starts on a settled cluster.
   */
  void createTopics(Collection<String> names, int partitions) throws Exception {
    List<NewTopic> topics = names.stream()
        .map(n -> new NewTopic(n, partitions, (short) BROKERS).configs(Map.of(
            "min.insync.replicas", "2", "max.message.bytes", Integer.toString(16 << 20))))
        .toList();
    admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    for (String name : names) {
      for (int p = 0; p < partitions; p++) {
        awaitLeader(name, p, -1, Duration.ofSeconds(30));
        awaitInSync(name, p, Duration.ofSeconds(30));
      }
    }
  }

  /** The broker id that leads {@code topic}'s {@code partition} now. */
  int leaderOf(String topic, int partition) throws Exception {
    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    TopicPartitionInfo info = d.partitions().get(partition);
    return info.leader() == null ? -1 : info.leader().id();
  }

  /**
   * Shuts the leader of {@code topic}'s partition down, waits until another broker leads it, and starts the old
   * leader again (same log directory, so it rejoins as a follower and catches up).
   *
   * @return the id of the broker that was bounced
   */
  int bounceLeader(String topic, int partition, Duration down) throws Exception {
    int leader = leaderOf(topic, partition);
    var broker = kit.brokers().get(leader);
    broker.shutdown();
    broker.awaitShutdown();
    awaitLeader(topic, partition, leader, Duration.ofSeconds(30));
    Thread.sleep(down.toMillis());
    broker.startup();
    awaitInSync(topic, partition, Duration.ofSeconds(60));
    return leader;
  }

  private void awaitLeader(String topic, int partition, int notBroker, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        int leader = leaderOf(topic, partition);
        if (leader >= 0 && leader != notBroker) {
          return;
        }
      } catch (Exception e) {
        // metadata not there yet: ask again
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(topic + "-" + partition + " has no leader other than " + notBroker
        + " after " + timeout);
  }

  private void awaitInSync(String topic, int partition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(topic);
        if (d.partitions().get(partition).isr().size() == BROKERS) {
          return;
        }
      } catch (ExecutionException e) {
        // Right after creation the broker asked may not have the topic's metadata yet (UnknownTopicOrPartition,
        // seen once in a fresh-clone run): ask again, as awaitLeader does.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(topic + "-" + partition + " not fully in sync after " + timeout);
  }

  /** Closes the cluster once; the test kit's own close throws when called twice. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    admin.close();
    kit.close();
  }
}
