package io.depthstream.connect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthstream.connect.source.lidar.LidarSourceConnector;
import io.depthstream.connect.testing.TinyDrives;
import io.depthstream.localkafka.ConnectWorkerProcess;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.v1.DepthFrame;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin archive that {@code mvn package} builds works in a stock Kafka Connect worker with plugin isolation: a
 * standalone worker in a JVM of its own, whose classpath is Connect's runtime and its dependencies only (the
 * provided scope, {@code target/connect-worker.classpath}), with {@code plugin.path} on the unpacked archive, plays a
 * tiny LiDAR drive into a real broker, and every frame arrives and decodes. Before the isolation fix a worker like
 * this failed with {@code NoClassDefFoundError: io/depthstream/depth/DepthMap}.
 */
class ConnectPluginIsolationIT {
  private static final int FRAMES = 5;
  /** The worker's log, kept after the run. */
  private static final Path LOG = Path.of("target", "plugin-isolation", "worker.log");

  @TempDir
  static Path pluginPath;
  private static Path component;

  @BeforeAll
  static void unpackThePlugin() throws IOException {
    Path archive = Path.of(required("depthstream.connect.plugin.archive"));
    assertThat(archive).as("the plugin archive (mvn package)").isRegularFile();
    ConnectWorkerProcess.unzip(archive, pluginPath);
    try (Stream<Path> tops = Files.list(pluginPath)) {
      List<Path> dirs = tops.toList();
      assertThat(dirs).as("one component directory at the archive's top").hasSize(1);
      component = dirs.get(0);
    }
  }

  @Test
  void theArchiveHasTheComponentLayoutAndLeavesTheWorkersJarsOut() throws IOException {
    String name = archiveName();
    assertThat(component.getFileName().toString()).isEqualTo(name.substring(0, name.length() - ".zip".length()));
    JsonNode manifest = new ObjectMapper().readTree(component.resolve("manifest.json").toFile());
    assertThat(manifest.path("component_types").toString()).isEqualTo("[\"source\"]");
    for (String field : List.of("name", "version", "title", "description")) {
      assertThat(manifest.path(field).asText()).as(field).isNotBlank().doesNotContain("${");
    }
    assertThat(component.getFileName().toString())
        .isEqualTo(manifest.path("owner").path("username").asText() + "-" + manifest.path("name").asText() + "-"
            + manifest.path("version").asText());
    assertThat(manifest.path("license").isArray()).as("license").isTrue();

    List<String> jars = fileNames(component.resolve("lib"));
    for (String needed : List.of("depthstream-connectors-", "depth-core-", "depthstream-proto-", "protobuf-java-")) {
      assertThat(jars).as("lib/ holds %s*", needed).anyMatch(j -> j.startsWith(needed));
    }
    for (String provided : List.of("connect-api-", "connect-runtime-", "kafka-clients-", "slf4j-", "log4j-")) {
      assertThat(jars).as("lib/ leaves %s* to the worker", provided).noneMatch(j -> j.startsWith(provided));
    }
    assertThat(fileNames(component.resolve("etc"))).contains("lidar-source.properties", "worker-standalone.properties");
  }

