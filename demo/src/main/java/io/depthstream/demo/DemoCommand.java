package io.depthstream.demo;

import io.depthstream.connect.publish.LoopPublisher;
import io.depthstream.connect.publish.LoopPublisher.SensorLoop;
import io.depthstream.connect.synthetic.SyntheticSensor;
import io.depthstream.depth.DepthMap;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.config.ConfigLoader;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.topology.DepthTopology;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole node on one machine: an embedded Kafka broker, the stream app, a synthetic drive of three simulated
 * sensors (LiDAR on a road, Kinect-style RGB-D and vSLAM indoors) replayed live into the raw topics, and a
 * consumer that measures what comes out. Prints a status line every second; with {@code --duration} it stops by
 * itself, writes a JSON summary and colour-mapped pictures.
 */
@Command(name = "depthstream demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs the node on an embedded Kafka broker with a synthetic sample drive.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 20s, 2m or PT20S (default: run until Ctrl-C).")
  Duration duration;

  @Option(names = "--summary", description = "Write a JSON summary here when the demo stops.")
  Path summary;

  @Option(names = "--pictures", defaultValue = "out/demo",
      description = "Directory for colour-mapped PNGs of input, output and ground truth (default: ${DEFAULT-VALUE}).")
  Path pictures;

  @Option(names = {"-c", "--config"}, defaultValue = "config/depthstream.properties",
      description = "Node configuration; bootstrap.servers is replaced by the embedded broker (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = {"-s", "--set"}, description = "Override a node setting, key=value; repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--lidar-hz", defaultValue = "10", description = "LiDAR frame rate, 1242x375; 0 = no LiDAR (default: ${DEFAULT-VALUE}).")
  double lidarHz;

  @Option(names = "--rgbd-hz", defaultValue = "15", description = "RGB-D frame rate, 640x480; 0 = no RGB-D (default: ${DEFAULT-VALUE}).")
  double rgbdHz;

  @Option(names = "--vslam-hz", defaultValue = "10", description = "vSLAM frame rate, 640x480; 0 = no vSLAM sensor (default: ${DEFAULT-VALUE}).")
  double vslamHz;

  @Option(names = "--loop-frames", defaultValue = "24",
      description = "Frames rendered per sensor and replayed in a loop (default: ${DEFAULT-VALUE}).")
  int loopFrames;

  @Option(names = "--corrupt-every", defaultValue = "0",
      description = "Send every n-th record corrupt, to watch the dead-letter topic work; 0 = never (default: ${DEFAULT-VALUE}).")
  int corruptEvery;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic drive (default: ${DEFAULT-VALUE}).")
  long seed;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (loopFrames < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--loop-frames must be at least 1");
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopRequested.countDown();
      try {
        finished.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return run(stopRequested);
    } finally {
      finished.countDown();
    }
  }

  private int run(CountDownLatch stopRequested) throws Exception {
    out.println("depthstream demo: starting an embedded Kafka broker (KRaft) ...");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      NodeConfig nodeConfig;
      try {
        List<String> all = new ArrayList<>();
        all.add("bootstrap.servers=" + broker.bootstrapServers());
        all.addAll(overrides);
        nodeConfig = NodeConfig.from(ConfigLoader.merge(Files.exists(config) ? config : null, System.getenv(), all));
      } catch (ConfigException e) {
        System.err.println("configuration error: " + e.getMessage());
        return 2;
      }
      List<DriveSensor> sensors = renderDrive(nodeConfig);
      try (DepthNode node = DepthNode.start(nodeConfig, DepthNode.methods(nodeConfig));
          OutputMonitor monitor = new OutputMonitor(broker.bootstrapServers(),
              nodeConfig.getString(NodeConfig.TOPIC_DENSE), nodeConfig.getString(NodeConfig.TOPIC_GUIDANCE),
              nodeConfig.getString(NodeConfig.TOPIC_DLQ));
          KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
              ProducerConfig.LINGER_MS_CONFIG, 0,
              ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024,
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
        out.printf("broker %s | node metrics %s | topics in %s -> out %s, %s, dead letters %s%n",
            broker.bootstrapServers(),
            node.metricsPort() < 0 ? "off" : "http://localhost:" + node.metricsPort() + "/metrics",
            nodeConfig.rawTopics(), nodeConfig.getString(NodeConfig.TOPIC_DENSE),
            nodeConfig.getString(NodeConfig.TOPIC_GUIDANCE), nodeConfig.getString(NodeConfig.TOPIC_DLQ));
        Thread monitorThread = new Thread(monitor, "demo-monitor");
        monitorThread.start();
        awaitRunning(node, Duration.ofSeconds(60));
        LoopPublisher publisher = new LoopPublisher(producer,
            sensors.stream().map(s -> new SensorLoop(s.topic(), s.frames(), s.rateHz())).toList(), corruptEvery);
        long start = System.nanoTime();
        publisher.start();
        NodeStats nodeStats = new NodeStats(node.registry());
        StatusLine status = new StatusLine(out, monitor, publisher, nodeStats, start);
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        while (System.nanoTime() < deadline && publisher.failure() == null) {
          if (stopRequested.await(1, TimeUnit.SECONDS)) {
            break;
          }
          status.print();
        }
        publisher.stop();
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        drain(monitor, publisher, nodeStats, Duration.ofSeconds(15));
        status.finish();
        if (publisher.failure() != null) {
          System.err.println("publishing failed: " + publisher.failure());
        }
        List<Path> written = DemoPictures.write(pictures, sensors, monitor.latest());
        DemoSummary result = DemoSummary.of(publishSeconds, publisher, monitor, nodeStats, sensors, written);
        out.println(result.describe());
        if (summary != null) {
          result.writeJson(summary);
          out.println("summary written to " + summary.toAbsolutePath());
        }
        monitor.close();
        monitorThread.join(5_000);
        return publisher.failure() == null ? 0 : 1;
      }
    }
  }

  /** Publishing starts once the topology owns its partitions, so start-up is not counted as latency. */
  private void awaitRunning(DepthNode node, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (node.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the stream app did not reach RUNNING within " + timeout + ": " + node.state());
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits until every record sent is accounted for: out as dense depth, dead-lettered, or skipped by the
   * real-time policy; or until the timeout passes.
   */
  private static void drain(OutputMonitor monitor, LoopPublisher publisher, NodeStats nodeStats, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (monitor.dense() + monitor.deadLettered() + nodeStats.skipped() < publisher.sent()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private List<DriveSensor> renderDrive(NodeConfig nodeConfig) {
    Map<SensorKind, String> methods = DepthTopology.methodsByKind(nodeConfig);
    List<DriveSensor> sensors = new ArrayList<>();
    if (lidarHz > 0) {
      sensors.add(new DriveSensor(SyntheticSensor.lidar("lidar-front", seed, 1242, 375),
          nodeConfig.getString(NodeConfig.TOPIC_RAW_LIDAR), lidarHz, methods.get(SensorKind.SENSOR_KIND_LIDAR)));
    }
    if (rgbdHz > 0) {
      sensors.add(new DriveSensor(SyntheticSensor.rgbd("kinect-arm", seed + 1, 640, 480),
          nodeConfig.getString(NodeConfig.TOPIC_RAW_RGBD), rgbdHz, methods.get(SensorKind.SENSOR_KIND_RGBD)));
    }
    if (vslamHz > 0) {
      sensors.add(new DriveSensor(SyntheticSensor.vslam("vslam-head", seed + 2, 640, 480),
          nodeConfig.getString(NodeConfig.TOPIC_RAW_VSLAM), vslamHz, methods.get(SensorKind.SENSOR_KIND_VSLAM)));
    }
    if (sensors.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "every sensor rate is 0: nothing to replay");
    }
    ProgressBar bar = new ProgressBar(out, "rendering the synthetic drive", loopFrames * sensors.size());
    int done = 0;
    for (DriveSensor s : sensors) {
      for (int i = 0; i < loopFrames; i++) {
        s.render(i);
        bar.update(++done);
      }
    }
    return sensors;
  }

  /** One simulated sensor of the drive: its rendered frames and their ground truth. */
  record DriveSensor(SyntheticSensor sensor, String topic, double rateHz, String method, List<DepthFrame> frames,
      List<DepthMap> truths) {
    DriveSensor(SyntheticSensor sensor, String topic, double rateHz, String method) {
      this(sensor, topic, rateHz, method, new ArrayList<>(), new ArrayList<>());
    }

    void render(int index) {
      frames.add(sensor.frame(index, index, 0L));
      truths.add(sensor.groundTruth().copy());
    }

    String kindName() {
      return sensor.kind().name().substring("SENSOR_KIND_".length()).toLowerCase(Locale.ROOT);
    }
  }

  /** Accepts 20s, 2m, 1h, 500ms, a plain number of seconds, or ISO-8601 (PT20S). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      Duration d;
      if (v.startsWith("pt")) {
        d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      } else if (v.endsWith("m")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
      } else if (v.endsWith("h")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 3_600_000));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      }
      if (d.isNegative() || d.isZero()) {
        throw new CommandLine.TypeConversionException("duration must be positive: " + value);
      }
      return d;
    }
  }
}
