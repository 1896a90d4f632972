package io.depthstream.streams.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.focus.DepthFromFocus;
import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node distribution holds what a node needs and nothing a node must not carry: runtime jars only (no broker,
 * Connect runtime, benchmark, test or tooling jars), an executable start script, the example configurations and
 * the shipped models that those configurations name. Runs in {@code package}, after the assembly (stream-app's
 * pom); {@code NodeDistributionIT} starts the script.
 */
class NodeDistributionTest {
  /** Jar name prefixes that must never reach a node: the broker, Connect's runtime, JMH, test and tooling jars. */
  private static final List<String> FORBIDDEN_JARS = List.of("kafka_2.13-", "kafka-server-", "kafka-metadata-",
      "kafka-raft-", "kafka-storage-", "connect-runtime-", "connect-api-", "jmh-", "junit-", "assertj-", "jqwik-",
      "archunit-", "kafka-streams-test-utils-", "kafka-test-common-", "bcpkix-", "scala-library-", "demo-",
      "local-kafka-", "drive-tools-", "depth-sim-", "depth-tools-", "depthstream-connectors-", "commons-compress-");
  /** What the node cannot start without. */
  private static final List<String> REQUIRED_JARS = List.of("stream-app-", "depth-core-", "depthstream-proto-",
      "depthstream-inference-", "kafka-streams-", "kafka-clients-", "onnxruntime", "protobuf-java-", "picocli-",
      "micrometer-registry-prometheus-", "log4j-core-", "log4j-slf4j2-impl-");

  private static Map<String, NodeArchive.Entry> files;

  @BeforeAll
  static void read() {
    files = NodeArchive.files();
  }

  @Test
  void theLayoutIsBinLibConfigAndModelsOnly() {
    Set<String> tops = files.keySet().stream().map(p -> p.substring(0, p.indexOf('/'))).collect(Collectors.toSet());
    assertThat(tops).containsExactlyInAnyOrder("bin", "lib", "config", "models");
  }

  @Test
  void theStartScriptIsExecutable() {
    assertThat(files).containsKey("bin/depthstream-node");
    assertThat(files.get("bin/depthstream-node").executable()).as("mode %o", files.get("bin/depthstream-node").mode())
        .isTrue();
  }

  @Test
  void libHoldsTheRuntimeJarsAndNoBrokerConnectBenchmarkTestOrToolJar() {
    List<String> jars = jars();
    assertThat(jars).as("lib/").allMatch(j -> j.endsWith(".jar"));
    for (String forbidden : FORBIDDEN_JARS) {
      assertThat(jars).as("lib/ must not hold %s*", forbidden).noneMatch(j -> j.startsWith(forbidden));
    }
    for (String required : REQUIRED_JARS) {
      assertThat(jars).as("lib/ must hold %s*", required).anyMatch(j -> j.startsWith(required));
    }
  }

  @Test
  void configHoldsTheNodesExampleConfigurations() {
    assertThat(files).containsKeys("config/depthstream.properties", "config/depthstream-sasl-ssl.properties");
    assertThat(files.keySet()).as("Connect and tool configurations are not the node's")
        .noneMatch(p -> p.startsWith("config/connect/") || p.equals("config/client-sasl-ssl.properties"));
  }

  @Test
  void modelsHoldsEveryShippedModelWithItsCardAndNoTestFixture() throws IOException {
    Path repositoryModels = Path.of(System.getProperty("depthstream.root", "..")).resolve("models");
    List<String> shipped;
    try (Stream<Path> list = Files.list(repositoryModels)) {
      shipped = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx")).sorted().toList();
    }
    assertThat(shipped).isNotEmpty();
    for (String model : shipped) {
      String stem = model.substring(0, model.length() - ".onnx".length());
      assertThat(files).containsKeys("models/" + model, "models/" + stem + ".md");
    }
    assertThat(files.keySet()).as("parity fixtures, research references and test models stay in the repository")
        .noneMatch(p -> p.startsWith("models/") && (p.endsWith(".bin") || p.endsWith(".io.json")
            || p.startsWith("models/reference/") || p.contains("_smoke")));
  }

  @Test
  void everyModelTheShippedConfigurationsNameIsShipped() throws IOException {
    Set<String> classical = Stream.concat(ClassicalMethods.names().stream(),
        Stream.of(DepthFromFocus.NAME, NodeConfig.METHOD_NONE)).collect(Collectors.toSet());
    List<String> named = new ArrayList<>();
    for (String config : List.of("config/depthstream.properties", "config/depthstream-sasl-ssl.properties")) {
      Properties props = new Properties();
      props.load(new StringReader(files.get(config).text()));
      props.stringPropertyNames().stream().filter(k -> k.startsWith("depthstream.method."))
          .map(k -> props.getProperty(k).trim()).filter(m -> !classical.contains(m))
          .forEach(m -> named.add(config + " names " + m));
    }
    assertThat(named).as("the example configurations use shipped models").isNotEmpty();
    for (String reference : named) {
      String model = reference.substring(reference.lastIndexOf(' ') + 1);
      assertThat(files).as(reference).containsKey("models/" + model + ".onnx");
    }
  }

  private static List<String> jars() {
    return files.keySet().stream().filter(p -> p.startsWith("lib/")).map(p -> p.substring("lib/".length()))
        .sorted().toList();
  }
}
