package io.depthstream.connect.runner;

import io.depthstream.cli.CommandErrors;
import io.depthstream.connect.source.DriveConnectors;
import io.depthstream.connect.source.DriveSourceTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs a drive source without Kafka Connect: the same task and readers as the connectors, driven by a plain
 * producer, for a tiny on-robot process (only connect-api and kafka-clients on the class path). Takes the
 * connector's own .properties file; offsets go to a small local file so a restart resumes like Connect does.
 *
 * <pre>
 * java -cp ... io.depthstream.connect.runner.SourceRunner --source lidar \
 *     --config config/connect/lidar-source.properties --bootstrap-servers robot-broker:9092
 * </pre>
 */
@Command(name = "depthstream-source", mixinStandardHelpOptions = true, description = "Publish a sensor drive from local files with a plain Kafka producer (no Connect worker).")
public final class SourceRunner implements Callable<Integer> {
  @Option(names = "--source", required = true, description = "the kind of source: lidar, rgbd, vslam or focal")
  String source;

  @Option(names = {"-c",
      "--config"}, required = true, paramLabel = "FILE", description = "the connector's .properties file (examples in config/connect/)")
  Path config;

  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--offsets", defaultValue = "depthstream-source.offsets", description = "file keeping the last published capture (default: ${DEFAULT-VALUE})")
  Path offsets;

  @Option(names = {"-s", "--set"}, description = "override a setting, key=value (repeatable)")
  Map<String, String> overrides = new HashMap<>();

  @Option(names = "--producer", description = "a producer setting, key=value (repeatable); wins over --client")
  Map<String, String> producerProps = new HashMap<>();

  @Mixin
  CommandErrors.Verbose verbose;

  public static void main(String[] args) {
    System.exit(KafkaClientOptions.commandLine(new SourceRunner()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    DriveSourceTask task = DriveConnectors.of(source).newTask();
    Map<String, String> props = load(config);
    props.putAll(overrides);
    task.checkConfig(props); // a bad connector setting fails before the cluster is contacted
    Map<String, Object> p = new HashMap<>(kafka.clientProperties(Map.of(ProducerConfig.ACKS_CONFIG, "all")));
    p.putAll(producerProps);
    try (Producer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      Runtime.getRuntime().addShutdownHook(new Thread(task::stop));
      long n = run(task, props, producer, offsets);
      System.err.println("published " + n + " records, " + task.badFiles() + " bad files reported");
    }
    return 0;
  }

  /**
   * Runs {@code task} until its drive is finished (or forever when looping), sending every record with
   * {@code producer} and keeping the last acknowledged offset in {@code offsetsFile}.
   *
   * @return records sent
   */
  public static long run(DriveSourceTask task, Map<String, String> props, Producer<String, byte[]> producer,
      Path offsetsFile) throws InterruptedException {
    FileOffsets store = new FileOffsets(offsetsFile);
    task.initialize(new Context(props, store));
    task.start(props);
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    try {
      while (!task.finished()) {
        List<SourceRecord> batch = task.poll();
        if (batch == null) {
          continue;
        }
        for (SourceRecord r : batch) {
          RecordHeaders headers = new RecordHeaders();
          r.headers().forEach(h -> headers.add(h.key(), String.valueOf(h.value()).getBytes(
              java.nio.charset.StandardCharsets.UTF_8)));
          Map<String, ?> offset = r.sourceOffset();
          producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), (String) r.key(), (byte[]) r.value(),
              headers), (meta, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                } else if (offset != null) {
                  store.put(offset);
                }
              });
          sent++;
        }
        if (failure.get() != null) {
          throw new IllegalStateException("send failed", failure.get());
        }
      }
      producer.flush();
      if (failure.get() != null) {
        throw new IllegalStateException("send failed", failure.get());
      }
    } finally {
      task.stop();
      store.flush();
    }
    return sent;
  }

  static Map<String, String> load(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    Map<String, String> m = new HashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  /** The single partition's last acknowledged offset, kept in a properties file (written atomically). */
  static final class FileOffsets implements OffsetStorageReader {
    private final Path file;
    private Map<String, ?> last;
    private boolean dirty;
    private long lastWrite;

    FileOffsets(Path file) {
      this.file = file;
    }

    synchronized void put(Map<String, ?> offset) {
      last = offset;
      dirty = true;
      if (System.nanoTime() - lastWrite > 1_000_000_000L) {
        flush();
      }
    }

    synchronized void flush() {
      if (!dirty || last == null) {
        return;
      }
      Properties p = new Properties();
      last.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
      try {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
          p.store(out, "depthstream source offsets: last acknowledged capture");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write offsets to " + file, e);
      }
      dirty = false;
      lastWrite = System.nanoTime();
    }

    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      try {
        Map<String, String> p = load(file);
        Map<String, Object> m = new HashMap<>();
        m.put("item", p.get("item"));
        m.put("index", Long.parseLong(p.get("index")));
        m.put("sequence", Long.parseLong(p.get("sequence")));
        return m;
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("cannot read offsets from " + file + ": " + e.getMessage(), e);
      }
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
      Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
      for (Map<String, T> p : partitions) {
        out.put(p, offset(p));
      }
      return out;
    }
  }

  private record Context(Map<String, String> configs, OffsetStorageReader offsetStorageReader)
      implements
        SourceTaskContext {
    @Override
    public PluginMetrics pluginMetrics() {
      return null; // the runner has no Connect metrics registry; the drive tasks do not use one
    }
  }
}
