package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.depthstream.connect.formats.KittiVelodyne;
import io.depthstream.connect.record.PlayCommand;
import io.depthstream.connect.record.RecordCommand;
import io.depthstream.connect.runner.KafkaClientOptions;
import io.depthstream.connect.runner.SourceRunner;
import io.depthstream.connect.source.lidar.LidarSourceConnector;
import io.depthstream.localkafka.LocalConnectWorker;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.localkafka.SaslSslListener;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.StreamApp;
import io.depthstream.streams.config.ConfigLoader;
import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The node, a source connector, the plain-producer source and record/play against a SASL_SSL broker
 * (SCRAM-SHA-512 over TLS, certificate from a CA made here) that enforces ACLs, each principal holding only the
 * ACLs README "Security" lists:
 *
 * <ol>
 *   <li>with the right credentials LiDAR scans go connector / runner, then record and replay, through the node
 *       (exactly_once_v2) to dense depth and guidance;
 *   <li>a wrong password stops the node at start-up with one message naming the user and the servers, the
 *       command line with exit code 2; so do an untrusted certificate and a wrong security.protocol;
 *   <li>a principal that logs in but lacks the node's ACLs stops the node right after start (exit code 3)
 *       instead of a loop of replaced stream threads;
 *   <li>a principal without a WRITE ACL on nav.guidance cannot publish to it.
 * </ol>
 *
 * <p>The node and the Connect worker start from the example files config/depthstream-sasl-ssl.properties and
 * config/connect/worker-sasl-ssl.properties, with this broker and this test's secrets in place of the
 * placeholders.
 */
class SecureClusterIT {
  /** The application.id of config/depthstream-sasl-ssl.properties, as the README's ACLs name it. */
  private static final String APP_ID = "depthstream";
  private static final String NODE = "depthstream-node";
  private static final String SENSOR = "depthstream-sensor";
  private static final String FLEET = "depthstream-fleet";
  private static final String RAW_PREFIX = "depth.raw.";
  private static final String RAW_LIDAR = "depth.raw.lidar";
  private static final String DENSE = "depth.dense";
  private static final String GUIDANCE = "nav.guidance";
  private static final String DLQ = "depth.dlq";
  /** A raw topic nobody else uses: the sensor principal's allowed write, next to its refused one. */
  private static final String RAW_PROBE = "depth.raw.probe";

  /** The operator (super user), the node, the sensors (connector, runner) and the fleet's record/replay tool. */
  private static final Map<String, String> USERS = Map.of(
      "admin", "admin-secret", NODE, "node-secret", SENSOR, "sensor-secret", FLEET, "fleet-secret");

  @TempDir
  static Path dir;

