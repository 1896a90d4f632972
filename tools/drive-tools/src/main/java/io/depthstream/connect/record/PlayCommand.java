package io.depthstream.connect.record;

import io.depthstream.cli.CommandErrors;
import io.depthstream.cli.DurationOption;
import io.depthstream.connect.runner.KafkaClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code depthstream-play}: replays an MCAP recording into Kafka. */
@Command(name = "depthstream-play", mixinStandardHelpOptions = true, description = "Replay an MCAP recording into Kafka topics, deterministically.")
public final class PlayCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the .mcap recording")
  Path recording;

  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--rate", defaultValue = "1", paramLabel = "N|max", converter = PlaySpeed.class, description = PlaySpeed.FORMATS
      + " (default: ${DEFAULT-VALUE})")
  double speed;

  @Option(names = "--start", defaultValue = "0s", converter = DurationOption.class, description = "skip the first part, an offset from the first record: "
      + DurationOption.FORMATS)
  Duration start;

  @Option(names = "--end", converter = DurationOption.class, description = "stop at this offset from the first record: "
      + DurationOption.FORMATS)
  Duration end;

  @Option(names = "--loops", defaultValue = "1", description = "times to play; 0 = until Ctrl-C")
  int loops;

  @Option(names = "--map", description = "recorded=target topic names (repeatable)")
  Map<String, String> topicMap = new HashMap<>();

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @Mixin
  CommandErrors.Verbose verbose;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(KafkaClientOptions.commandLine(new PlayCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Files.newInputStream(recording).close(); // a missing or unreadable recording fails here, before connecting
    if (loops < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--loops must be 0 or more, got " + loops);
    }
    DrivePlayer.Options o = new DrivePlayer.Options(speed, start.toMillis(), end == null ? -1 : end.toMillis(),
        loops, topicMap);
    Map<String, Object> props = kafka.clientProperties(Map.of(
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20));
    DrivePlayer player = new DrivePlayer();
    Runtime.getRuntime().addShutdownHook(new Thread(player::stop));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      long n = player.play(producer, recording, o, noProgress ? null : System.err);
      System.err.println("replayed " + n + " records from " + recording);
    }
    return 0;
  }
}
