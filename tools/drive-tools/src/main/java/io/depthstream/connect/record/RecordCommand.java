package io.depthstream.connect.record;

import io.depthstream.cli.CommandErrors;
import io.depthstream.cli.DurationOption;
import io.depthstream.connect.runner.KafkaClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code depthstream-record}: records topics into one MCAP file. */
@Command(name = "depthstream-record", mixinStandardHelpOptions = true, description = "Record Kafka topics (keys, timestamps, protobuf schemas) into one MCAP file.")
public final class RecordCommand implements Callable<Integer> {
  @Mixin
  KafkaClientOptions kafka;

  @Spec
  CommandSpec spec;

  @Option(names = {"-t",
      "--topic"}, required = true, split = ",", description = "topic to record (repeatable or comma-separated)")
  List<String> topics;

  @Option(names = "--type", paramLabel = "TOPIC=TYPE", description = "value type of a topic; TYPE is one of "
      + DriveRecorder.ValueType.NAMES + " (default: guessed from the topic's name)")
  Map<String, String> types = new HashMap<>();

  @Option(names = {"-o", "--out"}, required = true, description = "the .mcap file to write")
  Path out;

  @Option(names = "--from-beginning", description = "record what the topics already hold, not only new records")
  boolean fromBeginning;

  @Option(names = "--duration", converter = DurationOption.class, description = "stop after this long: "
      + DurationOption.FORMATS)
  Duration duration;

  @Option(names = "--max-messages", defaultValue = "0", description = "stop after N records (0 = no limit)")
  long maxMessages;

  @Option(names = "--idle", converter = DurationOption.class, description = "stop after this long without a record: "
      + DurationOption.FORMATS)
  Duration idle;

  @Mixin
  CommandErrors.Verbose verbose;

  @Option(names = "--compression", defaultValue = "zstd", converter = CompressionConverter.class, description = "chunk compression: zstd, lz4 or none (default: ${DEFAULT-VALUE})")
  McapCompression compression;

  @Option(names = "--chunk-size", defaultValue = ""
      + McapWriter.DEFAULT_CHUNK_SIZE, description = "uncompressed bytes per MCAP chunk (default: ${DEFAULT-VALUE})")
  int chunkSize;

  @Option(names = "--no-foxglove-views", description = "leave out the Foxglove image, calibration and scan channels "
      + "written next to depth and guidance records")
  boolean noFoxgloveViews;

  @Option(names = "--profile", defaultValue = "foxglove", converter = ProfileConverter.class, description = "foxglove: the Kafka records (what play replays) and Foxglove views; ros2: a rosbag2-compatible "
      + "file for 'ros2 bag play' (sensor_msgs Image, CameraInfo, PointCloud2, LaserScan and /tf_static in CDR; "
      + "no Kafka records) (default: ${DEFAULT-VALUE})")
  DriveRecorder.Profile profile;

  @Option(names = "--points-decimation", defaultValue = "4", description = "with --profile ros2: a PointCloud2 of every N-th pixel (rows and columns) of dense depth; "
      + "0 = no point clouds (default: ${DEFAULT-VALUE})")
  int pointsDecimation;

  static final class ProfileConverter implements ITypeConverter<DriveRecorder.Profile> {
    @Override
    public DriveRecorder.Profile convert(String value) {
      return DriveRecorder.Profile.parse(value);
    }
  }

  static final class CompressionConverter implements picocli.CommandLine.ITypeConverter<McapCompression> {
    @Override
    public McapCompression convert(String value) {
      return McapCompression.parse(value);
    }
  }

  public static void main(String[] args) {
    System.exit(KafkaClientOptions.commandLine(new RecordCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Map<String, DriveRecorder.ValueType> typed = new HashMap<>();
    types.forEach((k, v) -> typed.put(k, DriveRecorder.ValueType.parse(v)));
    // No group: the recorder assigns partitions itself, so it needs only READ on the topics.
    Map<String, Object> props = kafka.clientProperties(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    if (profile == DriveRecorder.Profile.ROS2 && noFoxgloveViews) {
      throw new ParameterException(spec.commandLine(),
          "--no-foxglove-views applies to --profile foxglove; a ros2 recording has no Foxglove views");
    }
    if (pointsDecimation < 0) {
      throw new ParameterException(spec.commandLine(),
          "--points-decimation must be >= 0 (0 = no point clouds), got " + pointsDecimation);
    }
    DriveRecorder recorder = new DriveRecorder(new McapWriter.Options(compression, chunkSize), profile,
        !noFoxgloveViews, pointsDecimation);
    Runtime.getRuntime().addShutdownHook(new Thread(recorder::stop));
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      long n = recorder.record(consumer, topics, typed, fromBeginning,
          new DriveRecorder.Limits(duration, maxMessages, idle), out);
      System.err.println("recorded " + n + " records into " + out);
    }
    return 0;
  }
}
