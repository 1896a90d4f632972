package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.depthstream.connect.synthetic.SampleDrive;
import io.depthstream.connect.synthetic.SyntheticSensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/compose.yaml without a Docker engine: valid against the official Compose specification schema (vendored
 * in src/test/resources/compose-spec with its source), the build's Kafka version, files that exist, a listener
 * for host clients, and connector configurations that the sources accept on the sample drive the Connect image
 * bundles.
 */
class ComposeFileTest {
  private static final Path COMPOSE = DeployFiles.docker("compose.yaml");
  /** Where the Connect image (docker/connect.Dockerfile) puts the sample drive. */
  static final String SAMPLE_DRIVE = "/opt/depthstream/sample-drive";

  private final JsonNode compose = DeployFiles.yaml(COMPOSE);

  /** The vendored schema, loaded by its class-path location (its relative $id resolves against it). */
  private static Schema composeSchema() {
    assertThat(ComposeFileTest.class.getResource("/compose-spec/compose-spec.json")).as("vendored schema").isNotNull();
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
  }

  @Test
  void isValidAgainstTheComposeSpecificationSchema() {
    List<Error> errors = composeSchema().validate(compose);
    assertThat(errors).as("schema errors in %s", COMPOSE).isEmpty();
    assertThat(compose.path("services").properties()).extracting(Map.Entry::getKey)
        .contains("kafka", "connect", "connect-init", "depthstream", "prometheus", "grafana");
  }

