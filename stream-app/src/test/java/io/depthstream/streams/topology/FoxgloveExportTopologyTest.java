package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import foxglove.CameraCalibrationOuterClass.CameraCalibration;
import foxglove.LaserScanOuterClass.LaserScan;
import foxglove.RawImageOuterClass.RawImage;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.config.NodeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The optional live Foxglove export of the frame path's emit stage, through the whole topology. */
class FoxgloveExportTopologyTest {
  private static final String FOXGLOVE_ON = "depthstream.foxglove.enabled=true";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static final class Harness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> rgbd;
    final NodeOutputs outputs;
    final TestOutputTopic<String, byte[]> images;
    final TestOutputTopic<String, byte[]> calibrations;
    final TestOutputTopic<String, byte[]> scans;

    Harness(NodeConfig config, SimpleMeterRegistry registry) {
      driver = NodeOutputs.driver(config, registry);
      rgbd = NodeOutputs.rawInput(driver, config.getString(NodeConfig.TOPIC_RAW_RGBD));
      outputs = NodeOutputs.of(driver, config);
      images = output(config.getString(NodeConfig.TOPIC_FOXGLOVE_IMAGE));
      calibrations = output(config.getString(NodeConfig.TOPIC_FOXGLOVE_CALIBRATION));
      scans = output(config.getString(NodeConfig.TOPIC_FOXGLOVE_SCAN));
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
      return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  @Test
  void eachFrameYieldsARawImageACalibrationAndALaserScanInTheSensorsFrames() throws Exception {
    NodeConfig config = NodeOutputs.config(FOXGLOVE_ON, "depthstream.method.rgbd=nearest-fill",
        "depthstream.output.encoding=uint16-mm");
    try (Harness h = new Harness(config, registry)) {
      for (int seq = 1; seq <= 3; seq++) {
        h.rgbd.pipeInput("kinect-1", TestFrames.flat("kinect-1", seq, 8, 6, 1000 * seq).toByteArray());
      }
      List<TestRecord<String, DenseDepth>> dense = h.outputs.dense().readRecordsToList();
      List<TestRecord<String, NavigationGuidance>> guidance = h.outputs.guidance().readRecordsToList();
      List<TestRecord<String, byte[]>> images = h.images.readRecordsToList();
      List<TestRecord<String, byte[]>> calibrations = h.calibrations.readRecordsToList();
      List<TestRecord<String, byte[]>> scans = h.scans.readRecordsToList();
      assertThat(dense).hasSize(3);
      assertThat(images).hasSize(3);
      assertThat(calibrations).hasSize(3);
      assertThat(scans).hasSize(3);
      for (int i = 0; i < 3; i++) {
        DenseDepth d = dense.get(i).value();
        long captureNs = d.getId().getCaptureTimeNs();
        Timestamp stamp = Timestamp.newBuilder().setSeconds(captureNs / 1_000_000_000L)
            .setNanos((int) (captureNs % 1_000_000_000L)).build();
        for (TestRecord<String, byte[]> r : List.of(images.get(i), calibrations.get(i), scans.get(i))) {
          assertThat(r.key()).isEqualTo("kinect-1");
          assertThat(r.timestamp()).isEqualTo(dense.get(i).timestamp());
        }

        RawImage image = RawImage.parseFrom(images.get(i).value());
        assertThat(image.getEncoding()).isEqualTo("16UC1");
        assertThat(image.getWidth()).isEqualTo(8);
        assertThat(image.getHeight()).isEqualTo(6);
        assertThat(image.getStep()).isEqualTo(16);
        assertThat(image.getData()).isEqualTo(d.getDenseMm().getData());
        assertThat(ByteBuffer.wrap(image.getData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getShort(0))
            .isEqualTo((short) (1000 * (i + 1)));
        assertThat(image.getTimestamp()).isEqualTo(stamp);
        assertThat(image.getFrameId()).isEqualTo("kinect-1_optical_frame");

        CameraCalibration calibration = CameraCalibration.parseFrom(calibrations.get(i).value());
        assertThat(calibration.getWidth()).isEqualTo(8);
        assertThat(calibration.getHeight()).isEqualTo(6);
        // TestFrames' intrinsics: fx = fy = width, cx = (width - 1) / 2, cy = (height - 1) / 2.
        assertThat(calibration.getKList()).containsExactly(8.0, 0.0, 3.5, 0.0, 8.0, 2.5, 0.0, 0.0, 1.0);
        assertThat(calibration.getTimestamp()).isEqualTo(stamp);
        assertThat(calibration.getFrameId()).isEqualTo("kinect-1_optical_frame");

        LaserScan scan = LaserScan.parseFrom(scans.get(i).value());
        NavigationGuidance g = guidance.get(i).value();
        assertThat(scan.getRangesCount()).isEqualTo(g.getScan().getRangesMCount()).isPositive();
        // Double.equals: NaN (no depth in a sector) equals NaN.
        assertThat(scan.getRangesList()).isEqualTo(g.getScan().getRangesMList().stream().map(Float::doubleValue)
            .toList());
        assertThat(scan.getStartAngle()).isEqualTo((double) g.getScan().getAngleMinRad());
        assertThat(scan.getTimestamp()).isEqualTo(stamp);
        assertThat(scan.getFrameId()).isEqualTo("kinect-1_optical_frame");

        // Every depthstream output names its frame too.
        assertThat(d.getFrameId()).isEqualTo("kinect-1_optical_frame");
        assertThat(g.getFrameId()).isEqualTo("kinect-1_frame");
      }
      assertThat(h.outputs.deadLetters().isEmpty()).isTrue();
    }
  }

  @Test
  void float32OutputIsA32FC1ImageOfTheSameBytes() throws Exception {
    NodeConfig config = NodeOutputs.config(FOXGLOVE_ON, "depthstream.method.rgbd=nearest-fill",
        "depthstream.output.encoding=float32-m");
    try (Harness h = new Harness(config, registry)) {
      h.rgbd.pipeInput("kinect-1", TestFrames.flat("kinect-1", 1, 8, 6, 1500).toByteArray());
      DenseDepth d = h.outputs.dense().readValue();
      RawImage image = RawImage.parseFrom(h.images.readValue());
      assertThat(image.getEncoding()).isEqualTo("32FC1");
      assertThat(image.getStep()).isEqualTo(32);
      assertThat(image.getData()).isEqualTo(d.getDenseM().getData());
      assertThat(ByteBuffer.wrap(image.getData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getFloat(0))
          .isEqualTo(1.5f);
    }
  }

  @Test
  void uint16In256thsOfAMetreIsA32FC1ImageInMetresFromOneReusedArray() throws Exception {
    NodeConfig config = NodeOutputs.config(FOXGLOVE_ON, "depthstream.method.rgbd=nearest-fill",
        "depthstream.output.encoding=uint16-256");
    try (Harness h = new Harness(config, registry)) {
      h.rgbd.pipeInput("kinect-1", TestFrames.flat("kinect-1", 1, 8, 6, 1500).toByteArray());
      h.rgbd.pipeInput("kinect-1", TestFrames.flat("kinect-1", 2, 8, 6, 2500).toByteArray());
      List<byte[]> images = h.images.readValuesToList();
      assertThat(images).hasSize(2);
      // Each record was serialized before the next frame reused the array: both keep their own depth.
      float[] metres = {1.5f, 2.5f};
      for (int i = 0; i < 2; i++) {
        RawImage image = RawImage.parseFrom(images.get(i));
        assertThat(image.getEncoding()).isEqualTo("32FC1");
        assertThat(image.getStep()).isEqualTo(32);
        assertThat(image.getData().size()).isEqualTo(8 * 6 * 4);
        assertThat(ByteBuffer.wrap(image.getData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getFloat(0))
            .isEqualTo(Math.round(metres[i] * 256) / 256f);
      }
    }
  }

  @Test
  void offByDefaultTheTopologyWritesNoFoxgloveTopics() {
    NodeConfig config = NodeOutputs.config("depthstream.method.rgbd=nearest-fill");
    assertThat(config.foxgloveEnabled()).isFalse();
    try (TopologyTestDriver driver = NodeOutputs.driver(config, registry)) {
      NodeOutputs.rawInput(driver, config.getString(NodeConfig.TOPIC_RAW_RGBD))
          .pipeInput("kinect-1", TestFrames.flat("kinect-1", 1, 8, 6, 1500).toByteArray());
      assertThat(driver.producedTopicNames()).contains(config.getString(NodeConfig.TOPIC_DENSE))
          .doesNotContain("foxglove.depth.image", "foxglove.depth.calibration", "foxglove.nav.scan");
    }
    assertThat(TopicProvisioner.topicNames(config)).doesNotContain("foxglove.depth.image");
    assertThat(TopicProvisioner.topicNames(NodeOutputs.config(FOXGLOVE_ON)))
        .contains("foxglove.depth.image", "foxglove.depth.calibration", "foxglove.nav.scan");
    assertThat(TopicProvisioner.topicNames(NodeOutputs.config(FOXGLOVE_ON,
        "depthstream.topic.foxglove.image=robot1.image"))).contains("robot1.image");
  }

  @Test
  void withTheExportOnTheProducerLimitIsRaisedAsForFloat32() {
    String key = StreamsConfig.producerPrefix("max.request.size");
    assertThat(DepthTopology.streamsProperties(NodeOutputs.config("depthstream.output.encoding=uint16-mm"))
        .getProperty(key)).isNull();
    assertThat(DepthTopology.streamsProperties(NodeOutputs.config("depthstream.output.encoding=uint16-mm",
        FOXGLOVE_ON)).getProperty(key)).isEqualTo(Integer.toString(TopicLimits.FLOAT32_MAX_BYTES));
  }

  @Test
  void anImageOverTheProducerLimitDeadLettersItsFrameAndTheGuidanceStillGoesOut() {
    // uint16-256 output 400x400 is 320 kB; its Foxglove image is 32FC1 metres, 640 kB, over a 512 KiB limit.
    NodeConfig config = NodeOutputs.config(FOXGLOVE_ON, "depthstream.output.encoding=uint16-256",
        "depthstream.method.rgbd=nearest-fill", "producer.max.request.size=524288");
    try (Harness h = new Harness(config, registry)) {
      h.rgbd.pipeInput("big", TestFrames.flat("big", 1, 400, 400, 1500).toByteArray());
      TestRecord<String, byte[]> dead = h.outputs.deadLetters().readRecord();
      assertThat(header(dead, Wire.ERROR_REASON_HEADER)).isEqualTo("OUTPUT_TOO_LARGE");
      assertThat(header(dead, Wire.ERROR_MESSAGE_HEADER)).contains("Foxglove image of the 400x400 output")
          .contains("640000 bytes");
      assertThat(h.outputs.guidance().readValuesToList()).hasSize(1);
      assertThat(h.outputs.dense().isEmpty()).isTrue();
      assertThat(h.images.isEmpty()).isTrue();
      assertThat(h.scans.isEmpty()).isTrue();
    }
  }

  private static String header(TestRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
