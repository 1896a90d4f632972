package io.depthstream.connect.record;

import io.depthstream.connect.runner.KafkaClientOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code depthstream-play}: replays an MCAP recording into Kafka. */
@Command(name = "depthstream-play", mixinStandardHelpOptions = true,
    description = "Replay an MCAP recording into Kafka topics, deterministically.")
public final class PlayCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the .mcap recording")
  Path recording;

  @Mixin
  KafkaClientOptions kafka;

  @Option(names = "--rate", defaultValue = "1",
      description = "1 = recorded rate, N = N times faster, 'max' = as fast as possible (default: ${DEFAULT-VALUE})")
  String rate;

  @Option(names = "--start", defaultValue = "0s", description = "skip the first part (offset from the first record)")
  String start;

  @Option(names = "--end", description = "stop at this offset from the first record")
  String end;

  @Option(names = "--loops", defaultValue = "1", description = "times to play; 0 = until Ctrl-C")
  int loops;

  @Option(names = "--map", description = "recorded=target topic names (repeatable)")
  Map<String, String> topicMap = new HashMap<>();

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  public static void main(String[] args) {
    System.exit(KafkaClientOptions.commandLine(new PlayCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    double speed = "max".equalsIgnoreCase(rate) ? 0 : Double.parseDouble(rate.replaceAll("[xX]$", ""));
    DrivePlayer.Options o = new DrivePlayer.Options(speed, RecordCommand.parseDuration(start).toMillis(),
        end == null ? -1 : RecordCommand.parseDuration(end).toMillis(), loops, topicMap);
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
