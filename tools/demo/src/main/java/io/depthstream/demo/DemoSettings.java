package io.depthstream.demo;

import io.depthstream.streams.DepthNode;
import io.depthstream.streams.config.ConfigLoader;
import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/**
 * What one demo run does, validated: the node's configuration, the drive (synthetic sensors or a recording) and
 * what to write. Built by {@code depthstream demo}'s options and directly by {@code bench-node}; see
 * {@link DemoRun}.
 *
 * @param config the node's configuration file; null = none (the defaults, the environment and the overrides)
 * @param duration stop after this long; null = until stopped
 * @param warmUp the start of the run left out of the summary's statistics; null = none
 * @param lidarWidth LiDAR image width (the drive's LiDAR renders at lidarWidth x lidarHeight)
 * @param replayRate for a replay: 1 = recorded rate, N = N times faster, 0 = as fast as possible
 */
record DemoSettings(Path config, List<String> overrides, Duration duration, Duration warmUp, Path summary,
    Path latencyLog, Path memoryLog, Path pictures, double lidarHz, int lidarWidth, int lidarHeight, double rgbdHz,
    double vslamHz, int loopFrames, int corruptEvery, long seed, Path record, Path replay, double replayRate) {

  DemoSettings {
    overrides = List.copyOf(overrides);
    if (loopFrames < 1) {
      throw new IllegalArgumentException("--loop-frames must be at least 1");
    }
    if (lidarWidth < 8 || lidarHeight < 8 || (long) lidarWidth * lidarHeight > 16_000_000L) {
      throw new IllegalArgumentException("--lidar-size must have sides >= 8 and at most 16 Mpx, got " + lidarWidth
          + "x" + lidarHeight);
    }
    if (replay == null && lidarHz <= 0 && rgbdHz <= 0 && vslamHz <= 0) {
      throw new IllegalArgumentException("every sensor rate is 0: nothing to replay");
    }
    if (lidarHz < 0 || rgbdHz < 0 || vslamHz < 0 || corruptEvery < 0 || !(replayRate >= 0)) {
      throw new IllegalArgumentException("rates, --corrupt-every and --replay-rate must not be negative");
    }
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration.toMillis() + " ms");
    }
  }

  /** Stands in for the embedded broker, whose address is only known once it runs, in {@link #check}. */
  private static final String NO_BROKER_YET = "localhost:9092";

  /**
   * Checks, before anything is started or rendered, what would otherwise fail later: the recording to replay can be
   * read, and the node's configuration (the file, every key and value, the method names) is valid.
   *
   * @throws ConfigException naming the key of a bad node setting, or the configuration file that does not exist
   * @throws IOException when the recording cannot be read
   */
  void check() throws IOException {
    if (replay != null) {
      Files.newInputStream(replay).close();
    }
    DepthNode.checkMethodNames(nodeConfig(NO_BROKER_YET));
  }

  /** The node's configuration: the file, the environment, then the overrides; the embedded broker's address. */
  NodeConfig nodeConfig(String bootstrapServers) {
    List<String> all = new ArrayList<>();
    all.add("bootstrap.servers=" + bootstrapServers);
    if (replay != null) {
      // Old capture times would all be over any real-time budget; an explicit --set still wins.
      all.addAll(NodeConfig.realtimeBudgetOff());
    } else {
      // The start-up warm-up runs frames of the drive's own LiDAR size; an explicit --set still wins.
      all.add(NodeConfig.WARMUP_SIZES_LIDAR + "=" + lidarWidth + "x" + lidarHeight);
    }
    all.addAll(overrides);
    return NodeConfig.from(ConfigLoader.merge(config, System.getenv(), all));
  }

  static Builder builder() {
    return new Builder();
  }

  /** The configuration file a demo reads unless told otherwise (relative to the repository root). */
  static final Path DEFAULT_CONFIG = Path.of("config/depthstream.properties");

  /** Defaults as {@code depthstream demo} has them; set what differs. */
  static final class Builder {
    private Path config = Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
    private final List<String> overrides = new ArrayList<>();
    private Duration duration;
    private Duration warmUp;
    private Path summary;
    private Path latencyLog;
    private Path memoryLog;
    private Path pictures = Path.of("out/demo");
    private double lidarHz = 10;
    private int lidarWidth = 1242;
    private int lidarHeight = 375;
    private double rgbdHz = 15;
    private double vslamHz = 10;
    private int loopFrames = 24;
    private int corruptEvery;
    private long seed = 7;
    private Path record;
    private Path replay;
    private double replayRate = 1;

    /** The node's configuration file, which must exist; null keeps the default. */
    Builder config(Path v) {
      if (v != null) {
        config = v;
      }
      return this;
    }

    /** Node settings, key=value, applied after the file and the environment; repeatable. */
    Builder set(String keyValue) {
      overrides.add(keyValue);
      return this;
    }

    Builder set(List<String> keyValues) {
      overrides.addAll(keyValues);
      return this;
    }

    Builder duration(Duration v) {
      duration = v;
      return this;
    }

    Builder warmUp(Duration v) {
      warmUp = v;
      return this;
    }

    Builder summary(Path v) {
      summary = v;
      return this;
    }

    Builder latencyLog(Path v) {
      latencyLog = v;
      return this;
    }

    Builder memoryLog(Path v) {
      memoryLog = v;
      return this;
    }

    Builder pictures(Path v) {
      pictures = v;
      return this;
    }

    Builder lidar(double hz, int width, int height) {
      lidarHz = hz;
      lidarWidth = width;
      lidarHeight = height;
      return this;
    }

    Builder rgbdHz(double v) {
      rgbdHz = v;
      return this;
    }

    Builder vslamHz(double v) {
      vslamHz = v;
      return this;
    }

    Builder loopFrames(int v) {
      loopFrames = v;
      return this;
    }

    Builder corruptEvery(int v) {
      corruptEvery = v;
      return this;
    }

    Builder seed(long v) {
      seed = v;
      return this;
    }

    Builder record(Path v) {
      record = v;
      return this;
    }

    Builder replay(Path v, double rate) {
      replay = v;
      replayRate = rate;
      return this;
    }

    /** @throws IllegalArgumentException naming the option that is out of range */
    DemoSettings build() {
      return new DemoSettings(config, overrides, duration, warmUp, summary, latencyLog, memoryLog, pictures, lidarHz,
          lidarWidth, lidarHeight, rgbdHz, vslamHz, loopFrames, corruptEvery, seed, record, replay, replayRate);
    }
  }
}