  @Test
  void theSchemaRejectsAMisspelledServiceKey() {
    // The control: a validator that accepted anything would pass the test above too.
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.path("services").path("kafka")).put("imagee", "apache/kafka");
    assertThat(composeSchema().validate(broken)).extracting(Error::toString)
        .anySatisfy(e -> assertThat(e).contains("imagee"));
  }

  @Test
  void kafkaIsTheBuildsVersion() throws IOException {
    Matcher m = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
        .matcher(Files.readString(DeployFiles.root().resolve("pom.xml")));
    assertThat(m.find()).as("kafka.version in the parent pom").isTrue();
    assertThat(compose.path("services").path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + m.group(1));
  }

  @Test
  void everyBuildContextDockerfileAndMountedFileExists() {
    Path dockerDir = COMPOSE.getParent();
    List<String> checked = new ArrayList<>();
    compose.path("services").properties().forEach(service -> {
      JsonNode build = service.getValue().path("build");
      if (!build.isMissingNode()) {
        Path context = dockerDir.resolve(build.path("context").asText()).normalize();
        assertThat(context).as("build context of %s", service.getKey()).isDirectory();
        Path dockerfile = context.resolve(build.path("dockerfile").asText());
        assertThat(dockerfile).as("dockerfile of %s", service.getKey()).isRegularFile();
        checked.add(dockerfile.toString());
      }
      for (JsonNode volume : service.getValue().path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith("./")) { // bind mounts of this directory; named volumes and ${...} are not files here
          assertThat(dockerDir.resolve(source)).as("mounted into %s", service.getKey()).exists();
          checked.add(source);
        }
      }
    });
    assertThat(checked).anySatisfy(p -> assertThat(p).endsWith("node.Dockerfile"))
        .anySatisfy(p -> assertThat(p).endsWith("connect.Dockerfile"))
        .contains("./prometheus", "./grafana/provisioning", "./grafana/dashboards");
    // Grafana's dashboard provider reads the directory the compose file mounts the dashboards at.
    String provided = DeployFiles.yaml(DeployFiles.docker("grafana/provisioning/dashboards/depthstream.yaml"))
        .path("providers").get(0).path("options").path("path").asText();
    assertThat(compose.path("services").path("grafana").path("volumes")).extracting(JsonNode::asText)
        .contains("./grafana/dashboards:" + provided + ":ro");
  }

  @Test
  void hostClientsHaveTheirOwnAdvertisedListener() {
    JsonNode kafka = compose.path("services").path("kafka");
    JsonNode env = kafka.path("environment");
    Map<String, String> advertised = listeners(env.path("KAFKA_ADVERTISED_LISTENERS").asText());
    Map<String, String> bound = listeners(env.path("KAFKA_LISTENERS").asText());
    // Containers reach the broker by its service name, the host by localhost on a published port.
    assertThat(advertised).containsEntry("INTERNAL", "kafka:9092");
    String host = advertised.values().stream().filter(a -> a.startsWith("localhost:")).findFirst().orElseThrow(
        () -> new AssertionError("no listener advertised to the host (localhost:<port>): " + advertised));
    String hostListener = advertised.entrySet().stream().filter(e -> e.getValue().equals(host)).findFirst()
        .orElseThrow().getKey();
    String port = host.substring("localhost:".length());
    assertThat(bound).containsEntry(hostListener, ":" + port);
    assertThat(kafka.path("ports")).extracting(JsonNode::asText).contains(port + ":" + port);
    assertThat(env.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText()).contains(hostListener + ":PLAINTEXT");
    assertThat(env.path("KAFKA_INTER_BROKER_LISTENER_NAME").asText()).isEqualTo("INTERNAL");
    // The containers use the internal listener.
    assertThat(compose.path("services").path("depthstream").path("environment")
        .path("DEPTHSTREAM_KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
    assertThat(Files.exists(DeployFiles.docker("connect/connect-distributed.properties"))).isTrue();
  }

  @Test
  void everyConnectorValidatesAgainstItsOwnConfigDefOnTheDriveTheImageBundles(@TempDir Path drive) throws Exception {
    // The Connect image writes the sample drive into SAMPLE_DRIVE; write one here and validate each connector there.
    SampleDrive.write(drive, 1, 7, null);
    List<Path> connectors = connectorFiles();
    List<String> classes = new ArrayList<>();
    List<String> inputDirs = new ArrayList<>();
    for (Path file : connectors) {
      Map<String, String> config = new HashMap<>();
      DeployFiles.json(file).properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
      for (String key : List.of("input.dir", "calib.file", "calib.dir")) {
        String value = config.get(key);
        if (value != null) {
          assertThat(value).as("%s in %s", key, file).startsWith(SAMPLE_DRIVE + "/");
          Path local = drive.resolve(value.substring(SAMPLE_DRIVE.length() + 1));
          assertThat(local).as("%s in %s: written by the sample-drive command", key, file).exists();
          config.put(key, local.toString());
        }
      }
      inputDirs.add(drive.relativize(Path.of(config.get("input.dir"))).toString());
      Connector connector = (Connector) Class.forName(config.get("connector.class")).getConstructor().newInstance();
      classes.add(connector.getClass().getSimpleName());
      List<String> problems = new ArrayList<>();
      for (ConfigValue value : connector.validate(config).configValues()) {
        value.errorMessages().forEach(msg -> problems.add(value.name() + ": " + msg));
      }
      assertThat(problems).as("%s", file).isEmpty();
      // The cameras the connectors announce are the generator's (the LiDAR's comes from the calibration file).
      if (config.containsKey("camera.intrinsics")) {
        double f = SyntheticSensor.rgbd("k", 7, SampleDrive.CAMERA_WIDTH, SampleDrive.CAMERA_HEIGHT).camera().fx();
        assertThat(config.get("camera.intrinsics")).as("%s", file).isEqualTo(f + " " + f + " 319.5 239.5");
      }
    }
    assertThat(classes).containsExactlyInAnyOrder("LidarSourceConnector", "RgbdSourceConnector",
        "VslamSourceConnector");
    assertThat(inputDirs).containsExactlyInAnyOrder(SampleDrive.LIDAR_SCANS, SampleDrive.RGBD_SEQUENCE,
        SampleDrive.VSLAM_KEYFRAMES);
  }

  @Test
  void connectInitCreatesEveryConnectorFileAndTheWorkerMountsNoHostData() throws IOException {
    JsonNode init = compose.path("services").path("connect-init");
    assertThat(init.path("volumes")).extracting(JsonNode::asText).containsExactly("./connect:/connectors:ro");
    String script = init.path("command").get(0).asText();
    assertThat(script).contains("for file in /connectors/*.json", "/connectors/$$name/config");
    assertThat(connectorFiles()).hasSize(3);
    // The drive is in the image: the worker mounts its configuration only, and nothing outside the repository.
    assertThat(compose.path("services").path("connect").path("volumes")).extracting(JsonNode::asText)
        .containsExactly("./connect/connect-distributed.properties:/etc/depthstream/connect-distributed.properties:ro");
    assertThat(Files.readString(COMPOSE)).doesNotContain("shared/data", "/data:");
  }

  @Test
  void theOwnDriveOverrideMountsTheUsersDriveOverTheBundledOne() {
    JsonNode override = DeployFiles.yaml(DeployFiles.docker("compose.own-drive.yaml"));
    assertThat(composeSchema().validate(override)).isEmpty();
    assertThat(override.path("services").path("connect").path("volumes")).extracting(JsonNode::asText)
        .containsExactly("${DEPTHSTREAM_DRIVE:?set DEPTHSTREAM_DRIVE to the directory of your drive}:" + SAMPLE_DRIVE
            + ":ro");
  }

  /** docker/connect/*.json: the connectors connect-init creates. */
  static List<Path> connectorFiles() throws IOException {
    try (Stream<Path> files = Files.list(DeployFiles.docker("connect"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static Map<String, String> listeners(String list) {
    Map<String, String> byName = new HashMap<>();
    for (String listener : list.split(",")) {
      String[] parts = listener.trim().split("://", 2);
      byName.put(parts[0], parts[1]);
    }
    return byName;
  }
}
