package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.streams.config.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The node end to end through a real KRaft broker: good frames come out dense, bad ones reach the DLQ. */
class DepthNodeIT {
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @ParameterizedTest(name = "processing.guarantee={0}")
  @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
  void reconstructsGoodFramesAndDeadLettersBadOnes(String guarantee) {
    String suffix = guarantee.replace('_', '-');
    Map<String, String> props = nodeProps(suffix);
    props.put("processing.guarantee", guarantee);
    // The focal-stack model is checked at start-up: use the tiny test model from the repository's test-models/.
    props.put(NodeConfig.MODELS_DIR,
        java.nio.file.Path.of(System.getProperty("depthstream.root", "..")).resolve("test-models").toString());
    props.put(NodeConfig.METHOD_FOCAL, "focal_smoke");
    NodeConfig config = NodeConfig.from(props);

    try (DepthNode node = DepthNode.start(config, DepthNode.methods(config));
        KafkaProducer<String, byte[]> producer = TestFrames.producer(broker.bootstrapServers())) {
      int good = 12;
      for (int seq = 0; seq < good; seq++) {
        DepthFrame frame = TestFrames.sparse("velo", seq, 64, 48, new int[] {0, 64 * 48 - 1},
            new float[] {2f, 80f}); // an 80 m LiDAR return: beyond uint16 millimetres
        producer.send(new ProducerRecord<>("lidar-" + suffix, null,
            frame.getId().getCaptureTimeNs() / 1_000_000L, "velo", frame.toByteArray()));
        if (seq == 5) {
          producer
              .send(new ProducerRecord<>("lidar-" + suffix, "velo", "not a frame".getBytes(StandardCharsets.UTF_8)));
        }
      }
      producer.flush();

      List<ConsumerRecord<String, byte[]>> dense = consume("dense-" + suffix, good);
      List<ConsumerRecord<String, byte[]>> nav = consume("nav-" + suffix, good);
      List<ConsumerRecord<String, byte[]>> dlq = consume("dlq-" + suffix, 1);

      assertThat(dense).hasSize(good);
      List<Long> sequences = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : dense) {
        DenseDepth d = Wire.DENSE_DEPTH.deserializer().deserialize(r.topic(), r.value());
        sequences.add(d.getId().getSequence());
        assertThat(r.timestamp()).isEqualTo(d.getId().getCaptureTimeNs() / 1_000_000L);
        assertThat(d.getWidth() * d.getHeight()).isEqualTo(64 * 48);
        // LiDAR's default output is uint16 in 1/256 m: the 80 m return comes out as 80 m, not clipped at 65.535.
        assertThat(d.getDenseScaled().getUnitsPerMetre()).isEqualTo(256f);
        assertThat((d.getDenseScaled().getData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .getShort(2 * (64 * 48 - 1)) & 0xFFFF) / 256f).isEqualTo(80f);
        assertThat(d.getSaturatedPixels()).isZero();
      }
      // One partition per sensor: order is preserved, nothing lost or repeated.
      assertThat(sequences).containsExactlyElementsOf(LongStream.range(0, good).boxed().toList());
      assertThat(nav).hasSize(good);
      assertThat(dlq).hasSize(1);
      assertThat(new String(dlq.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not a frame");
      assertThat(new String(dlq.get(0).headers().lastHeader(Wire.ERROR_REASON_HEADER).value(),
          StandardCharsets.UTF_8)).isEqualTo("CORRUPT_BYTES");
      // The start-up warm-up (on by default: synthetic LiDAR, RGB-D and vSLAM frames through the whole frame path)
      // published nothing, as the exact counts above show, and left no meters of its synthetic sensors.
      assertThat(config.getInt(NodeConfig.WARMUP_FRAMES)).isPositive();
      assertThat(node.registry().find(io.depthstream.streams.metrics.NodeMetrics.FRAMES_IN).counters())
          .extracting(c -> c.getId().getTag("sensor")).containsOnly("velo");
      assertThat(node.state().isRunningOrRebalancing()).isTrue();
    }
  }

  @org.junit.jupiter.api.Test
  void outputsOverTheirTopicsLimitAreDeadLetteredAndALimitLoweredAfterStartIsCountedOnce() throws Exception {
    // The dense topic exists with a 100 KB limit, below the producer's 1 MiB. The node reads it at start-up, so a
    // 320x240 output (154 KB) is dead-lettered with a reason that names the topic, and nothing is lost.
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("dense-small", 1, (short) 1)
          .configs(Map.of("max.message.bytes", "100000")))).all().get();
    }
    Map<String, String> props = nodeProps("pe");
    props.put(NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE);
    props.put(NodeConfig.TOPIC_DENSE, "dense-small");
    NodeConfig config = NodeConfig.from(props);
    try (DepthNode node = DepthNode.start(config, DepthNode.methods(config));
        KafkaProducer<String, byte[]> producer = TestFrames.producer(broker.bootstrapServers())) {
      // Random depths, so lz4 cannot shrink the output under the broker's limit (it checks the compressed batch).
      java.util.Random random = new java.util.Random(3);
      DepthFrame big = TestFrames.millimetres("cam", 1, 320, 240, random.ints(320 * 240, 500, 60_000).toArray());
      // 64 KB of output: under the 100 KB the node read, over the 50 KB the topic gets below once the node runs.
      DepthFrame medium = TestFrames.millimetres("cam", 2, 200, 160, random.ints(200 * 160, 500, 60_000).toArray());
      DepthFrame small = TestFrames.flat("cam", 3, 32, 24, 1500);
      send(producer, "rgbd-pe", big);
      List<ConsumerRecord<String, byte[]>> dlq = consume("dlq-pe", 1);
      assertThat(dlq).hasSize(1);
      assertThat(new String(dlq.get(0).headers().lastHeader(Wire.ERROR_REASON_HEADER).value(),
          StandardCharsets.UTF_8)).isEqualTo("OUTPUT_TOO_LARGE");
      assertThat(new String(dlq.get(0).headers().lastHeader(Wire.ERROR_MESSAGE_HEADER).value(),
          StandardCharsets.UTF_8)).contains("153600 bytes", "topic dense-small's max.message.bytes (100000)");

      // An operator lowers the limit while the node runs: the broker refuses the next output. Kafka's default handler
      // would kill the stream thread in a loop; the node counts it once and goes on.
      try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
          Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        var topic = new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "dense-small");
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
            new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", "50000"),
            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
      }
      send(producer, "rgbd-pe", medium);
      send(producer, "rgbd-pe", small);
      List<ConsumerRecord<String, byte[]>> dense = consume("dense-small", 1);
      List<ConsumerRecord<String, byte[]>> nav = consume("nav-pe", 3);

      assertThat(dense).extracting(r -> Wire.DENSE_DEPTH.deserializer().deserialize(r.topic(), r.value())
          .getId().getSequence()).containsExactly(3L);
      assertThat(nav).as("every frame's guidance").hasSize(3);
      double errors = node.registry().find(io.depthstream.streams.metrics.NodeMetrics.PRODUCTION_ERRORS)
          .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
      assertThat(errors).as("counted once").isEqualTo(1.0);
      assertThat(node.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
    }
  }

  @org.junit.jupiter.api.Test
  void anHdDepthCameraReachesTheTopicsTheNodeCreatedInUint16Millimetres() throws Exception {
    // 1280x720 in uint16 mm is 1.84 MB, over Kafka's 1 MiB default. With every sensor in uint16 mm nothing raised the
    // producer's limit, and every such frame was dead-lettered as OUTPUT_TOO_LARGE; the topics the node creates
    // allow 16 MiB, and its producer now follows them.
    Map<String, String> props = nodeProps("hd");
    props.put(NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE);
    props.put(NodeConfig.OUTPUT_ENCODING, NodeConfig.ENCODING_UINT16_MM);
    NodeConfig config = NodeConfig.from(props);
    try (DepthNode node = DepthNode.start(config, DepthNode.methods(config));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            "bootstrap.servers", broker.bootstrapServers(), "max.request.size", "4194304"),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      int[] mm = new java.util.Random(5).ints(1280 * 720, 500, 9_000).toArray();
      send(producer, "rgbd-hd", TestFrames.millimetres("realsense", 7, 1280, 720, mm));
      List<ConsumerRecord<String, byte[]>> dense = consume("dense-hd", 1);
      assertThat(consume("dlq-hd", 0)).isEmpty();
      assertThat(dense).hasSize(1);
      DenseDepth d = Wire.DENSE_DEPTH.deserializer().deserialize("dense-hd", dense.get(0).value());
      assertThat(d.getWidth()).isEqualTo(1280);
      assertThat(d.getHeight()).isEqualTo(720);
      assertThat(d.getDenseMm().getData().size()).isEqualTo(1280 * 720 * 2);
      assertThat(d.getDenseMm().getData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .getShort(2 * 4321) & 0xFFFF).as("a measured pixel kept").isEqualTo(mm[4321]);
    }
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, DepthFrame frame) throws Exception {
    producer.send(new ProducerRecord<>(topic, null, frame.getId().getCaptureTimeNs() / 1_000_000L,
        frame.getId().getSensorId(), frame.toByteArray())).get();
  }

  @org.junit.jupiter.api.Test
  void readyTurns200OnceKafkaStreamsRunsAndHealthStays200() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> props = nodeProps("ready");
    props.put(NodeConfig.METRICS_PORT, Integer.toString(port));
    props.put(NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE);
    NodeConfig config = NodeConfig.from(props);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try (DepthNode node = DepthNode.start(config, DepthNode.methods(config))) {
      List<String> answers = new ArrayList<>();
      java.net.http.HttpResponse<String> ready = get(http, port, "/ready");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
        answers.add(ready.statusCode() + " " + ready.body().strip());
        assertThat(get(http, port, "/health").statusCode()).as("live while it joins the group").isEqualTo(200);
        Thread.sleep(20);
        ready = get(http, port, "/ready");
      }
      System.out.println("/ready before RUNNING: " + (answers.isEmpty() ? "(already RUNNING at the first request)"
          : answers.get(0) + " (x" + answers.size() + ")") + "; then " + ready.statusCode() + " "
          + ready.body().strip());
      assertThat(answers).allSatisfy(a -> assertThat(a).startsWith("503 not ready: Kafka Streams is "));
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).startsWith("ready: Kafka Streams is RUNNING; methods loaded: depthstream.method.lidar=");
      assertThat(node.state()).isIn(org.apache.kafka.streams.KafkaStreams.State.RUNNING,
          org.apache.kafka.streams.KafkaStreams.State.REBALANCING);
      java.net.http.HttpResponse<String> health = get(http, port, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).startsWith("live: Kafka Streams is ");
      String metrics = get(http, port, "/metrics").body();
      assertThat(metrics).contains("jvm_memory_used_bytes", "process_cpu_usage", "kafka_stream_thread_",
          "depthstream_inference_cpu_fallback_total");
    }
  }

  /** Settings of a node on the test broker with its own application id and topics ({@code <kind>-<suffix>}). */
  private static Map<String, String> nodeProps(String suffix) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", broker.bootstrapServers());
    props.put("application.id", "it-" + suffix);
    props.put("commit.interval.ms", "50");
    props.put(NodeConfig.METRICS_PORT, "0");
    props.put(NodeConfig.TOPIC_RAW_LIDAR, "lidar-" + suffix);
    props.put(NodeConfig.TOPIC_RAW_RGBD, "rgbd-" + suffix);
    props.put(NodeConfig.TOPIC_RAW_VSLAM, "vslam-" + suffix);
    props.put(NodeConfig.TOPIC_RAW_FOCAL, "focal-" + suffix);
    props.put(NodeConfig.TOPIC_DENSE, "dense-" + suffix);
    props.put(NodeConfig.TOPIC_GUIDANCE, "nav-" + suffix);
    props.put(NodeConfig.TOPIC_DLQ, "dlq-" + suffix);
    return props;
  }

  private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, int port, String path)
      throws Exception {
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** Reads {@code expected} records (read_committed), waiting up to 60 s, then 1 s more for any extra. */
  private static List<ConsumerRecord<String, byte[]>> consume(String topic, int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
    }
    return out;
  }
}
