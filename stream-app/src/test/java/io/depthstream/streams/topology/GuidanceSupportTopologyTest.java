package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.proto.kafka.Topic;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.streams.NodeOutputs;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.config.NodeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** The frame path hands the guidance and the encoder the support of the input: a filled hole stays unknown. */
class GuidanceSupportTopologyTest {
  private static final int W = 40;
  private static final int H = 10;

  /** 40x10 RGB-D frame: the left 20 columns measured at 2 m, the right 20 a hole nearest-fill fills with 2 m. */
  private static DepthFrame halfHole() {
    int[] mm = new int[W * H];
    for (int i = 0; i < mm.length; i++) {
      mm[i] = i % W < 20 ? 2000 : 0;
    }
    return TestFrames.millimetres("kinect", 1, W, H, mm);
  }

  private static NodeConfig config(String... overrides) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "dummy:9092");
    props.put("application.id", "guidance-support-test");
    props.put(NodeConfig.METHOD_RGBD, "nearest-fill");
    props.put(NodeConfig.GUIDANCE_SECTORS, "4");
    for (String o : overrides) {
      String[] kv = o.split("=", 2);
      props.put(kv[0], kv[1]);
    }
    return NodeConfig.from(props);
  }

  private record Out(DenseDepth dense, NavigationGuidance guidance) {}

  private static Out process(NodeConfig config) {
    try (TopologyTestDriver driver = NodeOutputs.driver(config, new SimpleMeterRegistry())) {
      TestInputTopic<String, byte[]> rgbd = driver.createInputTopic(config.getString(NodeConfig.TOPIC_RAW_RGBD),
          new StringSerializer(), new ByteArraySerializer());
      Topic<String, DenseDepth> denseTopic = Wire.denseDepth(config.getString(NodeConfig.TOPIC_DENSE));
      TestOutputTopic<String, DenseDepth> dense = driver.createOutputTopic(denseTopic.name(),
          denseTopic.keySerde().deserializer(), denseTopic.valueSerde().deserializer());
      Topic<String, NavigationGuidance> nav = Wire.guidance(config.getString(NodeConfig.TOPIC_GUIDANCE));
      TestOutputTopic<String, NavigationGuidance> guidance = driver.createOutputTopic(nav.name(),
          nav.keySerde().deserializer(), nav.valueSerde().deserializer());
      rgbd.pipeInput("kinect", halfHole().toByteArray());
      return new Out(dense.readValue(), guidance.readValue());
    }
  }

  @Test
  void aFilledHoleIsUnknownInTheScanAndTheDenseOutputCarriesNoSupportByDefault() {
    Out out = process(config());
    // fx = 40, cx = 19.5, 4 sectors over +/-atan(0.5): sector 0 holds columns 29..39, 10+ px from a measurement.
    LaserScan scan = out.guidance().getScan();
    assertThat(scan.getRangesM(0)).isNaN();
    assertThat(scan.getRangesM(3)).isFinite(); // the measured left quarter
    assertThat(out.guidance().getAlert().getNearestM()).isEqualTo(2f); // measured columns 8..19 in the corridor
    assertThat(out.dense().hasSupport()).isFalse();
  }

  @Test
  void withOutputSupportTheDenseDepthCarriesOneCodePerPixel() {
    DenseDepth dense = process(config(NodeConfig.OUTPUT_SUPPORT + "=" + NodeConfig.SUPPORT_DISTANCE)).dense();
    byte[] codes = dense.getSupport().getData().toByteArray();
    assertThat(codes).hasSize(W * H);
    assertThat(codes[5 * W + 19] & 0xFF).isZero(); // measured
    assertThat(codes[5 * W + 39] & 0xFF).isEqualTo(20); // 20 px right of the last measured column
  }
}
