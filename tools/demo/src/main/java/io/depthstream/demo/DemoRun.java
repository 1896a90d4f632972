package io.depthstream.demo;

import io.depthstream.connect.publish.LoopPublisher;
import io.depthstream.connect.publish.LoopPublisher.SensorLoop;
import io.depthstream.connect.record.DriveRecorder;
import io.depthstream.connect.record.McapReader;
import io.depthstream.connect.synthetic.SyntheticSensor;
import io.depthstream.depth.tooling.ProgressBar;
import io.depthstream.localkafka.LocalKafkaBroker;
import io.depthstream.proto.kafka.SensorKinds;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.DepthNode;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.topology.DepthTopology;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

/**
 * One run of the whole node on one machine, as {@link DemoSettings} say: an embedded Kafka broker, the stream app,
 * a synthetic drive of simulated sensors (LiDAR on a road, Kinect-style RGB-D and vSLAM indoors) or a recorded one
 * replayed into the raw topics, and a consumer that measures what comes out; a status line every second, then a
 * {@link DemoSummary}, pictures and the requested logs. {@code depthstream demo} and {@code bench-node} both run
 * it.
 *
 * <p>A recording ({@link DemoSettings#record}) captures the raw topics of a live run into an MCAP file
 * ({@link DriveRecorder}); a replay ({@link DemoSettings#replay}) feeds the node that recording instead of the
 * synthetic drive, with the real-time budget off, since a replay keeps its original capture times.
 */
final class DemoRun {
  private DemoRun() {}

  /**
   * What a run produced: its summary; the publishing failure that ended it early, if any; per sensor its output
   * and latency over the measured window (empty for a replay); the CPU time of the JVM's threads from the start of
   * that window until publishing stopped, by {@link NodeThreads} group, and the dense frames that came out in that
   * time ({@code cpuFrames}); and the synthetic drive's sensors with their frames (empty for a replay).
   */
  record Outcome(DemoSummary summary, Exception publishFailure, List<SensorLoad> perSensor, ThreadCpu.Breakdown cpu,
      long cpuFrames, List<DriveSensor> sensors) {}

  /**
   * What was published and seen when the measured window began: the summary subtracts these counts, and the
   * latency percentiles restart there ({@link OutputMonitor#resetLatencies()}).
   */
  record Window(double startSeconds, long sent, long corrupted, long dense, long deadLettered, long skipped,
      long guidance, long alerts, Map<String, Long> skippedBySensor, ThreadCpu.Snapshot cpu, WarmUpWindow warmUp) {

    static Window wholeRun(ThreadCpu.Snapshot cpuAtStart) {
      return new Window(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), cpuAtStart, null);
    }

    /**
     * The measured window begins {@code seconds} into the run; what came before is kept as its warm-up window, with
     * the node's start-up time and what the threads spent since {@code cpuAtStart} (grouped by {@code rules}).
     */
    static Window mark(double seconds, Feed feed, OutputMonitor monitor, NodeStats nodeStats,
        long nodeStartToReadyMs, ThreadCpu.Snapshot cpuAtStart, List<ThreadCpu.Rule> rules) {
      ThreadCpu.Snapshot cpuNow = ThreadCpu.take();
      WarmUpWindow warmUp = WarmUpWindow.upToNow(seconds, monitor, nodeStats, nodeStartToReadyMs,
          ThreadCpu.between(cpuAtStart, cpuNow, rules));
      monitor.resetLatencies();
      return new Window(seconds, feed.sent(), Math.max(0, feed.corrupted()), monitor.dense(), monitor.deadLettered(),
          nodeStats.skipped(), monitor.guidance(), monitor.alerts(), nodeStats.skippedBySensor(), cpuNow, warmUp);
    }

