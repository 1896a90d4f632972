package io.depthstream.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
      Map<String, Object> consumerProps =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
              ConsumerConfig.GROUP_ID_CONFIG, "it-group",
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
              ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
              ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
              ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
      List<ConsumerRecord<String, String>> received = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
        consumer.subscribe(List.of("it.roundtrip"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.size() < 10 && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
      }
      assertThat(received).hasSize(10);
      assertThat(received).extracting(ConsumerRecord::value).contains("frame-0", "frame-9");
      // The record timestamp given by the producer survives the round trip (capture-time convention).
      assertThat(received).extracting(ConsumerRecord::timestamp).contains(1_000L, 1_009L);
    }
  }
}
