package io.depthstream.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.streams.DepthNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  private static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", "broker:9092");
    props.put("application.id", "test");
    return props;
  }

  @Test
  void theShippedExampleFileIsValid() {
    Path file = Path.of(System.getProperty("depthstream.root", "..")).resolve("config/depthstream.properties");
    NodeConfig config = NodeConfig.from(ConfigLoader.merge(file, Map.of(), List.of()));
    assertThat(config.getString(NodeConfig.TOPIC_DENSE)).isEqualTo("depth.dense");
    assertThat(config.kafkaProperties()).containsEntry("processing.guarantee", "at_least_once");
    // The example file states the defaults of the inference settings explicitly, except intra-op threads: it
    // runs one per session (one stream thread per sensor on the 2-core box, see its comment and BENCHMARKS).
    NodeConfig defaults = NodeConfig.from(minimal());
    for (String key : List.of(NodeConfig.INFERENCE_SPINNING, NodeConfig.INFERENCE_BATCH_MAX,
        NodeConfig.INFERENCE_BATCH_LINGER_MS)) {
      assertThat(config.originals()).as(key).containsKey(key);
      assertThat(config.values().get(key)).as(key).isEqualTo(defaults.values().get(key));
    }
    assertThat(config.getInt(NodeConfig.INFERENCE_THREADS_INTRA)).isEqualTo(1);
    // Focal stacks are on in the example, with the shipped model.
    assertThat(config.getString(NodeConfig.METHOD_FOCAL)).isEqualTo("focal_stack");
    assertThat(config.rawTopics()).contains("focalstack.raw");
  }

  @Test
  void unknownNodeKeyFailsAndNamesIt() {
    Map<String, String> props = minimal();
    props.put("depthstream.topic.dnese", "x");
    assertThatThrownBy(() -> NodeConfig.from(props)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("depthstream.topic.dnese");
  }

  @Test
  void invalidValueFailsAndNamesTheKey() {
    Map<String, String> props = minimal();
    props.put(NodeConfig.OUTPUT_ENCODING, "uint8");
    assertThatThrownBy(() -> NodeConfig.from(props)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.OUTPUT_ENCODING).hasMessageContaining("uint8");
    Map<String, String> sectors = minimal();
    sectors.put(NodeConfig.GUIDANCE_SECTORS, "0");
    assertThatThrownBy(() -> NodeConfig.from(sectors)).hasMessageContaining(NodeConfig.GUIDANCE_SECTORS);
  }

  @Test
  void invalidInferenceSettingsFailAndNameTheKey() {
    Map<String, String[]> bad = Map.of(
        NodeConfig.INFERENCE_BATCH_MAX, new String[] {"0", "65", "two"},
        NodeConfig.INFERENCE_BATCH_LINGER_MS, new String[] {"-1", "1001", "2ms"},
        NodeConfig.INFERENCE_SPINNING, new String[] {"maybe", "2"},
        NodeConfig.INFERENCE_THREADS_INTRA, new String[] {"0", "1025"});
    eachFailsNamingTheKey(bad);
  }

  /** Every key=value of {@code bad}, alone on the minimal settings, fails start-up naming the key (and the value). */
  private static void eachFailsNamingTheKey(Map<String, String[]> bad) {
    bad.forEach((key, values) -> {
      for (String value : values) {
        Map<String, String> props = minimal();
        props.put(key, value);
        assertThatThrownBy(() -> NodeConfig.from(props)).as("%s=%s", key, value)
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(key)
            .hasMessageContaining(value);
      }
    });
  }

  @Test
  void pointAndViewSettingsHaveDefaultsAndBadValuesFailNamingTheKey() {
    NodeConfig defaults = NodeConfig.from(minimal());
    assertThat(defaults.pointsEnabled()).isFalse();
    assertThat(defaults.getString(NodeConfig.TOPIC_POINTS)).isEqualTo("depth.points");
    assertThat(defaults.getInt(NodeConfig.POINTS_DECIMATION)).isEqualTo(2);
    assertThat(defaults.getBoolean(NodeConfig.VIEW_ENABLED)).isTrue();
    assertThat(defaults.getInt(NodeConfig.VIEW_RATE_HZ)).isEqualTo(10);
    Map<String, String[]> bad = Map.of(
        NodeConfig.POINTS_ENABLED, new String[] {"yes"},
        NodeConfig.POINTS_DECIMATION, new String[] {"0", "65", "2px"},
        NodeConfig.POINTS_SUPPORT_MAX_PX, new String[] {"-1", "251"},
        NodeConfig.POINTS_RANGE_MAX_M, new String[] {"-1", "far"},
        NodeConfig.TOPIC_POINTS, new String[] {""},
        NodeConfig.VIEW_ENABLED, new String[] {"on"},
        NodeConfig.VIEW_RATE_HZ, new String[] {"0", "31"});
    eachFailsNamingTheKey(bad);
  }

  @Test
  void theFastFallbackDensityIsAShareOfThePixelsWithADocumentedDefault() {
    assertThat(NodeConfig.from(minimal()).getDouble(NodeConfig.FAST_FALLBACK_DENSITY))
        .isEqualTo(io.depthstream.inference.DensityFallback.DEFAULT_MIN_DENSITY).isEqualTo(0.01);
    Map<String, String> off = minimal();
    off.put(NodeConfig.FAST_FALLBACK_DENSITY, "0");
    assertThat(NodeConfig.from(off).getDouble(NodeConfig.FAST_FALLBACK_DENSITY)).isZero();
    eachFailsNamingTheKey(Map.of(NodeConfig.FAST_FALLBACK_DENSITY, new String[] {"-0.5", "2", "5%", "often"}));
    assertThat(NodeConfig.configDef().configKeys().get(NodeConfig.FAST_FALLBACK_DENSITY).documentation)
        .contains("default 0.01").contains("linear").contains("linear-inpaint-nearest-blend");
  }

  @Test
  void theFastResidualCorrectionIsOnByDefaultAndABadValueNamesTheKey() {
    assertThat(NodeConfig.from(minimal()).getString(NodeConfig.FAST_RESIDUAL)).isEqualTo("off");
    Map<String, String> custom = minimal();
    custom.put(NodeConfig.FAST_RESIDUAL, "scale=1,edge=inf");
    assertThat(NodeConfig.from(custom).getString(NodeConfig.FAST_RESIDUAL)).isEqualTo("scale=1,edge=inf");
    eachFailsNamingTheKey(Map.of(NodeConfig.FAST_RESIDUAL, new String[] {"", "yes", "scale=-1", "scale=1,edge=0",
        "edge=0.1", "scale=0.5,prior=1"}));
    assertThat(NodeConfig.configDef().configKeys().get(NodeConfig.FAST_RESIDUAL).documentation).contains("default")
        .contains("off");
  }

  @Test
  void inferenceKeysDocumentTheirUnitsAndDefaults() {
    for (String key : List.of(NodeConfig.INFERENCE_BATCH_MAX, NodeConfig.INFERENCE_BATCH_LINGER_MS,
        NodeConfig.INFERENCE_SPINNING, NodeConfig.INFERENCE_THREADS_INTRA)) {
      assertThat(NodeConfig.configDef().configKeys().get(key).documentation).as(key).contains("default");
    }
    assertThat(NodeConfig.configDef().configKeys().get(NodeConfig.INFERENCE_BATCH_LINGER_MS).documentation)
        .contains("milliseconds");
  }

  @Test
  void focalStackKeysHaveDefaultsAndJoinTheRawTopics() {
    NodeConfig defaults = NodeConfig.from(minimal());
    assertThat(defaults.getString(NodeConfig.TOPIC_RAW_FOCAL)).isEqualTo("focalstack.raw");
    assertThat(defaults.getString(NodeConfig.METHOD_FOCAL)).isEqualTo("focal_stack");
    assertThat(defaults.getLong(NodeConfig.REALTIME_BUDGET_MS_FOCAL)).isEqualTo(-1L);
    assertThat(defaults.rawTopics())
        .containsExactly("depth.raw.lidar", "depth.raw.rgbd", "depth.raw.vslam", "focalstack.raw");
    assertThat(io.depthstream.streams.topology.TopicProvisioner.topicNames(defaults)).contains("focalstack.raw");

    Map<String, String> props = minimal();
    props.put(NodeConfig.TOPIC_RAW_FOCAL, "stacks");
    assertThat(NodeConfig.from(props).rawTopics()).endsWith("stacks");
    props.put(NodeConfig.METHOD_FOCAL, "none");
    assertThat(NodeConfig.from(props).rawTopics())
        .containsExactly("depth.raw.lidar", "depth.raw.rgbd", "depth.raw.vslam");
  }

  @Test
  void invalidFocalStackSettingsFailAndNameTheKey() {
    Map<String, String[]> bad = Map.of(
        NodeConfig.METHOD_FOCAL, new String[] {""},
        NodeConfig.TOPIC_RAW_FOCAL, new String[] {""},
        NodeConfig.REALTIME_BUDGET_MS_FOCAL, new String[] {"-2", "soon"});
    eachFailsNamingTheKey(bad);
  }

  @Test
  void aRelativeModelsDirIsTheDistributionsWhenStartedFromOneAndAnAbsoluteOneStaysAsItIs() {
    Map<String, String> props = minimal();
    NodeConfig relative = NodeConfig.from(props);
    assertThat(relative.modelsDir("/opt/depthstream")).isEqualTo(Path.of("/opt/depthstream/models"));
    assertThat(relative.modelsDir(null)).isEqualTo(Path.of("models"));
    props.put(NodeConfig.MODELS_DIR, "/data/models");
    assertThat(NodeConfig.from(props).modelsDir("/opt/depthstream")).isEqualTo(Path.of("/data/models"));
  }

  @Test
  void anUnknownFocalStackModelFailsAtStartUpAndNamesTheKey() {
    Map<String, String> props = minimal();
    props.put(NodeConfig.MODELS_DIR,
        Path.of(System.getProperty("depthstream.root", "..")).resolve("models").toString());
    props.put(NodeConfig.METHOD_FOCAL, "no_such_focal_model");
    NodeConfig config = NodeConfig.from(props);
    assertThatThrownBy(() -> DepthNode.start(config, DepthNode.methods(config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.METHOD_FOCAL)
        .hasMessageContaining("no_such_focal_model");
  }

  @Test
  void missingBootstrapServersFailsAndNamesIt() {
    Map<String, String> props = minimal();
    props.remove("bootstrap.servers");
    assertThatThrownBy(() -> NodeConfig.from(props)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void inconsistentRowBandFailsAndNamesTheKey() {
    Map<String, String> props = minimal();
    props.put(NodeConfig.GUIDANCE_ROW_BEGIN, "0.6");
    props.put(NodeConfig.GUIDANCE_ROW_END, "0.4");
    assertThatThrownBy(() -> NodeConfig.from(props)).hasMessageContaining(NodeConfig.GUIDANCE_ROW_END);
  }

  @Test
  void guidanceSupportAndGroundPlaneSettingsAreCheckedAndNameTheKey() {
    NodeConfig defaults = NodeConfig.from(minimal());
    assertThat(defaults.getInt(NodeConfig.GUIDANCE_SUPPORT_MAX_PX)).isEqualTo(4);
    assertThat(defaults.getDouble(NodeConfig.GUIDANCE_CAMERA_HEIGHT_M)).isZero(); // ground plane off
    assertThat(defaults.getString(NodeConfig.OUTPUT_SUPPORT)).isEqualTo(NodeConfig.SUPPORT_NONE);
    Map<String, Map<String, String>> bad = Map.of(
        NodeConfig.GUIDANCE_SUPPORT_MAX_PX, Map.of(NodeConfig.GUIDANCE_SUPPORT_MAX_PX, "251"),
        NodeConfig.OUTPUT_SUPPORT, Map.of(NodeConfig.OUTPUT_SUPPORT, "mask"),
        NodeConfig.GUIDANCE_CAMERA_PITCH_DEG, Map.of(NodeConfig.GUIDANCE_CAMERA_PITCH_DEG, "10"), // no height
        NodeConfig.GUIDANCE_ROBOT_HEIGHT_M, Map.of(NodeConfig.GUIDANCE_ROBOT_HEIGHT_M, "1.0"), // no height
        NodeConfig.GUIDANCE_FLOOR_CLEARANCE_M, Map.of(NodeConfig.GUIDANCE_CAMERA_HEIGHT_M, "0.3",
            NodeConfig.GUIDANCE_FLOOR_CLEARANCE_M, "0.3"));
    bad.forEach((key, settings) -> {
      Map<String, String> props = minimal();
      props.putAll(settings);
      assertThatThrownBy(() -> NodeConfig.from(props)).as(key).isInstanceOf(ConfigException.class)
          .hasMessageContaining(key);
    });
    Map<String, String> tooShort = minimal();
    tooShort.put(NodeConfig.GUIDANCE_CAMERA_HEIGHT_M, "0.5");
    tooShort.put(NodeConfig.GUIDANCE_ROBOT_HEIGHT_M, "0.05"); // below the 0.1 m default clearance
    assertThatThrownBy(() -> NodeConfig.from(tooShort)).hasMessageContaining(NodeConfig.GUIDANCE_ROBOT_HEIGHT_M);
    Map<String, String> good = minimal();
    good.put(NodeConfig.GUIDANCE_CAMERA_HEIGHT_M, "0.5");
    good.put(NodeConfig.GUIDANCE_CAMERA_PITCH_DEG, "10");
    good.put(NodeConfig.GUIDANCE_ROBOT_HEIGHT_M, "1.2");
    assertThat(NodeConfig.from(good).getDouble(NodeConfig.GUIDANCE_CAMERA_PITCH_DEG)).isEqualTo(10.0);
  }

  @Test
  void unknownMethodFailsAtStartUpAndNamesTheKey() {
    Map<String, String> props = minimal();
    props.put(NodeConfig.METHOD_LIDAR, "magic");
    NodeConfig config = NodeConfig.from(props);
    assertThatThrownBy(() -> DepthNode.start(config, DepthNode.methods(config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(NodeConfig.METHOD_LIDAR)
        .hasMessageContaining("magic")
        .hasMessageContaining("nearest-fill");
  }

  @Test
  void kafkaSettingsPassThroughUntouched() {
    Map<String, String> props = minimal();
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;");
    NodeConfig config = NodeConfig.from(props);
    assertThat(config.kafkaProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;")
        .doesNotContainKey(NodeConfig.TOPIC_DENSE);
  }

  @Test
  void commandLineBeatsEnvironmentBeatsFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\napplication.id=a\ndepthstream.topic.dense=from-file\n"
        + "depthstream.topic.dlq=file-dlq\n");
    Map<String, String> env = Map.of(
        "DEPTHSTREAM_TOPIC_DENSE", "from-env",
        "DEPTHSTREAM_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
        "PATH", "/usr/bin");
    Map<String, String> merged = ConfigLoader.merge(file, env, List.of("depthstream.topic.dense=from-cli"));
    NodeConfig config = NodeConfig.from(merged);
    assertThat(config.getString(NodeConfig.TOPIC_DENSE)).isEqualTo("from-cli");
    assertThat(config.getString(NodeConfig.TOPIC_DLQ)).isEqualTo("file-dlq");
    assertThat(config.kafkaProperties()).containsEntry("bootstrap.servers", "env:9092").doesNotContainKey("PATH");
  }

  @Test
  void missingFileAndMalformedOverrideAreNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfigLoader.merge(missing, Map.of(), List.of())).hasMessageContaining("nope.properties");
    assertThatThrownBy(() -> ConfigLoader.merge(null, Map.of(), List.of("justakey")))
        .hasMessageContaining("justakey");
  }
}
