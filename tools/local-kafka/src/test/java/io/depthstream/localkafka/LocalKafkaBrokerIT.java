package io.depthstream.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LocalKafkaBrokerIT {

  @Test
  void producesAndConsumesThroughARealBrokerTransactionally() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      broker.createTopics(2, Map.of(), "it.roundtrip");
      Map<String, Object> producerProps =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
              ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx",
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
        // Transactions need the single-replica transaction log settings; without them this times out.
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("it.roundtrip", null, 1_000L + i, "sensor-" + (i % 2), "frame-" + i));
        }
        producer.commitTransaction();
      }
      List<ConsumerRecord<String, String>> received = consume(broker, "it.roundtrip", 10, "read_committed");
      assertThat(received).hasSize(10);
      assertThat(received).extracting(ConsumerRecord::value).contains("frame-0", "frame-9");
      // The record timestamp given by the producer survives the round trip (capture-time convention).
      assertThat(received).extracting(ConsumerRecord::timestamp).contains(1_000L, 1_009L);
    }
  }

  @Test
  void segmentsPastRetentionLeaveTheDiskWithinSeconds() throws Exception {
    // Kafka's defaults check retention every 5 minutes and delete a segment a minute after that; the local broker's
    // appends reuse freed page-cache pages only if old segments go within seconds (LocalKafkaBroker's comment).
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      int segmentBytes = 1024 * 1024;
      broker.createTopics(1, Map.of("segment.bytes", Integer.toString(segmentBytes),
          "retention.bytes", Integer.toString(segmentBytes)), "it.retention");
      Map<String, Object> producerProps =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
        for (int i = 0; i < 24; i++) {
          producer.send(new ProducerRecord<>("it.retention", new byte[256 * 1024])).get();
        }
      }
      Path partition = broker.logDirectory().resolve("it.retention-0");
      assertThat(segmentFiles(partition)).as("segments written").hasSizeGreaterThanOrEqualTo(5);

      // within seconds, on a loaded machine too; Kafka's 60 s delete delay alone would fail this
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (segmentFiles(partition).size() > 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(segmentFiles(partition)).as("segment files left 15 s after the writes").hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void recordsWithOldCaptureTimesOutliveTheRetentionChecks() throws Exception {
    // A replayed drive keeps its recorded capture times as record timestamps (DrivePlayer); a time limit on
    // retention would delete it at the next check, a second after it was written.
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      broker.createTopics(1, Map.of(), "it.replay");
      long recordedLastYear = System.currentTimeMillis() - Duration.ofDays(365).toMillis();
      Map<String, Object> producerProps =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>("it.replay", null, recordedLastYear + 40L * i, "lidar", "frame-" + i))
              .get();
        }
      }
      Thread.sleep(3_000); // two retention checks and a segment delete delay

      List<ConsumerRecord<String, String>> received = consume(broker, "it.replay", 5, "read_uncommitted");
      assertThat(received).extracting(ConsumerRecord::value)
          .containsExactly("frame-0", "frame-1", "frame-2", "frame-3", "frame-4");
      assertThat(received.get(0).timestamp()).isEqualTo(recordedLastYear);
    }
  }

  /** Up to {@code count} records of {@code topic} from its start, polled for at most 60 s by a new group. */
  private static List<ConsumerRecord<String, String>> consume(LocalKafkaBroker broker, String topic, int count,
      String isolation) {
    Map<String, Object> consumerProps =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    return received;
  }

  /** The partition's segment files on disk, including those renamed for deletion but not yet deleted. */
  private static List<Path> segmentFiles(Path partition) throws IOException {
    try (Stream<Path> files = Files.list(partition)) {
      return files.filter(f -> f.getFileName().toString().contains(".log")).toList();
    }
  }
}
