package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node restarted after a gap, through a real KRaft broker: with {@value NodeConfig#REALTIME_START_SKIP_STALE} it
 * starts past the gap's stale records (never fetched, counted by topic); without it, it fetches them and the
 * real-time policy skips them one by one. The first node stays in the group on close, as a crashed one does, so the
 * restart also shows that this instance's leftover static members are removed before the group is moved.
 */
class StaleBacklogSkipIT {
  private static final int STALE = 60;
  private static final int FRESH = 4;
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @ParameterizedTest(name = "skip stale at start = {0}")
  @ValueSource(booleans = {true, false})
  void aRestartedNodeStartsPastTheStaleBacklogOrSkipsItFrameByFrame(boolean skipAtStart) throws Exception {
    String suffix = skipAtStart ? "on" : "off";
    Map<String, String> props = nodeProps(suffix, skipAtStart);
    String lidar = props.get(NodeConfig.TOPIC_RAW_LIDAR);
    NodeConfig config = NodeConfig.from(props);
    try (KafkaProducer<String, byte[]> producer = TestFrames.producer(broker.bootstrapServers())) {
      try (DepthNode first = DepthNode.start(config, DepthNode.methods(config))) {
        // Before the gap, so captured before the gap's frames (older than the budget by now, as in a real restart).
        send(producer, lidar, 0, 2, System.currentTimeMillis() - Duration.ofMinutes(20).toMillis());
        awaitIn(first, 2);
      }
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        List<String> left = admin.describeConsumerGroups(List.of("it-stale-" + suffix)).all().get()
            .get("it-stale-" + suffix).members().stream().map(m -> m.groupInstanceId().orElse("?")).toList();
        assertThat(left).as("the first node's static member, left in the group like a crashed one's")
            .containsExactly("it-stale-node-" + suffix + "-1");
      }
      // The gap: frames captured 10 minutes ago, far beyond the 60 s budget, then fresh ones.
      send(producer, lidar, 2, STALE, System.currentTimeMillis() - Duration.ofMinutes(10).toMillis());
      send(producer, lidar, 2 + STALE, FRESH, System.currentTimeMillis());

      try (DepthNode restarted = DepthNode.start(config, DepthNode.methods(config))) {
        awaitIn(restarted, skipAtStart ? FRESH : STALE + FRESH);
        Thread.sleep(500); // anything beyond the expected would arrive now
        double in = sum(restarted, NodeMetrics.FRAMES_IN);
        double out = sum(restarted, NodeMetrics.FRAMES_OUT);
        double skipped = sum(restarted, NodeMetrics.FRAMES_SKIPPED);
        Counter moved = restarted.registry().find(NodeMetrics.START_STALE_RECORDS).tag("topic", lidar).counter();
        if (skipAtStart) {
          assertThat(moved).isNotNull();
          assertThat(moved.count()).as("records moved past at start").isEqualTo(STALE);
          assertThat(in).as("fetched").isEqualTo(FRESH);
          assertThat(skipped).isZero();
        } else {
          assertThat(moved).as("no skip at start").isNull();
          assertThat(in).isEqualTo(STALE + FRESH);
          assertThat(skipped).as("the policy drops every stale frame a newer one supersedes").isEqualTo(STALE);
        }
        assertThat(out).as("the fresh frames come out either way").isEqualTo(FRESH);
      }
    }
  }

  @Test
  void aGroupWithAnotherLiveInstanceKeepsItsPositions() throws Exception {
    Map<String, String> props = nodeProps("busy", true);
    String lidar = props.get(NodeConfig.TOPIC_RAW_LIDAR);
    NodeConfig config = NodeConfig.from(props);
    try (KafkaProducer<String, byte[]> producer = TestFrames.producer(broker.bootstrapServers());
        KafkaConsumer<String, byte[]> other = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "it-stale-busy",
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "another-node-1",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      try (var admin = io.depthstream.streams.topology.TopicProvisioner.admin(config)) {
        io.depthstream.streams.topology.TopicProvisioner.createMissing(config, admin);
      }
      send(producer, lidar, 0, STALE, System.currentTimeMillis() - Duration.ofMinutes(10).toMillis());
      other.subscribe(List.of(lidar));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (other.assignment().isEmpty() && System.nanoTime() < deadline) {
        other.poll(Duration.ofMillis(100));
      }
      TopicPartition partition = new TopicPartition(lidar, 0);
      other.commitSync(Map.of(partition, new OffsetAndMetadata(0)));

      StaleBacklogSkip.Result result = StaleBacklogSkip.run(config,
          io.depthstream.streams.topology.DepthTopology.streamsProperties(config), System::currentTimeMillis);

      assertThat(result.notDone()).isEqualTo("group it-stale-busy has 1 live member(s) of other instances");
      assertThat(other.committed(Set.of(partition)).get(partition).offset()).isZero();
    }
  }

  private static Map<String, String> nodeProps(String suffix, boolean skipAtStart) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", broker.bootstrapServers());
    props.put("application.id", "it-stale-" + suffix);
    props.put("commit.interval.ms", "50");
    props.put("num.stream.threads", "1");
    props.put(NodeConfig.INSTANCE_ID, "it-stale-node-" + suffix);
    props.put(NodeConfig.LEAVE_GROUP_ON_CLOSE, "false");
    props.put(NodeConfig.METRICS_PORT, "0");
    props.put(NodeConfig.REALTIME_BUDGET_MS, "60000");
    props.put(NodeConfig.REALTIME_START_SKIP_STALE, Boolean.toString(skipAtStart));
    props.put(NodeConfig.METHOD_LIDAR, "nearest-fill");
    props.put(NodeConfig.METHOD_FOCAL, NodeConfig.METHOD_NONE);
    props.put(NodeConfig.WARMUP_FRAMES, "0");
    props.put(NodeConfig.WARMUP_RECORDS, "0");
    props.put(NodeConfig.TOPIC_RAW_LIDAR, "lidar-stale-" + suffix);
    props.put(NodeConfig.TOPIC_RAW_RGBD, "rgbd-stale-" + suffix);
    props.put(NodeConfig.TOPIC_RAW_VSLAM, "vslam-stale-" + suffix);
    props.put(NodeConfig.TOPIC_DENSE, "dense-stale-" + suffix);
    props.put(NodeConfig.TOPIC_GUIDANCE, "nav-stale-" + suffix);
    props.put(NodeConfig.TOPIC_DLQ, "dlq-stale-" + suffix);
    return props;
  }

  /** {@code count} sparse frames of sensor "velo" from {@code firstSequence}, captured 33 ms apart from {@code ms}. */
  private static void send(KafkaProducer<String, byte[]> producer, String topic, int firstSequence, int count,
      long ms) throws Exception {
    for (int i = 0; i < count; i++) {
      long captureMs = ms + 33L * i;
      DepthFrame frame = TestFrames.sparse("velo", firstSequence + i, 64, 48, new int[] {0, 64 * 48 - 1},
          new float[] {2f, 9f});
      frame = frame.toBuilder().setId(FrameId.newBuilder(frame.getId()).setCaptureTimeNs(captureMs * 1_000_000L))
          .build();
      producer.send(new ProducerRecord<>(topic, null, captureMs, "velo", frame.toByteArray()));
    }
    producer.flush();
  }

  private static void awaitIn(DepthNode node, int frames) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (sum(node, NodeMetrics.FRAMES_OUT) + sum(node, NodeMetrics.FRAMES_SKIPPED) < frames
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static double sum(DepthNode node, String counter) {
    return node.registry().find(counter).counters().stream().mapToDouble(Counter::count).sum();
  }
}
