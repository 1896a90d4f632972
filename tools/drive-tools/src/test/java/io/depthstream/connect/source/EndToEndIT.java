package io.depthstream.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.connect.record.DrivePlayer;
import io.depthstream.connect.record.DriveRecorder;
import io.depthstream.connect.source.lidar.LidarSourceConnector;
import io.depthstream.connect.testing.TinyDrives;
import io.depthstream.localkafka.LocalConnectWorker;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against one real broker: (1) the LiDAR connector end to end in a real in-process Connect worker against a real broker: frames flow, a
 * truncated scan is reported on the dead-letter topic while the rest of the drive flows, and a restarted worker
 * resumes after the last committed scan (source offsets), with the next sequence numbers and no repeats;
 * (2) record a topic into MCAP and replay it twice: byte-identical records (headers too) in the same order per key.
 */
class EndToEndIT {
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
    broker.createTopics(1, Map.of(), "depth.raw.lidar", "depth.dlq");
    broker.createTopics(2, Map.of(), "rec.source", "replay.a", "replay.b");
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void drivesFlowBadFileIsReportedAndRestartResumesFromOffsets(@TempDir Path tmp) throws Exception {
    Path drive = Files.createDirectories(tmp.resolve("velodyne"));
    Path calib = Files.writeString(tmp.resolve("calib.txt"), TinyDrives.CALIB);
    for (int i = 0; i < 4; i++) {
      if (i == 2) {
        TinyDrives.truncatedScan(drive, i);
      } else {
        TinyDrives.kittiScan(drive, i);
      }
    }
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", LidarSourceConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("input.dir", drive.toString());
    config.put("sensor.id", "lidar-it");
    config.put("calib.file", calib.toString());
    config.put("image.width", "100");
    config.put("image.height", "40");
    config.put("frame.rate.hz", "0");
    Path offsets = tmp.resolve("offsets.dat");

    try (LocalConnectWorker worker = LocalConnectWorker.start(broker.bootstrapServers(), offsets, Map.of())) {
      worker.putConnector("lidar", config);
      worker.awaitRunning("lidar", Duration.ofSeconds(30));
      List<ConsumerRecord<String, byte[]>> frames = consume("depth.raw.lidar", 3);
      assertThat(frames).hasSize(3);
      List<ConsumerRecord<String, byte[]>> dead = consume("depth.dlq", 1);
      assertThat(dead).hasSize(1);
      ConsumerRecord<String, byte[]> report = dead.get(0);
      assertThat(report.key()).isEqualTo("lidar-it");
      assertThat(report.value()).isNull();
      assertThat(header(report, Wire.ERROR_REASON_HEADER)).isEqualTo("TRUNCATED_FILE");
      assertThat(header(report, Wire.ERROR_MESSAGE_HEADER)).contains("000002.bin").contains("truncated");
      assertThat(header(report, DriveSourceTask.ERROR_FILE_HEADER)).endsWith("000002.bin");
      // The frames after the bad scan flowed: scans 0, 1 and 3, sequences 0, 1, 3 (the bad scan used 2).
      List<DepthFrame> decoded = frames.stream().map(r -> parse(r.value())).toList();
      assertThat(decoded).extracting(f -> f.getId().getSequence()).containsExactly(0L, 1L, 3L);
      assertThat(decoded).extracting(f -> f.getSparse().getDepthM(0)).containsExactly(2f, 3f, 5f);
      DepthFrame first = decoded.get(0);
      assertThat(first.getId().getKind()).isEqualTo(SensorKind.SENSOR_KIND_LIDAR);
      assertThat(first.getWidth()).isEqualTo(100);
      assertThat(first.getIntrinsics().getFx()).isEqualTo(100.0);
      assertThat(first.getSparse().getIndexList()).containsExactly(20 * 100 + 50, 20 * 100 + 75);
      assertThat(frames).allSatisfy(r -> assertThat(r.key()).isEqualTo("lidar-it"));
      assertThat(frames.get(0).timestamp()).isEqualTo(decoded.get(0).getId().getCaptureTimeNs() / 1_000_000L);
    }

    // New scans arrive while the worker is down; a new worker on the same offsets file goes on from scan 4.
    TinyDrives.kittiScan(drive, 4);
    TinyDrives.kittiScan(drive, 5);
    try (LocalConnectWorker worker = LocalConnectWorker.start(broker.bootstrapServers(), offsets, Map.of())) {
      worker.putConnector("lidar", config);
      worker.awaitRunning("lidar", Duration.ofSeconds(30));
      List<ConsumerRecord<String, byte[]>> frames = consume("depth.raw.lidar", 5);
      List<DepthFrame> decoded = frames.stream().map(r -> parse(r.value())).toList();
      assertThat(decoded).extracting(f -> f.getId().getSequence()).containsExactly(0L, 1L, 3L, 4L, 5L);
      assertThat(decoded).extracting(f -> f.getSparse().getDepthM(0)).containsExactly(2f, 3f, 5f, 6f, 7f);
      // No second report of the bad scan: its offset was committed with the rest.
      assertThat(consume("depth.dlq", 1)).hasSize(1);
    }
  }