  @Test
  void aStockWorkerWithPluginIsolationPlaysADriveThroughThePlugin(@TempDir Path dir) throws Exception {
    String workerClasspath = Files.readString(Path.of(required("depthstream.connect.worker.classpath"))).trim();
    assertThePluginIsNotOnTheClasspath(workerClasspath);

    Path drive = Files.createDirectories(dir.resolve("velodyne"));
    for (int i = 0; i < FRAMES; i++) {
      TinyDrives.kittiScan(drive, i);
    }
    Path calib = Files.writeString(dir.resolve("calib.txt"), TinyDrives.CALIB);
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      broker.createTopics(1, Map.of(), "isolated.raw.lidar", "isolated.dlq");
      int port = ConnectWorkerProcess.freePort();
      Path worker = write(dir.resolve("worker.properties"),
          "bootstrap.servers", broker.bootstrapServers(),
          "key.converter", "org.apache.kafka.connect.storage.StringConverter",
          "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter",
          "offset.storage.file.filename", dir.resolve("connect.offsets").toString(),
          "offset.flush.interval.ms", "1000",
          "plugin.path", pluginPath.toString(),
          "plugin.discovery", "service_load",
          "listeners", "http://127.0.0.1:" + port);
      Path connector = write(dir.resolve("lidar-source.properties"),
          "name", "lidar-isolated", "connector.class", LidarSourceConnector.class.getName(), "tasks.max", "1",
          "input.dir", drive.toString(), "calib.file", calib.toString(), "sensor.id", "lidar-isolated",
          "topic", "isolated.raw.lidar", "dlq.topic", "isolated.dlq", "image.width", "100", "image.height", "40",
          "frame.rate.hz", "20");

      Process process = ConnectWorkerProcess.start(ConnectWorkerProcess.STANDALONE, workerClasspath, LOG,
          worker.toString(), connector.toString());
      try {
        List<DepthFrame> frames = consume(broker.bootstrapServers(), "isolated.raw.lidar", Duration.ofSeconds(90));
        assertThat(frames).extracting(f -> f.getId().getSequence()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(frames).allSatisfy(f -> {
          assertThat(f.getId().getSensorId()).isEqualTo("lidar-isolated");
          assertThat(f.getWidth()).isEqualTo(100);
          assertThat(f.getHeight()).isEqualTo(40);
        });
      } finally {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
        process.destroyForcibly();
      }
    }
    String log = Files.readString(LOG);
    assertThat(log).as("the worker loaded the plugin from plugin.path, in a class loader of its own")
        .contains("Loading plugin from: " + component)
        .contains("Registered loader: PluginClassLoader{pluginLocation=file:" + component + "/}")
        .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
  }

  /** The worker's own class loader cannot see the plugin's classes: only plugin.path can give them. */
  private static void assertThePluginIsNotOnTheClasspath(String classpath) throws IOException {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      assertThat(entry).as("worker classpath entry").doesNotContain("depthstream");
      urls.add(toUrl(Path.of(entry)));
    }
    try (URLClassLoader workerLoader = new URLClassLoader(urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      assertThat(workerLoader.loadClass("org.apache.kafka.connect.cli.ConnectStandalone")).isNotNull();
      for (String pluginClass : List.of(LidarSourceConnector.class.getName(), "io.depthstream.depth.DepthMap",
          "com.google.protobuf.Message")) {
        assertThatThrownBy(() -> workerLoader.loadClass(pluginClass)).as(pluginClass)
            .isInstanceOf(ClassNotFoundException.class);
      }
    } catch (ClassNotFoundException e) {
      throw new AssertionError("the worker classpath lacks Connect's runtime", e);
    }
  }

  private static List<DepthFrame> consume(String bootstrap, String topic, Duration timeout) throws IOException {
    TreeMap<Long, DepthFrame> bySequence = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "isolation-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (bySequence.size() < FRAMES && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          DepthFrame frame = DepthFrame.parseFrom(r.value());
          assertThat(r.key()).isEqualTo(frame.getId().getSensorId());
          bySequence.put(frame.getId().getSequence(), frame);
        }
      }
    }
    assertThat(bySequence).as("frames within %s; worker log %s", timeout, LOG.toAbsolutePath()).hasSize(FRAMES);
    return new ArrayList<>(bySequence.values());
  }

  /** A properties file of {@code keysAndValues}: key, value, key, value, ... */
  private static Path write(Path file, String... keysAndValues) throws IOException {
    Properties props = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      props.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    try (var out = Files.newBufferedWriter(file)) {
      props.store(out, null);
    }
    return file;
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String archiveName() {
    return Path.of(required("depthstream.connect.plugin.archive")).getFileName().toString();
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set: run through Maven (mvn verify)");
    }
    return value;
  }

  private static URL toUrl(Path path) {
    try {
      return path.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(path.toString(), e);
    }
  }
}
