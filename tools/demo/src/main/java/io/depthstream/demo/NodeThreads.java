package io.depthstream.demo;

import io.depthstream.demo.ThreadCpu.Rule;
import io.depthstream.streams.config.NodeConfig;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Who each thread of a demo's JVM works for, by name: the node (its stream threads, the network threads of its
 * producers and consumers, its other threads), the embedded broker, the publisher feeding the raw topics, the
 * output monitor, the garbage collector and the JIT compilers. {@link ThreadCpu} rules, most specific first.
 */
final class NodeThreads {
  static final String STREAM = "node stream threads";
  static final String NODE_IO = "node producer/consumer I/O";
  static final String NODE_OTHER = "node, other threads";
  static final String BROKER = "broker";
  static final String PUBLISHER = "publisher";
  static final String MONITOR = "output monitor";
  static final String GC = "GC";
  static final String JIT = "JIT compiler";

  /** The groups whose CPU time is the node's own streaming cost. */
  static final String[] NODE = {STREAM, NODE_IO, NODE_OTHER};

  /** The client id the demo's publishing producer runs under, so its network thread is told from the node's. */
  static final String PUBLISHER_CLIENT_ID = "demo-publisher";

  /**
   * The threads of a KRaft broker-and-controller (Kafka 4.3's {@code KafkaRaftServer}): its network and request
   * handler threads, the Raft and controller threads, the coordinators, the log and the purgatories.
   */
  private static final String BROKER_THREADS =
      "^(data-plane-kafka|kafka-\\d+-raft|raft-|quorum-controller|controller-\\d+"
          + "|broker-\\d+|kafka-\\d+-metadata|ExpirationReaper|kafka-scheduler|LogDirFailureHandler|kafka-log-cleaner"
          + "|group-coordinator|share-coordinator|transaction-log-manager|TxnMarkerSenderThread"
          + "|AddPartitionsToTxnSenderThread|ThrottledChannelReaper|ReplicaFetcherThread|client-metrics|persister"
          + "|PersisterStateManager|metrics-meter-tick-thread|SensorExpiryThread|executor-|network-partition-metadata"
          + "|share-group-lock)";

  private NodeThreads() {}

  /**
   * The rules for a demo JVM running a node configured as {@code config}: Kafka Streams names its threads
   * {@code <client id>-StreamThread-N} and its clients' threads {@code kafka-...-thread | <client id>...}, where
   * the client id is {@code client.id} or, when unset, {@code <application.id>-<process UUID>}.
   */
  static List<Rule> rules(NodeConfig config) {
    var kafka = config.kafkaProperties();
    String clientPrefix = Pattern.quote(kafka.getProperty(StreamsConfig.CLIENT_ID_CONFIG,
        kafka.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)));
    return rules(clientPrefix);
  }

  /** @param clientPrefix a regular expression matching the start of the node's client ids */
  static List<Rule> rules(String clientPrefix) {
    return List.of(
        Rule.java(MONITOR, "^demo-monitor$|\\| depthstream-demo-monitor"),
        Rule.java(PUBLISHER, "^loop-publisher$|^demo-replay$|\\| " + PUBLISHER_CLIENT_ID + "$"),
        Rule.java(STREAM, "^" + clientPrefix + ".*-StreamThread-\\d+$"),
        Rule.java(NODE_IO, "^kafka-(producer-network-thread|coordinator-heartbeat-thread) \\| " + clientPrefix),
        Rule.java(NODE_OTHER, "^" + clientPrefix + "|\\| " + clientPrefix),
        Rule.java(BROKER, BROKER_THREADS),
        Rule.jvmInternal(GC, "^(GC Thread|G1 )"),
        Rule.jvmInternal(JIT, "^C[12] CompilerThre"));
  }
}