  @Test
  void recordThenReplayTwiceGivesByteIdenticalRecordsPerKey(@TempDir Path tmp) throws Exception {
    Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    int n = 30;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        String key = "sensor-" + (i % 3);
        byte[] value = DepthFrame.newBuilder().setId(FrameId.newBuilder().setSensorId(key).setSequence(i / 3))
            .setWidth(8).setHeight(2).build().toByteArray();
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>("rec.source", null, 1_700_000_000_000L + 40L * i, key, value);
        if (key.equals("sensor-2")) { // a vSLAM-style pose header, which must survive record and replay
          record.headers().add("depthstream.pose", ("0." + i + " 0 0 0 0 0 1").getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record);
      }
    }
    Path mcap = tmp.resolve("drive.mcap");
    Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      long recorded = new DriveRecorder().record(consumer, List.of("rec.source"), Map.of(), true,
          new DriveRecorder.Limits(Duration.ofSeconds(30), n, null), mcap);
      assertThat(recorded).isEqualTo(n);
    }
    Map<String, Object> playerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    for (String target : List.of("replay.a", "replay.b")) {
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(playerProps, new StringSerializer(), new ByteArraySerializer())) {
        long played = new DrivePlayer().play(producer, mcap,
            new DrivePlayer.Options(0, 0, -1, 1, Map.of("rec.source", target)), null);
        assertThat(played).isEqualTo(n);
      }
    }
    Map<String, List<String>> original = perKey(consumeAll("rec.source", n));
    Map<String, List<String>> a = perKey(consumeAll("replay.a", n));
    Map<String, List<String>> b = perKey(consumeAll("replay.b", n));
    assertThat(a).isEqualTo(b);
    assertThat(a).isEqualTo(original); // same keys, bytes and timestamps as recorded
    assertThat(a.keySet()).containsExactlyInAnyOrder("sensor-0", "sensor-1", "sensor-2");
    assertThat(a.get("sensor-1")).hasSize(10);
    assertThat(a.get("sensor-2")).allSatisfy(r -> assertThat(r).contains("depthstream.pose=0."));
  }

  /** Per key, each record as "timestamp:hex(value):headers", in partition order. */
  private static Map<String, List<String>> perKey(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      out.computeIfAbsent(r.key(), k -> new ArrayList<>())
          .add(r.timestamp() + ":" + java.util.HexFormat.of().formatHex(r.value()) + ":"
              + java.util.Arrays.stream(r.headers().toArray())
                  .map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)).toList());
    }
    return out;
  }

  private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
    Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  private static DepthFrame parse(byte[] bytes) {
    try {
      return DepthFrame.parseFrom(bytes);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Reads the topic from the start until {@code expected} records arrived or a quiet period passed. */
  static List<ConsumerRecord<String, byte[]>> consume(String topic, int expected) {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + Duration.ofMillis(700).toNanos(); // catch unexpected extras
        }
      }
    }
    return out;
  }
}
