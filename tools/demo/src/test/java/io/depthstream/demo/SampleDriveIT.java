package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.connect.synthetic.SampleDrive;
import io.depthstream.connect.synthetic.SyntheticSensor;
import io.depthstream.depth.DepthMap;
import io.depthstream.localkafka.ConnectWorkerProcess;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.config.ConfigLoader;
import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack's bundled drive without Docker: the sample-drive command writes the drive, a stock Kafka Connect
 * worker (distributed, the compose file's worker settings, the plugin archive on plugin.path with isolation) runs the
 * connectors of docker/connect/*.json on it (paths moved from the image's directory to the test's, {@code loop}
 * off so the drive ends), and the node, with the example configuration the node image runs, reconstructs every frame
 * of the three sensors on a real broker: dense out, nothing dead-lettered, and the LiDAR connector's sparse depth is
 * the rendered depth again (scans written through the inverse of its projection).
 */
class SampleDriveIT {
  private static final int FRAMES = 8;
  private static final long SEED = 7;
  private static final Path LOG = Path.of("target", "sample-drive-it", "worker.log");
  private static final List<String> SENSORS = List.of(SampleDrive.LIDAR_ID, SampleDrive.RGBD_ID,
      SampleDrive.VSLAM_ID);

  @Test
  void theBundledDrivePlaysThroughTheConnectPluginAndComesOutDense(@TempDir Path dir) throws Exception {
    Path drive = dir.resolve("sample-drive");
    SampleDrive.write(drive, FRAMES, SEED, null);
    Path plugins = ConnectWorkerProcess.unzip(Path.of(required("depthstream.connect.plugin.archive")),
        dir.resolve("plugins"));
    String workerClasspath = Files.readString(Path.of(required("depthstream.connect.worker.classpath"))).trim();
    Path root = Path.of(System.getProperty("depthstream.root", "../.."));

    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      List<String> overrides = new ArrayList<>(List.of("bootstrap.servers=" + broker.bootstrapServers(),
          "application.id=sample-drive-it", NodeConfig.METRICS_PORT + "=0",
          NodeConfig.MODELS_DIR + "=" + root.resolve("models"),
          NodeConfig.METHOD_FOCAL + "=" + NodeConfig.METHOD_NONE));
      // Wall-clock capture times, but a loaded test machine may lag: every frame must come out, none skipped.
      overrides.addAll(NodeConfig.realtimeBudgetOff());
      NodeConfig config = NodeConfig.from(ConfigLoader.merge(root.resolve("config/depthstream.properties"), Map.of(),
          overrides));
      try (DepthNode node = DepthNode.start(config, DepthNode.methods(config))) {
        int port = ConnectWorkerProcess.freePort();
        Properties worker = load(DeployFiles.docker("connect/connect-distributed.properties"));
        worker.setProperty("bootstrap.servers", broker.bootstrapServers());
        worker.setProperty("plugin.path", plugins.toString());
        worker.setProperty("listeners", "http://127.0.0.1:" + port);
        worker.setProperty("rest.advertised.host.name", "127.0.0.1");
        Path workerFile = dir.resolve("connect-distributed.properties");
        try (Writer out = Files.newBufferedWriter(workerFile)) {
          worker.store(out, "docker/connect/connect-distributed.properties for this test's broker");
        }
        Process process = ConnectWorkerProcess.start(ConnectWorkerProcess.DISTRIBUTED, workerClasspath, LOG,
            workerFile.toString());
        try {
          ConnectWorkerProcess.awaitRest(port, Duration.ofSeconds(120));
          for (Path file : ComposeFileTest.connectorFiles()) {
            Map<String, String> connector = new HashMap<>();
            DeployFiles.json(file).properties().forEach(e -> connector.put(e.getKey(),
                e.getValue().asText().replace(ComposeFileTest.SAMPLE_DRIVE, drive.toString())));
            connector.put("loop", "false");
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            ConnectWorkerProcess.putConnector(port, name, connector);
          }
          Played played = consume(broker.bootstrapServers(), config, Duration.ofSeconds(240));

          assertThat(played.deadLetters).as("dead letters (connectors' bad files and the node's)").isEmpty();
          for (String sensor : SENSORS) {
            TreeMap<Long, DenseDepth> dense = played.dense.getOrDefault(sensor, new TreeMap<>());
            assertThat(dense.keySet()).as("%s: every frame once, in order; worker log %s", sensor,
                LOG.toAbsolutePath()).containsExactlyElementsOf(sequences());
            for (DenseDepth d : dense.values()) {
              DepthMap map = OutputMonitor.decode(d);
              assertThat(validFraction(map)).as("%s #%d (%s): pixels with depth", sensor,
                  d.getId().getSequence(), d.getMethod()).isEqualTo(1.0);
            }
          }
          SyntheticSensor lidar = SyntheticSensor.lidar(SampleDrive.LIDAR_ID, SEED, SampleDrive.LIDAR_WIDTH,
              SampleDrive.LIDAR_HEIGHT);
          assertThat(played.lidarRaw.keySet()).containsExactlyElementsOf(sequences());
          for (DepthFrame frame : played.lidarRaw.values()) {
            assertTheRenderedDepth(frame, lidar.measure((int) frame.getId().getSequence()));
          }
        } finally {
          process.destroy();
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        }
      }
    }
  }

  /** The sparse frame holds exactly the measured pixels, each within 20 ppm of the rendered depth. */
  private static void assertTheRenderedDepth(DepthFrame frame, DepthMap rendered) {
    float[] d = rendered.data();
    List<Integer> measured = new ArrayList<>();
    for (int p = 0; p < d.length; p++) {
      if (d[p] > 0f) {
        measured.add(p);
      }
    }
    assertThat(frame.getSparse().getIndexList()).as("LiDAR #%d: pixels", frame.getId().getSequence())
        .isEqualTo(measured);
    double worst = 0;
    for (int k = 0; k < measured.size(); k++) {
      float want = d[measured.get(k)];
      worst = Math.max(worst, Math.abs(frame.getSparse().getDepthM(k) - want) / want);
    }
    assertThat(worst).as("LiDAR #%d: largest relative depth error of the round trip", frame.getId().getSequence())
        .isLessThan(2e-5);
  }

  private static double validFraction(DepthMap map) {
    int valid = 0;
    for (float v : map.data()) {
      if (v > 0f && Float.isFinite(v)) {
        valid++;
      }
    }
    return valid / (double) map.size();
  }

  private static List<Long> sequences() {
    List<Long> all = new ArrayList<>();
    for (long s = 0; s < FRAMES; s++) {
      all.add(s);
    }
    return all;
  }

  /** What came out: dense frames by sensor and sequence, the LiDAR's raw frames, and every dead letter. */
  private record Played(Map<String, TreeMap<Long, DenseDepth>> dense, TreeMap<Long, DepthFrame> lidarRaw,
      List<ConsumerRecord<String, byte[]>> deadLetters) {}

  /** Reads until every sensor's frames are out, then a few seconds more for late dead letters. */
  private static Played consume(String bootstrap, NodeConfig config, Duration timeout) throws IOException {
    String denseTopic = config.getString(NodeConfig.TOPIC_DENSE);
    String dlqTopic = config.getString(NodeConfig.TOPIC_DLQ);
    String lidarTopic = config.getString(NodeConfig.TOPIC_RAW_LIDAR);
    Played played = new Played(new HashMap<>(), new TreeMap<>(), new ArrayList<>());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "sample-drive-it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(denseTopic, dlqTopic, lidarTopic));
      long deadline = System.nanoTime() + timeout.toNanos();
      long settled = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settled)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(denseTopic)) {
            DenseDepth d = DenseDepth.parseFrom(r.value());
            played.dense.computeIfAbsent(d.getId().getSensorId(), s -> new TreeMap<>()).put(d.getId().getSequence(), d);
          } else if (r.topic().equals(lidarTopic)) {
            DepthFrame f = DepthFrame.parseFrom(r.value());
            played.lidarRaw.put(f.getId().getSequence(), f);
          } else {
            played.deadLetters.add(r);
          }
        }
        boolean complete =
            SENSORS.stream().allMatch(s -> played.dense.getOrDefault(s, new TreeMap<>()).size() >= FRAMES);
        if (complete && settled == Long.MAX_VALUE) {
          settled = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        }
      }
    }
    return played;
  }

  private static Properties load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    return props;
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    assertThat(value).as("system property %s (set by the pom's failsafe configuration)", property).isNotNull();
    return value;
  }
}
