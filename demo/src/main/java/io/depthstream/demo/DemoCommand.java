package io.depthstream.demo;

import io.depthstream.connect.publish.LoopPublisher;
import io.depthstream.connect.publish.LoopPublisher.SensorLoop;
import io.depthstream.connect.record.DriveRecorder;
import io.depthstream.connect.record.McapReader;
import io.depthstream.connect.synthetic.SyntheticSensor;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.tooling.ProgressBar;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.kafka.SensorKinds;
import io.depthstream.proto.v1.DenseDepth;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 *
 * <p>{@code --record FILE} also records the raw topics of the live run into an MCAP file ({@link DriveRecorder});
 * {@code --replay FILE} feeds the node that recording instead of the synthetic drive ({@code DrivePlayer}), with
 * the real-time budget off, since a replay keeps its original capture times.
 */
@Command(name = "depthstream demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs the node on an embedded Kafka broker with a synthetic sample drive.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 20s, 2m or PT20S (default: run until Ctrl-C).")
  Duration duration;

  @Option(names = "--warm-up", converter = DurationConverter.class,
      description = "Leave the first part of the run out of the summary's statistics (JIT compilation of the Kafka"
          + " client, protobuf and encoding paths), e.g. 5s; the status line still shows it (default: none).")
  Duration warmUp;

  @Option(names = "--summary", description = "Write a JSON summary here when the demo stops.")
  Path summary;

  @Option(names = "--latency-log", paramLabel = "FILE",
      description = "Write every measured frame's latency (capture time, sensor, end-to-end, inbound, delivery ms) "
          + "as CSV to FILE, and a plot of it next to it (.png).")
  Path latencyLog;

  @Option(names = "--memory-log", paramLabel = "FILE",
      description = "Write the process's resident size, heap and direct buffers once a second as CSV here.")
  Path memoryLog;

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

  @Option(names = "--lidar-size", defaultValue = "1242x375", paramLabel = "WxH",
      description = "LiDAR image size (default: ${DEFAULT-VALUE}, KITTI's).")
  String lidarSize;

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

  @Option(names = "--record", paramLabel = "FILE",
      description = "Also record the raw topics of the live run into this MCAP file (replay it with --replay).")
  Path record;

  @Option(names = "--replay", paramLabel = "FILE",
      description = "Replay this MCAP recording into the raw topics instead of the synthetic drive; runs the node"
          + " with depthstream.realtime.budget.ms=0 (the recording keeps its capture times).")
  Path replay;

  @Option(names = "--replay-rate", defaultValue = "1", paramLabel = "N|max",
      description = "Replay speed: 1 = recorded rate, N = N times faster, max = as fast as possible"
          + " (default: ${DEFAULT-VALUE}).")
  String replayRate;

  private final PrintStream out = System.out;
  private DemoSummary lastSummary;

  /**
   * What was published and seen when the measured window began: the summary subtracts these counts, and the
   * latency percentiles restart there ({@link OutputMonitor#resetLatencies()}).
   */
  record Window(double startSeconds, long sent, long corrupted, long dense, long deadLettered, long skipped,
      long guidance, long alerts) {
    static final Window WHOLE_RUN = new Window(0, 0, 0, 0, 0, 0, 0, 0);

    static Window mark(double seconds, Feed feed, OutputMonitor monitor, NodeStats nodeStats) {
      monitor.resetLatencies();
      return new Window(seconds, feed.sent(), Math.max(0, feed.corrupted()), monitor.dense(), monitor.deadLettered(),
          nodeStats.skipped(), monitor.guidance(), monitor.alerts());
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoCommand()).execute(args));
  }

  @Override
  @SuppressWarnings("try") // the monitor is closed early on purpose, to stop it before its thread is joined
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
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running and waits for `finished`
      }
    }
  }

  private int run(CountDownLatch stopRequested) throws Exception {
    out.println("depthstream demo: starting an embedded Kafka broker (KRaft) ...");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      NodeConfig nodeConfig;
      try {
        List<String> all = new ArrayList<>();
        all.add("bootstrap.servers=" + broker.bootstrapServers());
        if (replay != null) {
          // Old capture times would all be over any real-time budget; an explicit --set still wins.
          all.addAll(NodeConfig.realtimeBudgetOff());
        }
        all.addAll(overrides);
        nodeConfig = NodeConfig.from(ConfigLoader.merge(Files.exists(config) ? config : null, System.getenv(), all));
      } catch (ConfigException e) {
        System.err.println("configuration error: " + e.getMessage());
        return 2;
      }
      List<DriveSensor> sensors = replay == null ? renderDrive(nodeConfig) : List.of();
      try (DepthNode node = DepthNode.start(nodeConfig, DepthNode.methods(nodeConfig));
          OutputMonitor monitor = new OutputMonitor(broker.bootstrapServers(),
              nodeConfig.getString(NodeConfig.TOPIC_DENSE), nodeConfig.getString(NodeConfig.TOPIC_GUIDANCE),
              nodeConfig.getString(NodeConfig.TOPIC_DLQ), replay == null);
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
        Recording recording = record == null || replay != null ? null
            : Recording.start(broker.bootstrapServers(), nodeConfig.rawTopics(), record);
        Feed publisher = replay != null
            ? Feed.replay(producer, replay, parseRate(replayRate))
            : Feed.live(new LoopPublisher(producer,
                sensors.stream().map(s -> new SensorLoop(s.topic(), s.frames(), s.rateHz())).toList(), corruptEvery));
        if (replay != null) {
          out.printf("replaying %s (%d records) at %s%n", replay, McapReader.countMessages(replay),
              parseRate(replayRate) == 0 ? "max rate" : replayRate + "x the recorded rate");
        }
        long start = System.nanoTime();
        publisher.start();
        NodeStats nodeStats = new NodeStats(node.registry());
        StatusLine status = new StatusLine(out, monitor, publisher, nodeStats, start);
        MemoryLog memory = new MemoryLog();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        double warmUpSeconds = warmUp == null ? 0 : warmUp.toNanos() / 1e9;
        Window window = warmUp == null ? Window.WHOLE_RUN : null;
        while (System.nanoTime() < deadline && publisher.failure() == null && !publisher.done()) {
          if (stopRequested.await(1, TimeUnit.SECONDS)) {
            break;
          }
          double elapsed = (System.nanoTime() - start) / 1e9;
          if (window == null && elapsed >= warmUpSeconds) {
            window = Window.mark(elapsed, publisher, monitor, nodeStats);
            out.printf("warm-up of %.0f s over: statistics from here on%n", warmUpSeconds);
          }
          memory.sample(elapsed);
          status.print();
        }
        publisher.stop();
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        if (window == null) {
          System.err.println("the run ended within its warm-up: the summary covers the whole run");
          window = Window.WHOLE_RUN;
        }
        drain(monitor, publisher, nodeStats, Duration.ofSeconds(15));
        status.finish();
        if (publisher.failure() != null) {
          System.err.println("publishing failed: " + publisher.failure());
        }
        long recorded = recording == null ? 0 : recording.finish(publisher.sent(), Duration.ofSeconds(15));
        Map<String, DenseDepth> latest = monitor.latest();
        DemoSummary result;
        if (replay != null) {
          List<Path> written = DemoPictures.writeReplay(pictures, replay, latest);
          result = DemoSummary.of("replay", publishSeconds, window, publisher, monitor, nodeStats,
              replayRows(replay, latest), written, replay, McapReader.countMessages(replay),
              memory.summary(window.startSeconds()));
        } else {
          List<Path> written = DemoPictures.write(pictures, sensors, latest);
          result = DemoSummary.of("live", publishSeconds, window, publisher, monitor, nodeStats,
              DemoSummary.liveRows(sensors, latest), written, record, recorded, memory.summary(window.startSeconds()));
        }
        out.println(result.describe());
        lastSummary = result;
        if (latencyLog != null && monitor.capturesLatency()) {
          monitor.writeLatencyCsv(latencyLog);
          Path plot = pngBeside(latencyLog);
          LatencyPlot.write(latencyLog, plot, String.format(Locale.ROOT, "%.0f s after a %.0f s warm-up",
              publishSeconds - window.startSeconds(), window.startSeconds()));
          out.println("frame latencies written to " + latencyLog.toAbsolutePath() + " (plot " + plot + ")");
        }
        if (memoryLog != null) {
          memory.writeCsv(memoryLog);
          Path plot = pngBeside(memoryLog);
          memory.writePlot(plot, window.startSeconds());
          out.println("memory samples written to " + memoryLog.toAbsolutePath() + " (plot " + plot + ")");
        }
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

  /** The plot that goes with a CSV log: the same name with .png instead of .csv (or .png appended). */
  static Path pngBeside(Path csv) {
    return csv.resolveSibling(csv.getFileName().toString().replaceFirst("\\.csv$", "") + ".png");
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
  private static void drain(OutputMonitor monitor, Feed publisher, NodeStats nodeStats, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (monitor.dense() + monitor.deadLettered() + nodeStats.skipped() < publisher.sent()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /** 1, 2.5, ... = times the recorded rate; max = as fast as possible (0 for the player). */
  private double parseRate(String rate) {
    if ("max".equalsIgnoreCase(rate.trim())) {
      return 0;
    }
    double r;
    try {
      r = Double.parseDouble(rate.trim());
    } catch (NumberFormatException e) {
      r = -1;
    }
    if (!(r > 0) || Double.isInfinite(r)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--replay-rate must be a positive number or 'max', got '" + rate + "'");
    }
    return r;
  }

  /** The summary of the last run of this command, or null (for callers that run the demo as a measurement). */
  DemoSummary lastSummary() {
    return lastSummary;
  }

  private int[] parseSize(String option, String value) {
    String[] wh = value.toLowerCase(Locale.ROOT).split("x");
    try {
      if (wh.length == 2) {
        int w = Integer.parseInt(wh[0].trim());
        int h = Integer.parseInt(wh[1].trim());
        if (w >= 8 && h >= 8 && (long) w * h <= 16_000_000L) {
          return new int[] {w, h};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CommandLine.ParameterException(new CommandLine(this),
        option + " must be WIDTHxHEIGHT with sides >= 8 and at most 16 Mpx, got '" + value + "'");
  }

  /** Summary rows of a replay: per recorded sensor its kind, size, recorded rate and the node's method. */
  private static List<DemoSummary.SensorRow> replayRows(Path recording, Map<String, DenseDepth> latest)
      throws java.io.IOException {
    Map<String, long[]> spans = new HashMap<>(); // key -> {count, first ns, last ns}
    Map<String, String> kinds = new HashMap<>();
    try (McapReader reader = new McapReader(recording)) {
      McapReader.Message m;
      while ((m = reader.next()) != null) {
        long[] s = spans.computeIfAbsent(m.channel().key(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        s[0]++;
        s[1] = Math.min(s[1], m.logTimeNs());
        s[2] = Math.max(s[2], m.logTimeNs());
        if (!kinds.containsKey(m.channel().key())) {
          try {
            SensorKind k = DepthFrame.parseFrom(m.data()).getId().getKind();
            kinds.put(m.channel().key(), SensorKinds.shortName(k));
          } catch (com.google.protobuf.InvalidProtocolBufferException | RuntimeException e) {
            // a corrupt record: the kind comes from the next good one
          }
        }
      }
    }
    List<DemoSummary.SensorRow> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : new TreeMap<>(spans).entrySet()) {
      long[] s = e.getValue();
      double hz = s[0] > 1 && s[2] > s[1] ? (s[0] - 1) / ((s[2] - s[1]) / 1e9) : Double.NaN;
      DenseDepth d = latest.get(e.getKey());
      rows.add(new DemoSummary.SensorRow(e.getKey(), kinds.getOrDefault(e.getKey(), "?"),
          d == null ? 0 : d.getWidth(), d == null ? 0 : d.getHeight(), hz, d == null ? "-" : d.getMethod(),
          Double.NaN, Double.NaN));
    }
    return rows;
  }

  /** {@code --record}: the raw topics of a live run into an MCAP file, on its own thread. */
  private record Recording(DriveRecorder recorder, Thread thread, java.util.concurrent.atomic.AtomicReference<Exception> failure) {
    static Recording start(String bootstrap, List<String> topics, Path file) {
      DriveRecorder recorder = new DriveRecorder();
      var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
      Thread t = new Thread(() -> {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
          recorder.record(consumer, topics, Map.of(), true, new DriveRecorder.Limits(null, 0, null), file);
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }, "demo-recorder");
      t.start();
      return new Recording(recorder, t, failure);
    }

    /** Waits until every record sent is in the file (or the timeout passes), then closes it; returns the count. */
    long finish(long sent, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (recorder.recorded() < sent && failure.get() == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      recorder.stop();
      thread.join(10_000);
      if (failure.get() != null) {
        throw new IllegalStateException("recording the raw topics failed: " + failure.get(), failure.get());
      }
      return recorder.recorded();
    }
  }

  private List<DriveSensor> renderDrive(NodeConfig nodeConfig) {
    Map<SensorKind, String> methods = DepthTopology.methodsByKind(nodeConfig);
    List<DriveSensor> sensors = new ArrayList<>();
    if (lidarHz > 0) {
      int[] size = parseSize("--lidar-size", lidarSize);
      sensors.add(new DriveSensor(SyntheticSensor.lidar("lidar-front", seed, size[0], size[1]),
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
    ProgressBar bar = new ProgressBar(out, "rendering the synthetic drive", "frames", loopFrames * sensors.size());
    int done = 0;
    for (DriveSensor s : sensors) {
      for (int i = 0; i < loopFrames; i++) {
        s.render(i);
        bar.update(++done);
      }
    }
    bar.finish();
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
      return SensorKinds.shortName(sensor.kind());
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
