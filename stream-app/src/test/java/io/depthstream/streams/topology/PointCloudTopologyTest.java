package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.proto.kafka.Topic;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.PointCloud;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The optional point-cloud output of the frame path's emit stage, through the whole topology. */
class PointCloudTopologyTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static final String POINTS_ON = "depthstream.points.enabled=true";

  private final class Harness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> rgbd;
    final NodeOutputs outputs;
    final TestOutputTopic<String, PointCloud> points;

    Harness(NodeConfig config) {
      driver = NodeOutputs.driver(config, registry);
      rgbd = NodeOutputs.rawInput(driver, config.getString(NodeConfig.TOPIC_RAW_RGBD));
      outputs = NodeOutputs.of(driver, config);
      Topic<String, PointCloud> topic = Wire.points(config.getString(NodeConfig.TOPIC_POINTS));
      points = driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
          topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  /** A 5x4 frame at {@code mm} millimetres everywhere. */
  private static DepthFrame frame(long sequence, int mm) {
    return TestFrames.flat("kinect-1", sequence, 5, 4, mm);
  }

  @Test
  void eachFrameGetsOneDecimatedCloudKeyedAndTimestampedLikeItsDenseDepth() {
    NodeConfig config = NodeOutputs.config(POINTS_ON, "depthstream.points.decimation=2",
        "depthstream.method.rgbd=nearest-fill");
    try (Harness h = new Harness(config)) {
      for (int seq = 1; seq <= 3; seq++) {
        h.rgbd.pipeInput("kinect-1", frame(seq, 1000 * seq).toByteArray());
      }

      List<TestRecord<String, PointCloud>> clouds = h.points.readRecordsToList();
      List<TestRecord<String, DenseDepth>> dense = h.outputs.dense().readRecordsToList();
      assertThat(clouds).hasSize(3);
      assertThat(dense).hasSize(3);
      for (int i = 0; i < 3; i++) {
        TestRecord<String, PointCloud> record = clouds.get(i);
        PointCloud cloud = record.value();
        assertThat(record.key()).isEqualTo("kinect-1");
        assertThat(record.timestamp()).isEqualTo(dense.get(i).timestamp());
        assertThat(cloud.getId()).isEqualTo(dense.get(i).getValue().getId());
        assertThat(cloud.getIntrinsics()).isEqualTo(dense.get(i).getValue().getIntrinsics());
        assertThat(cloud.getFrameId()).isEqualTo("kinect-1_optical_frame");
        // Decimation 2 of 5x4: columns 0, 2, 4 and rows 0, 2.
        assertThat(cloud.getDecimation()).isEqualTo(2);
        assertThat(cloud.getWidth()).isEqualTo(3);
        assertThat(cloud.getHeight()).isEqualTo(2);
        assertThat(cloud.getValidPoints()).isEqualTo(6);
        assertThat(cloud.getXyz().size()).isEqualTo(6 * 12);
      }
      // The last cloud's point (column 2, row 1) is pixel (4, 2) at 3 m. TestFrames: fx = fy = 5, cx = 2, cy = 1.5.
      float[] p = new float[18];
      ByteBuffer.wrap(clouds.get(2).value().getXyz().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .get(p);
      assertThat(new float[] {p[15], p[16], p[17]}).containsExactly((4 - 2f) * 3f * (1f / 5f),
          (2 - 1.5f) * 3f * (1f / 5f), 3f);
      assertThat(h.outputs.guidance().readValuesToList()).hasSize(3);
      assertThat(h.outputs.deadLetters().isEmpty()).isTrue();
    }
  }

  @Test
  void offByDefaultTheTopologyWritesNoPointsTopic() {
    NodeConfig config = NodeOutputs.config("depthstream.method.rgbd=nearest-fill");
    try (TopologyTestDriver driver = NodeOutputs.driver(config, registry)) {
      NodeOutputs.rawInput(driver, config.getString(NodeConfig.TOPIC_RAW_RGBD))
          .pipeInput("kinect-1", frame(1, 1500).toByteArray());
      assertThat(driver.producedTopicNames()).contains(config.getString(NodeConfig.TOPIC_DENSE))
          .doesNotContain(config.getString(NodeConfig.TOPIC_POINTS));
    }
    assertThat(TopicProvisioner.topicNames(config)).doesNotContain("depth.points");
    assertThat(TopicProvisioner.topicNames(NodeOutputs.config(POINTS_ON))).contains("depth.points");
  }

  @Test
  void withPointsOnTheProducerLimitIsRaisedAsForFloat32() {
    String key = StreamsConfig.producerPrefix("max.request.size");
    NodeConfig uint16 = NodeOutputs.config("depthstream.output.encoding=uint16-mm");
    assertThat(DepthTopology.streamsProperties(uint16).getProperty(key)).isNull();
    assertThat(DepthTopology.streamsProperties(NodeOutputs.config("depthstream.output.encoding=uint16-mm", POINTS_ON))
        .getProperty(key)).isEqualTo(Integer.toString(TopicLimits.FLOAT32_MAX_BYTES));
  }

  @Test
  void aCloudOverTheProducerLimitDeadLettersItsFrameLikeADenseOutputAndTheGuidanceStillGoesOut() {
    // uint16 300x300 is 180 kB; its cloud at decimation 1 is 1.08 MB, over an explicit 1 MiB producer limit.
    NodeConfig config = NodeOutputs.config(POINTS_ON, "depthstream.points.decimation=1",
        "depthstream.output.encoding=uint16-mm", "depthstream.method.rgbd=nearest-fill",
        "producer.max.request.size=1048576");
    try (Harness h = new Harness(config)) {
      h.rgbd.pipeInput("big", TestFrames.flat("big", 1, 300, 300, 1500).toByteArray());
      h.rgbd.pipeInput("kinect-1", frame(2, 1500).toByteArray());

      TestRecord<String, byte[]> dead = h.outputs.deadLetters().readRecord();
      assertThat(header(dead, Wire.ERROR_REASON_HEADER)).isEqualTo("OUTPUT_TOO_LARGE");
      assertThat(header(dead, Wire.ERROR_MESSAGE_HEADER)).contains("point cloud of the 300x300 output")
          .contains("1080000 bytes").contains("depthstream.points.decimation");
      assertThat(h.outputs.deadLetters().isEmpty()).isTrue();
      // The big frame's guidance went out, its dense depth and cloud did not; the next frame has all three.
      assertThat(h.outputs.guidance().readValuesToList()).extracting(g -> g.getId().getSensorId())
          .containsExactly("big", "kinect-1");
      assertThat(h.outputs.dense().readValuesToList()).extracting(d -> d.getId().getSensorId())
          .containsExactly("kinect-1");
      assertThat(h.points.readValuesToList()).extracting(c -> c.getId().getSensorId()).containsExactly("kinect-1");
      assertThat(registry.find(NodeMetrics.FRAMES_DEAD_LETTERED).tags("sensor", "big", "reason", "OUTPUT_TOO_LARGE")
          .counter().count()).isEqualTo(1.0);
      assertThat(registry.find(NodeMetrics.FRAMES_OUT).tags("sensor", "big").counter().count()).isZero();
    }
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