    /** Per sensor its output, latency and skips since this window began, {@code seconds} long. */
    List<SensorLoad> perSensor(OutputMonitor monitor, NodeStats nodeStats, double seconds) {
      Map<String, Long> skippedNow = nodeStats.skippedBySensor();
      List<SensorLoad> out = new ArrayList<>();
      monitor.latencyBySensor().forEach((sensor, latency) -> out.add(SensorLoad.of(sensor, latency, seconds,
          skippedNow.getOrDefault(sensor, 0L) - skippedBySensor.getOrDefault(sensor, 0L))));
      return out;
    }
  }

  /**
   * Runs the demo as {@code settings} say until its duration, the end of a replay, or {@code stopRequested}; prints
   * the status to {@code out} and writes the requested files.
   *
   * @throws ConfigException naming the key of a bad node setting (nothing has been rendered or started then)
   */
  @SuppressWarnings("try") // the monitor is closed early on purpose, to stop it before its thread is joined
  static Outcome run(DemoSettings settings, PrintStream out, CountDownLatch stopRequested) throws Exception {
    Path replay = settings.replay();
    Path record = settings.record();
    out.println("depthstream demo: starting an embedded Kafka broker (KRaft) ...");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      NodeConfig nodeConfig = settings.nodeConfig(broker.bootstrapServers());
      List<DriveSensor> sensors = replay == null ? renderDrive(settings, nodeConfig, out) : List.of();
      long nodeStart = System.nanoTime();
      try (DepthNode node = DepthNode.start(nodeConfig, DepthNode.methods(nodeConfig));
          OutputMonitor monitor = new OutputMonitor(broker.bootstrapServers(),
              nodeConfig.getString(NodeConfig.TOPIC_DENSE), nodeConfig.getString(NodeConfig.TOPIC_GUIDANCE),
              nodeConfig.getString(NodeConfig.TOPIC_DLQ), replay == null);
          KafkaProducer<String, byte[]> producer = sensorProducer(broker.bootstrapServers())) {
        out.printf("broker %s | node metrics %s | live view %s | topics in %s -> out %s, %s, dead letters %s%n",
            broker.bootstrapServers(),
            node.metricsPort() < 0 ? "off" : "http://localhost:" + node.metricsPort() + "/metrics",
            node.viewUrl() == null ? "off" : node.viewUrl(),
            nodeConfig.rawTopics(), nodeConfig.getString(NodeConfig.TOPIC_DENSE),
            nodeConfig.getString(NodeConfig.TOPIC_GUIDANCE), nodeConfig.getString(NodeConfig.TOPIC_DLQ));
        Thread monitorThread = new Thread(monitor, "demo-monitor");
        monitorThread.start();
        awaitRunning(node, Duration.ofSeconds(60));
        long nodeStartToReadyMs = (System.nanoTime() - nodeStart) / 1_000_000L;
        out.printf("node serving %d ms after its start began (models, warm-up, topics, partition assignment)%n",
            nodeStartToReadyMs);
        Recording recording = record == null || replay != null ? null
            : Recording.start(broker.bootstrapServers(), nodeConfig.rawTopics(), record);
        Feed publisher = replay != null
            ? Feed.replay(producer, replay, settings.replayRate())
            : Feed.live(new LoopPublisher(producer,
                sensors.stream().map(s -> new SensorLoop(s.topic(), s.frames(), s.rateHz())).toList(),
                settings.corruptEvery()));
        if (replay != null) {
          out.printf("replaying %s (%d records) at %s%n", replay, McapReader.countMessages(replay),
              settings.replayRate() == 0 ? "max rate" : settings.replayRate() + "x the recorded rate");
        }
        long start = System.nanoTime();
        publisher.start();
        NodeStats nodeStats = new NodeStats(node.registry());
        StatusLine status = new StatusLine(out, monitor, publisher, nodeStats, start);
        MemoryLog memory = new MemoryLog();
        long deadline = settings.duration() == null ? Long.MAX_VALUE : start + settings.duration().toNanos();
        double warmUpSeconds = settings.warmUp() == null ? 0 : settings.warmUp().toNanos() / 1e9;
        ThreadCpu.Snapshot cpuAtStart = ThreadCpu.take();
        Window window = settings.warmUp() == null ? Window.wholeRun(cpuAtStart) : null;
        while (System.nanoTime() < deadline && publisher.failure() == null && !publisher.done()) {
          if (stopRequested.await(1, TimeUnit.SECONDS)) {
            break;
          }
          double elapsed = (System.nanoTime() - start) / 1e9;
          if (window == null && elapsed >= warmUpSeconds) {
            window = Window.mark(elapsed, publisher, monitor, nodeStats, nodeStartToReadyMs, cpuAtStart,
                NodeThreads.rules(nodeConfig));
            out.printf("warm-up of %.0f s over: statistics from here on%n", warmUpSeconds);
          }
          memory.sample(elapsed);
          status.print();
        }
        ThreadCpu.Snapshot cpuAtEnd = ThreadCpu.take();
        long denseAtWindowEnd = monitor.dense(); // the output rate counts frames out up to here
        publisher.stop();
        if (nodeStats.overloaded() > 0) {
          out.printf("frames late at the processor and reconstructed by %s (%s): %d in the whole run%n",
              nodeConfig.getString(NodeConfig.REALTIME_OVERLOAD_METHOD), NodeConfig.REALTIME_OVERLOAD_MS,
              nodeStats.overloaded());
        }
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        if (window == null) {
          System.err.println("the run ended within its warm-up: the summary covers the whole run");
          window = Window.wholeRun(cpuAtStart);
        }
        ThreadCpu.Breakdown cpu = ThreadCpu.between(window.cpu(), cpuAtEnd, NodeThreads.rules(nodeConfig));
        List<SensorLoad> perSensor = window.perSensor(monitor, nodeStats, publishSeconds - window.startSeconds());
        drain(monitor, publisher, nodeStats, Duration.ofSeconds(15));
        status.finish();
        if (publisher.failure() != null) {
          System.err.println("publishing failed: " + publisher.failure());
        }
        long recorded = recording == null ? 0 : recording.finish(publisher.sent(), Duration.ofSeconds(15));
        Map<String, DenseDepth> latest = monitor.latest();
        DemoSummary result;
        if (replay != null) {
          List<Path> written = DemoPictures.writeReplay(settings.pictures(), replay, latest);
          result = DemoSummary.of("replay", publishSeconds, window, denseAtWindowEnd, publisher, monitor, nodeStats,
              replayRows(replay, latest), written, replay, McapReader.countMessages(replay),
              memory.summary(window.startSeconds()));
        } else {
          List<Path> written = DemoPictures.write(settings.pictures(), sensors, latest);
          result = DemoSummary.of("live", publishSeconds, window, denseAtWindowEnd, publisher, monitor, nodeStats,
              DemoSummary.liveRows(sensors, latest), written, record, recorded, memory.summary(window.startSeconds()));
        }
        out.println(result.describe());
        Path latencyLog = settings.latencyLog();
        Path memoryLog = settings.memoryLog();
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
        if (settings.summary() != null) {
          result.writeJson(settings.summary());
          out.println("summary written to " + settings.summary().toAbsolutePath());
        }
        monitor.close();
        monitorThread.join(5_000);
        return new Outcome(result, publisher.failure(), perSensor, cpu, denseAtWindowEnd - window.dense(), sensors);
      }
    }
  }

  /** The plot that goes with a CSV log: the same name with .png instead of .csv (or .png appended). */
  static Path pngBeside(Path csv) {
    return csv.resolveSibling(csv.getFileName().toString().replaceFirst("\\.csv$", "") + ".png");
  }

  /** The producer of the sensors' frames (the robot's side): frames as soon as they are ready, up to 16 MiB. */
  static KafkaProducer<String, byte[]> sensorProducer(String bootstrapServers) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.CLIENT_ID_CONFIG, NodeThreads.PUBLISHER_CLIENT_ID,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  /** Publishing starts once the topology owns its partitions, so start-up is not counted as latency. */
  static void awaitRunning(DepthNode node, Duration timeout) throws InterruptedException {
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
  private record Recording(DriveRecorder recorder, Thread thread,
      java.util.concurrent.atomic.AtomicReference<Exception> failure) {
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

  static List<DriveSensor> renderDrive(DemoSettings settings, NodeConfig nodeConfig, PrintStream out) {
    double lidarHz = settings.lidarHz();
    double rgbdHz = settings.rgbdHz();
    double vslamHz = settings.vslamHz();
    long seed = settings.seed();
    int loopFrames = settings.loopFrames();
    Map<SensorKind, String> methods = DepthTopology.methodsByKind(nodeConfig);
    List<DriveSensor> sensors = new ArrayList<>();
    if (lidarHz > 0) {
      sensors.add(new DriveSensor(SyntheticSensor.lidar("lidar-front", seed, settings.lidarWidth(),
          settings.lidarHeight()),
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

}
