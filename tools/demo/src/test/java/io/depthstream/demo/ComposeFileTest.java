package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.depthstream.connect.source.lidar.LidarSourceConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml without a Docker engine: valid against the official Compose specification schema (vendored
 * in src/test/resources/compose-spec with its source), the build's Kafka version, files that exist, a listener
 * for host clients, and a connector configuration the LiDAR source accepts.
 */
class ComposeFileTest {
  private static final Path COMPOSE = DeployFiles.docker("compose.yaml");

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
  void theSampleDriveConnectorConfigurationIsAcceptedByTheLidarSource() throws IOException {
    // The connector reads /data in the container, which compose mounts from the shared data; validate it there.
    Path shared = DeployFiles.root().resolve("../shared/data").normalize();
    assumeTrue(Files.isDirectory(shared.resolve("kitti_object_000008")),
        "the sample drive is absent: " + shared + "/kitti_object_000008");
    Map<String, String> config = new HashMap<>();
    DeployFiles.json(DeployFiles.docker("connect/lidar-front.json")).properties()
        .forEach(e -> config.put(e.getKey(), e.getValue().asText().replace("/data/", shared + "/")));
    assertThat(config.get("connector.class")).isEqualTo(LidarSourceConnector.class.getName());
    List<String> problems = new ArrayList<>();
    for (ConfigValue value : new LidarSourceConnector().validate(config).configValues()) {
      value.errorMessages().forEach(msg -> problems.add(value.name() + ": " + msg));
    }
    assertThat(problems).isEmpty();
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
