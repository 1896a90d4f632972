package io.depthstream.streams;

import io.depthstream.streams.config.NodeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up warm-up of the Kafka client path (issue 16, cold start): before the node subscribes, records of
 * {@link #RECORD_BYTES} make a round trip, one at a time, through a topic of the node's own,
 * {@code <application.id>-warmup}, with a producer and a consumer configured as the stream threads' own
 * ({@link StreamsConfig#getProducerConfigs} and {@link StreamsConfig#getRestoreConsumerConfigs}: the same security,
 * sizes and isolation level).
 *
 * <p>Why: the frame-path warm-up ({@code PathWarmUp}) leaves the Kafka clients (and, where it runs in the same JVM,
 * the broker) untouched, so the first real frames went through classes still to be loaded and send, append and
 * fetch paths still interpreted, on the same two cores, and a cold node fell behind in its first second and took
 * seconds to catch up. The classes and their compiled code are shared by every client of the JVM, so the stream
 * threads' consumers and producers start with those paths run. It does not take the JIT's later work away: the
 * hottest client methods reach the optimising compiler only under the real load (BENCHMARKS.md, "Cold start,
 * session 7").
 *
 * <p>The topic lies under the {@code <application.id>} prefix of Kafka Streams' internal topics, which the node's
 * ACLs already cover (README, "Security"). It is created when missing (one partition, one minute retention). The
 * warm-up never stops a start: when the topic cannot be created or the round trip fails it logs why and the node
 * starts cold.
 */
final class ClientPathWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(ClientPathWarmUp.class);

  /** Suffix of the warm-up topic's name after the application id. */
  static final String TOPIC_SUFFIX = "-warmup";

  /**
   * The value size of a warm-up record: several network reads per record, as for a frame, at a tenth of a dense
   * frame's bytes on the broker.
   */
  static final int RECORD_BYTES = 64 * 1024;

  /** How long the whole round trip may take before the node starts anyway. */
  private static final Duration TIME_LIMIT = Duration.ofSeconds(20);

  /** How long a warm-up record is kept: only until the round trip has read it back. */
  private static final String RETENTION_MS = Long.toString(Duration.ofMinutes(1).toMillis());

  private ClientPathWarmUp() {}

  /**
   * What the round trip did.
   *
   * @param topic the warm-up topic
   * @param sent records asked for ({@value NodeConfig#WARMUP_RECORDS})
   * @param received records read back within the time limit
   * @param recordBytes the value size of each record, bytes
   * @param nanos wall time of the round trip, nanoseconds (topic creation and client start included)
   */
  record Result(String topic, int sent, int received, int recordBytes, long nanos) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d of %d records of %d KiB through %s in %d ms", received, sent,
          recordBytes / 1024, topic, nanos / 1_000_000L);
    }
  }

  /** The warm-up topic of an application id. */
  static String topic(String applicationId) {
    return applicationId + TOPIC_SUFFIX;
  }

  /**
   * Runs {@value NodeConfig#WARMUP_RECORDS} records of {@link #RECORD_BYTES} through the warm-up topic; nothing
   * when that setting is 0.
   *
   * @param streamsProperties the node's Kafka Streams properties
   * @return what the round trip did, or null when it was off or could not run (the reason is logged)
   */
  static Result run(NodeConfig config, Properties streamsProperties) {
    int records = config.getInt(NodeConfig.WARMUP_RECORDS);
    if (records == 0) {
      return null;
    }
    StreamsConfig streams = new StreamsConfig(streamsProperties);
    String topic = topic(streams.getString(StreamsConfig.APPLICATION_ID_CONFIG));
    long start = System.nanoTime();
    try {
      createIfMissing(streams, topic, config.getShort(NodeConfig.TOPICS_REPLICATION));
      int received = roundTrip(streams, topic, records);
      return new Result(topic, records, received, RECORD_BYTES, System.nanoTime() - start);
    } catch (KafkaException | IllegalStateException e) {
      LOG.warn("Kafka client warm-up skipped, the node starts with cold clients: {}", e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void createIfMissing(StreamsConfig streams, String topic, short replication)
      throws InterruptedException {
    Map<String, Object> admin = streams.getAdminConfigs(topic + "-admin");
    try (Admin client = Admin.create(admin)) {
      if (client.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        return;
      }
      NewTopic warmUp = new NewTopic(topic, 1, replication)
          .configs(Map.of("retention.ms", RETENTION_MS, "cleanup.policy", "delete"));
      try {
        client.createTopics(List.of(warmUp)).all().get(30, TimeUnit.SECONDS);
        LOG.info("created topic {} (the Kafka client warm-up's)", topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list topics: " + e, e);
    }
  }

  /**
   * Sends {@code records} values of {@link #RECORD_BYTES} one at a time, each read back (from where the partition
   * ended before the first send) before the next is sent, so each takes the whole path: a produce request, the
   * broker's append, a fetch; returns how many came back within {@link #TIME_LIMIT}.
   */
  private static int roundTrip(StreamsConfig streams, String topic, int records) {
    Map<String, Object> consumerProps = streams.getRestoreConsumerConfigs(topic + "-consumer");
    consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(2 * RECORD_BYTES,
        Integer.parseInt(String.valueOf(consumerProps.getOrDefault(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES)))));
    TopicPartition partition = new TopicPartition(topic, 0);
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    byte[] value = new byte[RECORD_BYTES];
    long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(streams.getProducerConfigs(topic + "-producer"),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition, Duration.ofSeconds(30));
      int sent = 0;
      int received = 0;
      while (received < records && System.nanoTime() < deadline) {
        if (sent == received && sent < records) {
          value[sent % RECORD_BYTES] = (byte) sent; // not the same bytes every time
          producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
            if (e != null) {
              sendFailure.compareAndSet(null, e);
            }
          });
          sent++;
        }
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(50));
        received += batch.count();
        if (sendFailure.get() != null) {
          throw new IllegalStateException("sending to " + topic + " failed: " + sendFailure.get().getMessage(),
              sendFailure.get());
        }
      }
      return received;
    }
  }
}