  private static LocalKafkaBroker broker;
  private static ThrowAwayCa.Stores stores;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    stores = ThrowAwayCa.create(dir, "store-secret");
    broker = LocalKafkaBroker.start(
        new SaslSslListener(stores.brokerKeyStore(), stores.password(), USERS, "admin"), Map.of());
    broker.createTopics(1, Map.of(), RAW_LIDAR, "depth.raw.rgbd", "depth.raw.vslam", DENSE, GUIDANCE, DLQ,
        RAW_PROBE);
    try (Admin admin = Admin.create(new HashMap<String, Object>(clientProperties("admin", USERS.get("admin"))))) {
      admin.createAcls(acls()).all().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * The ACLs of README "Security" (there as kafka-acls commands), less the node's READ on focalstack.raw: focal
   * stacks are off in this test.
   */
  private static List<AclBinding> acls() {
    List<AclBinding> acls = new ArrayList<>();
    // the node: read the raw topics, write its outputs, its consumer group (= application.id), its own internal
    // topics and, under exactly_once_v2, its transactional ids (both prefixed with application.id)
    allow(acls, NODE, ResourceType.TOPIC, RAW_PREFIX, PatternType.PREFIXED, AclOperation.READ);
    for (String topic : List.of(DENSE, GUIDANCE, DLQ)) {
      allow(acls, NODE, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE);
    }
    allow(acls, NODE, ResourceType.GROUP, APP_ID, PatternType.LITERAL, AclOperation.READ);
    allow(acls, NODE, ResourceType.TOPIC, APP_ID, PatternType.PREFIXED, AclOperation.ALL);
    allow(acls, NODE, ResourceType.TRANSACTIONAL_ID, APP_ID, PatternType.PREFIXED, AclOperation.WRITE);
    allow(acls, NODE, ResourceType.TRANSACTIONAL_ID, APP_ID, PatternType.PREFIXED, AclOperation.DESCRIBE);
    // the sensors: write the raw topics and their bad-file reports, nothing else (not nav.guidance)
    allow(acls, SENSOR, ResourceType.TOPIC, RAW_PREFIX, PatternType.PREFIXED, AclOperation.WRITE);
    allow(acls, SENSOR, ResourceType.TOPIC, DLQ, PatternType.LITERAL, AclOperation.WRITE);
    // record and replay: read and write the raw topics
    allow(acls, FLEET, ResourceType.TOPIC, RAW_PREFIX, PatternType.PREFIXED, AclOperation.READ);
    allow(acls, FLEET, ResourceType.TOPIC, RAW_PREFIX, PatternType.PREFIXED, AclOperation.WRITE);
    return acls;
  }

  private static void allow(List<AclBinding> acls, String user, ResourceType type, String name, PatternType pattern,
      AclOperation operation) {
    acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
  }

  @Test
  void connectorRunnerRecordAndPlayFeedTheNodeOverSaslSsl() throws Exception {
    Path drive = writeDrive("velodyne");
    Path calib = drive.resolveSibling("calib.txt");
    // The node from the example file; the secrets come as an operator would pass them: the JAAS line from the
    // environment, the trust store on the command line.
    Map<String, String> nodeClient = clientProperties(NODE, USERS.get(NODE));
    Map<String, String> environment =
        Map.of("DEPTHSTREAM_KAFKA_SASL_JAAS_CONFIG", nodeClient.get("sasl.jaas.config"));
    Map<String, String> sets = new HashMap<>();
    for (String key : List.of("bootstrap.servers", "ssl.truststore.location", "ssl.truststore.password")) {
      sets.put(key, nodeClient.get(key));
    }
    sets.put(NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE); // no focal-stack model on this test's path
    sets.put(NodeConfig.METRICS_PORT, "0");
    // replayed frames keep their capture times: no real-time budget, or the replay would be skipped as stale
    sets.put(NodeConfig.REALTIME_BUDGET_MS, "0");
    NodeConfig config = NodeConfig.from(
        ConfigLoader.merge(example("depthstream-sasl-ssl.properties"), environment, asSetOptions(sets)));
    assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("application.id", APP_ID).containsEntry("processing.guarantee", "exactly_once_v2");

    try (DepthNode node = DepthNode.start(config, DepthNode.methods(config))) {
      // 1. a LiDAR source connector in a Connect worker (the example worker file) logged in as the sensor principal
      Map<String, String> worker = workerSettings();
      try (LocalConnectWorker connect =
          LocalConnectWorker.start(broker.bootstrapServers(), dir.resolve("connect.offsets"), worker)) {
        connect.putConnector("lidar", lidarConnector(drive, calib, "velo-connect"));
        connect.awaitRunning("lidar", Duration.ofSeconds(30));
        assertThat(readAll(DENSE, 3)).hasSize(3);
      }

      // 2. the same drive through the plain-producer runner, settings from --client-config
      Path lidarProps = writeProperties(dir.resolve("lidar-source.properties"),
          lidarConnector(drive, calib, "velo-runner"));
      assertThat(run(new SourceRunner(), "--source", "lidar", "-c", lidarProps.toString(),
          "--bootstrap-servers", broker.bootstrapServers(), "--offsets", dir.resolve("runner.offsets").toString(),
          "--client-config", clientFile(SENSOR, USERS.get(SENSOR)).toString())).isZero();
      assertThat(readAll(DENSE, 6)).hasSize(6);

      // 3. record the six raw frames, then replay them into the raw topic, both as the fleet principal: record
      // with the example client file and this test's secrets as --client options, play with a file of its own
      Path mcap = dir.resolve("drive.mcap");
      Map<String, String> fleet = clientProperties(FLEET, USERS.get(FLEET));
      List<String> record = new ArrayList<>(List.of("--client-config", example("client-sasl-ssl.properties")
          .toString(), "--bootstrap-servers", broker.bootstrapServers()));
      for (String key : List.of("sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password")) {
        record.addAll(List.of("--client", key + "=" + fleet.get(key)));
      }
      record.addAll(List.of("-t", RAW_LIDAR, "-o", mcap.toString(), "--from-beginning", "--max-messages", "6",
          "--idle", "20s"));
      assertThat(run(new RecordCommand(), record.toArray(String[]::new))).isZero();
      assertThat(run(new PlayCommand(), mcap.toString(), "--client-config",
          clientFile(FLEET, USERS.get(FLEET)).toString(), "--rate", "max", "--no-progress")).isZero();

      List<ConsumerRecord<String, byte[]>> dense = readAll(DENSE, 12);
      Map<String, List<Long>> sequencesBySensor = dense.stream().collect(Collectors.groupingBy(
          ConsumerRecord::key, Collectors.mapping(r -> denseDepth(r).getId().getSequence(), Collectors.toList())));
      // each sensor's three scans, live and then replayed: nothing lost, repeated or reordered
      assertThat(sequencesBySensor).containsOnlyKeys("velo-connect", "velo-runner");
      assertThat(sequencesBySensor.get("velo-connect")).containsExactly(0L, 1L, 2L, 0L, 1L, 2L);
      assertThat(sequencesBySensor.get("velo-runner")).containsExactly(0L, 1L, 2L, 0L, 1L, 2L);
      assertThat(denseDepth(dense.get(0)).getWidth()).isEqualTo(100);
      assertThat(readAll(GUIDANCE, 12)).hasSize(12);
      assertThat(readAll(DLQ, 0)).isEmpty();
      assertThat(node.state().isRunningOrRebalancing()).isTrue();
    }
  }

  @Test
  void wrongPasswordStopsTheNodeAtStartUpWithOneMessage() throws Exception {
    Path wrong = clientFile(NODE, "not-the-password");
    List<String> sets = asSetOptions(Map.of("application.id", APP_ID + "-wrong",
        NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE, NodeConfig.METRICS_PORT, "0"));
    NodeConfig config = NodeConfig.from(ConfigLoader.merge(wrong, Map.of(), sets));

    long start = System.nanoTime();
    Throwable refused = catchThrowable(() -> DepthNode.start(config, DepthNode.methods(config)).close());
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    System.out.println("DepthNode.start with a wrong password: " + refused.getMessage());
    assertThat(refused).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("authentication failed for user \"" + NODE + "\" (SCRAM-SHA-512) at bootstrap.servers "
            + broker.bootstrapServers() + ":")
        .hasMessageContaining("invalid credentials")
        .hasMessageContaining("Check sasl.jaas.config")
        .hasMessageNotContaining("not-the-password");
    // fails at once, not after the check's 30 s timeout or a retry loop
    assertThat(elapsedMs).isLessThan(15_000);

    List<String> args = new ArrayList<>(List.of("-c", wrong.toString()));
    sets.forEach(s -> args.addAll(List.of("--set", s)));
    StringWriter err = new StringWriter();
    int exit = StreamApp.commandLine().setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new));
    System.out.println("stream-app with a wrong password, exit " + exit + ": " + err.toString().strip());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines().toList()).singleElement().asString()
        .startsWith("configuration error: authentication failed for user \"" + NODE + "\" (SCRAM-SHA-512) at "
            + "bootstrap.servers " + broker.bootstrapServers());

    // the recorder with a wrong password: one line, exit code 2
    StringWriter recordErr = new StringWriter();
    int recordExit = run(recordErr, new RecordCommand(), "--client-config",
        clientFile(FLEET, "not-the-password").toString(), "-t", RAW_LIDAR, "-o", dir.resolve("never.mcap").toString(),
        "--max-messages", "1");
    System.out.println("record with a wrong password, exit " + recordExit + ": " + recordErr.toString().strip());
    assertThat(recordExit).isEqualTo(2);
    assertThat(recordErr.toString().lines().toList()).singleElement().asString()
        .startsWith("authentication failed for user \"" + FLEET + "\" (SCRAM-SHA-512) at bootstrap.servers "
            + broker.bootstrapServers() + ": ")
        .endsWith("Check sasl.jaas.config (user name and password) and sasl.mechanism.");
  }

  @Test
  void untrustedCertificateAndWrongProtocolAreNamedAtStartUp() throws Exception {
    // a trust store holding another CA: the broker's certificate cannot be verified
    ThrowAwayCa.Stores other = ThrowAwayCa.create(Files.createDirectories(dir.resolve("other-ca")), "other-secret");
    Map<String, String> settings = new HashMap<>(clientProperties(NODE, USERS.get(NODE)));
    settings.put("ssl.truststore.location", other.trustStore().toString());
    settings.put("ssl.truststore.password", other.password());
    Throwable untrusted = startNode(settings);
    System.out.println("DepthNode.start trusting another CA: " + untrusted.getMessage());
    assertThat(untrusted).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TLS handshake with bootstrap.servers " + broker.bootstrapServers() + " failed")
        .hasMessageContaining("ssl.truststore.location");

    // PLAINTEXT against the SASL_SSL listener: the broker drops every attempt, so only the wait ends it
    settings = new HashMap<>(clientProperties(NODE, USERS.get(NODE)));
    settings.put("security.protocol", "PLAINTEXT");
    settings.put(NodeConfig.STARTUP_CHECK_TIMEOUT_MS, "2000");
    Throwable plaintext = startNode(settings);
    System.out.println("DepthNode.start with PLAINTEXT: " + plaintext.getMessage());
    assertThat(plaintext).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("no Kafka broker answered at bootstrap.servers " + broker.bootstrapServers()
            + " within 2000 ms (security.protocol PLAINTEXT)");
  }

  /** Starts (and closes) a node with {@code settings} and classical methods only; returns what it threw, or null. */
  private static Throwable startNode(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("application.id", APP_ID + "-refused");
    all.put(NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE);
    all.put(NodeConfig.METRICS_PORT, "0");
    NodeConfig config = NodeConfig.from(all);
    return catchThrowable(() -> DepthNode.start(config, DepthNode.methods(config)).close());
  }

  @Test
  void nodeWhosePrincipalLacksItsAclsStopsWithOneLine() throws Exception {
    // The sensor principal logs in fine but may not read the raw topics or join the node's group: the start-up
    // check passes, then the first stream thread is refused. Replacing threads would loop; the node stops.
    Path client = clientFile(SENSOR, USERS.get(SENSOR));
    List<String> args = new ArrayList<>(List.of("-c", client.toString()));
    asSetOptions(Map.of("application.id", APP_ID + "-no-acls", NodeConfig.TOPICS_CREATE, "false",
        NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE, NodeConfig.METRICS_PORT, "0"))
        .forEach(s -> args.addAll(List.of("--set", s)));
    StringWriter err = new StringWriter();
    int exit = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> StreamApp.commandLine()
        .setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new)));
    System.out.println("stream-app whose principal lacks the node's ACLs, exit " + exit + ": "
        + err.toString().strip());
    assertThat(exit).isEqualTo(3);
    assertThat(err.toString().lines().toList()).singleElement().asString()
        .startsWith("stopped: the cluster at bootstrap.servers " + broker.bootstrapServers() + " refused user \""
            + SENSOR + "\": Not authorized to access")
        .endsWith("README.md, \"Security\".");
  }

  @Test
  void principalWithoutWriteAclCannotPublishGuidance() throws Exception {
    long before = endOffset(GUIDANCE);
    Map<String, Object> props = new HashMap<>(clientProperties(SENSOR, USERS.get(SENSOR)));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      // the same principal and connection may write a raw topic: what fails below is the ACL, not the login
      producer.send(new ProducerRecord<>(RAW_PROBE, "intruder", new byte[] {1})).get(30, TimeUnit.SECONDS);

      Throwable refused = catchThrowable(() -> producer.send(new ProducerRecord<>(GUIDANCE, "intruder",
          new byte[] {1})).get(30, TimeUnit.SECONDS));
      Throwable cause = refused instanceof ExecutionException ? refused.getCause() : refused;
      System.out.println("sensor principal publishing to " + GUIDANCE + ": " + cause);
      assertThat(cause).isInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining(GUIDANCE);
    }

    // a sensor source pointed at the navigation topic: one line, exit code 2, nothing published
    Path drive = writeDrive("velodyne-misdirected");
    Map<String, String> source = lidarConnector(drive, dir.resolve("calib.txt"), "velo-misdirected");
    source.put("topic", GUIDANCE);
    StringWriter err = new StringWriter();
    int exit = run(err, new SourceRunner(), "--source", "lidar",
        "-c", writeProperties(dir.resolve("misdirected.properties"), source).toString(),
        "--offsets", dir.resolve("misdirected.offsets").toString(),
        "--client-config", clientFile(SENSOR, USERS.get(SENSOR)).toString());
    System.out.println("SourceRunner as the sensor principal into " + GUIDANCE + ", exit " + exit + ": "
        + err.toString().strip());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines().toList()).singleElement().asString()
        .isEqualTo("not authorized at bootstrap.servers " + broker.bootstrapServers() + " as user \"" + SENSOR
            + "\": Not authorized to access topics: [" + GUIDANCE + "]. The ACLs each tool needs are in README.md, "
            + "\"Security\".");

    assertThat(endOffset(RAW_PROBE)).isEqualTo(1);
    assertThat(endOffset(GUIDANCE)).as("records in " + GUIDANCE).isEqualTo(before);
    assertThat(readAll(GUIDANCE, 0)).noneMatch(r -> "intruder".equals(r.key()));
  }

  // --- helpers ------------------------------------------------------------------------------------------------

  /** Three KITTI scans in {@code dir/name} and their calibration in {@code dir/calib.txt}. */
  private static Path writeDrive(String name) throws IOException {
    Path drive = Files.createDirectories(dir.resolve(name));
    Files.writeString(dir.resolve("calib.txt"), CALIB);
    for (int i = 0; i < 3; i++) {
      // one point straight ahead at 2 + i metres, one at 4 m to the right: two pixels of a 100x40 image
      Files.write(drive.resolve(String.format("%06d.bin", i)),
          KittiVelodyne.encode(new float[] {2f + i, 0f, 0f, 4f, -1f, 0f}, 2));
    }
    return drive;
  }

  /** A 100x40 camera: f = 100 px, principal point (50, 20); Velodyne x forward, y left, z up. */
  private static final String CALIB = """
      P2: 100 0 50 0 0 100 20 0 0 0 1 0
      R0_rect: 1 0 0 0 1 0 0 0 1
      Tr_velo_to_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0
      """;

  /** config/ in the checkout (the IT runs in demo/). */
  private static Path example(String name) {
    return Path.of(System.getProperty("depthstream.root", "..")).resolve("config").resolve(name);
  }

  /**
   * config/connect/worker-sasl-ssl.properties with this broker, the sensor principal's password and the test
   * trust store in place of the placeholders, and this test's offsets file and ports.
   */
  private static Map<String, String> workerSettings() throws IOException {
    Properties file = new Properties();
    try (var in = Files.newInputStream(example("connect/worker-sasl-ssl.properties"))) {
      file.load(in);
    }
    Map<String, String> worker = new HashMap<>();
    file.stringPropertyNames().forEach(k -> worker.put(k, file.getProperty(k)));
    assertThat(worker).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("producer.security.protocol", "SASL_SSL");
    Map<String, String> sensor = clientProperties(SENSOR, USERS.get(SENSOR));
    for (String key : List.of("sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password")) {
      assertThat(worker).containsKey(key).containsKey("producer." + key);
      worker.put(key, sensor.get(key));
      worker.put("producer." + key, sensor.get(key));
    }
    worker.put("bootstrap.servers", broker.bootstrapServers());
    worker.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
    worker.put("listeners", "http://127.0.0.1:0");
    worker.remove("plugin.path"); // the connectors are on the test's class path
    return worker;
  }

  private static Map<String, String> lidarConnector(Path drive, Path calib, String sensorId) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", LidarSourceConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("input.dir", drive.toString());
    config.put("sensor.id", sensorId);
    config.put("calib.file", calib.toString());
    config.put("image.width", "100");
    config.put("image.height", "40");
    config.put("frame.rate.hz", "0");
    return config;
  }

  /** The client settings of a user: SASL_SSL, SCRAM-SHA-512, the test CA as trust store. */
  private static Map<String, String> clientProperties(String user, String password) {
    return Map.of(
        "bootstrap.servers", broker.bootstrapServers(),
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", SaslSslListener.MECHANISM,
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user + "\" password=\"" + password + "\";",
        "ssl.truststore.type", "PKCS12",
        "ssl.truststore.location", stores.trustStore().toString(),
        "ssl.truststore.password", stores.password());
  }

  /** The same settings as a client properties file, as a user would keep them. */
  private static Path clientFile(String user, String password) throws IOException {
    return writeProperties(dir.resolve(user + "-" + password + ".properties"), clientProperties(user, password));
  }

  private static Path writeProperties(Path file, Map<String, String> settings) throws IOException {
    Properties p = new Properties();
    p.putAll(settings);
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, null);
    }
    return file;
  }

  private static List<String> asSetOptions(Map<String, String> settings) {
    return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  /** Runs a connectors command as its main does; {@code err} gets what it prints there (may be null). */
  private static int run(StringWriter err, Object command, String... args) {
    CommandLine line = KafkaClientOptions.commandLine(command);
    if (err != null) {
      line.setErr(new PrintWriter(err, true));
    }
    return line.execute(args);
  }

  private static int run(Object command, String... args) {
    return run(null, command, args);
  }

  /**
   * Reads {@code topic} from the start as the super user (read_committed) until it holds {@code expected} records
   * (60 s at most), and whatever more is already there.
   */
  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
    Map<String, Object> props = new HashMap<>(clientProperties("admin", USERS.get("admin")));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // and anything beyond what was expected that is already there
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  private static long endOffset(String topic) throws Exception {
    try (Admin admin = Admin.create(new HashMap<String, Object>(clientProperties("admin", USERS.get("admin"))))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
          .get(30, TimeUnit.SECONDS).offset();
    }
  }

  private static DenseDepth denseDepth(ConsumerRecord<String, byte[]> record) {
    return Wire.DENSE_DEPTH.deserializer().deserialize(record.topic(), record.value());
  }
}
