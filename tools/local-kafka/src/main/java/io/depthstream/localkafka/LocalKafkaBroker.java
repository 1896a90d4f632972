package io.depthstream.localkafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker, combined broker and KRaft controller in one node, started inside this JVM from the
 * Maven Central artifacts: the same code path as {@code kafka-server-start.sh}, without Docker.
 *
 * <p>Storage is formatted in a temporary directory with the latest production metadata version and deleted on
 * {@link #close()}. The replication factors of the internal topics are set to 1: on a single broker the defaults
 * (3) leave consumer groups and transactions (exactly_once_v2) hanging silently.
 *
 * <p>{@link #start(SaslSslListener, Map)} starts a broker whose clients must authenticate: see
 * {@link SaslSslListener}.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static final int START_ATTEMPTS = 3;

  private final KafkaRaftServer server;
  private final Path logDir;
  private final String bootstrapServers;
  /** Where this class's own Admin connects: the client listener, or the internal one of a secured broker. */
  private final String ownAdminBootstrap;
  private boolean closed;

  private LocalKafkaBroker(KafkaRaftServer server, Path logDir, String bootstrapServers, String ownAdminBootstrap) {
    this.server = server;
    this.logDir = logDir;
    this.bootstrapServers = bootstrapServers;
    this.ownAdminBootstrap = ownAdminBootstrap;
  }

  /** Starts a broker with default settings. */
  public static LocalKafkaBroker start() {
    return start(Map.of());
  }

  /**
   * Starts a broker on free loopback ports.
   *
   * @param overrides broker properties that replace the defaults (for example {@code message.max.bytes})
   */
  public static LocalKafkaBroker start(Map<String, String> overrides) {
    return start(null, overrides);
  }

  /**
   * Starts a broker whose client listener ({@link #bootstrapServers()}) is SASL_SSL: SCRAM-SHA-512 over TLS, the
   * users of {@code listener} created at format time, and ACLs enforced by Kafka's {@code StandardAuthorizer}.
   *
   * @param listener the key store and users; null = a plain broker, as {@link #start(Map)}
   * @param overrides broker properties that replace the defaults
   */
  public static LocalKafkaBroker start(SaslSslListener listener, Map<String, String> overrides) {
    RuntimeException last = null;
    // Free ports are probed, then bound by the broker; another process may take one in between, so retry.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return startOnce(listener, overrides);
      } catch (RuntimeException e) {
        last = e;
        LOG.warn("Kafka broker start attempt {} failed: {}", attempt, e.toString());
      }
    }
    throw new IllegalStateException("Kafka broker did not start after " + START_ATTEMPTS + " attempts", last);
  }

  private static LocalKafkaBroker startOnce(SaslSslListener secure, Map<String, String> overrides) {
    Path logDir;
    try {
      logDir = Files.createTempDirectory("depthstream-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary Kafka log directory", e);
    }
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    // Bounded disk: at 2 x 30 fps of 640x480 the node's topics grow by ~30 MB/s, and Kafka's default (keep 7 days)
    // filled a 100 GB disk in a 40-minute soak. Keep each partition's newest 512 MiB, in 64 MiB segments; demos,
    // soaks and tests read their records long before that. No time limit: Kafka measures it from the records'
    // timestamps, which are capture times, so a replayed drive recorded last year would go at the next check.
    props.put("log.retention.bytes", Long.toString(512L * 1024 * 1024));
    props.put("log.retention.ms", "-1");
    props.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    // Old segments go every second from the broker's first second on, not in batches every 10 s (first after 30 s)
    // plus Kafka's 60 s delete delay, so appends reuse page-cache pages freed a moment ago. This project's VMs hand
    // free memory back to their host (virtio-balloon free page reporting), and copying a record into pages that
    // sat free cost 3.4 ms of kernel time per MB against 0.5 when they were reused: two thirds of this broker's CPU
    // in the whole-robot bench (BENCHMARKS.md, issue 16, session 12).
    props.put("log.initial.task.delay.ms", "1000");
    props.put("log.retention.check.interval.ms", "1000");
    props.put("log.segment.delete.delay.ms", "1000");
    String ownAdminBootstrap = "127.0.0.1:" + brokerPort;
    if (secure != null) {
      int internalPort = freePort();
      secure.applyTo(props, brokerPort, internalPort, controllerPort);
      ownAdminBootstrap = "127.0.0.1:" + internalPort;
    }
    props.putAll(overrides);
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    try {
      format(config, logDir, secure == null ? List.of() : secure.scramArguments());
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      LocalKafkaBroker broker =
          new LocalKafkaBroker(server, logDir, "127.0.0.1:" + brokerPort, ownAdminBootstrap);
      broker.awaitReady();
      LOG.info("Kafka broker ready at {} (log dir {})", broker.bootstrapServers, logDir);
      return broker;
    } catch (RuntimeException e) {
      deleteRecursively(logDir);
      throw e;
    }
  }

  /** Formats storage; {@code scramArguments} become SCRAM credential records of the bootstrap metadata. */
  private static void format(KafkaConfig config, Path logDir, List<String> scramArguments) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setScramArguments(scramArguments)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed: " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ownAdminBootstrap))) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("Kafka broker at " + bootstrapServers + " did not become ready", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /**
   * The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}; on a secured broker the
   * SASL_SSL listener.
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's log directory (deleted on {@link #close()}). */
  Path logDirectory() {
    return logDir;
  }

  /**
   * Creates topics (single replica) if they do not exist yet; on a secured broker through its internal listener,
   * so no client credentials are needed.
   *
   * @param topicConfigs per-topic configs applied to every topic, e.g. {@code max.message.bytes}
   */
  public void createTopics(int partitions, Map<String, String> topicConfigs, String... names) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ownAdminBootstrap))) {
      List<NewTopic> topics =
          Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1).configs(topicConfigs)).toList();
      for (var entry : admin.createTopics(topics).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("creating topic " + entry.getKey() + " failed", e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out creating topics on " + bootstrapServers, e);
    }
  }

  /** Stops the broker and deletes its storage; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      deleteRecursively(logDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
