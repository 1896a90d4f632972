package io.depthstream.demo;

import io.depthstream.cli.CommandErrors;
import io.depthstream.cli.DurationOption;
import io.depthstream.connect.record.PlaySpeed;
import io.depthstream.streams.StreamApp;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole node on one machine: an embedded Kafka broker, the stream app, a synthetic drive of three simulated
 * sensors (LiDAR on a road, Kinect-style RGB-D and vSLAM indoors) replayed live into the raw topics, and a
 * consumer that measures what comes out. Prints a status line every second; with {@code --duration} it stops by
 * itself, writes a JSON summary and colour-mapped pictures.
 *
 * <p>{@code --record FILE} also records the raw topics of the live run into an MCAP file ({@link DriveRecorder});
 * {@code --replay FILE} feeds the node that recording instead of the synthetic drive ({@code DrivePlayer}), with
 * the real-time budget off, since a replay keeps its original capture times.
 *
 * <p>Every setting, the node's configuration included, is checked before the broker starts or the drive is
 * rendered; a mistake is one line and exit code 2 ({@link CommandErrors}).
 */
@Command(name = "depthstream demo", mixinStandardHelpOptions = true, sortOptions = false, description = "Runs the node on an embedded Kafka broker with a synthetic sample drive.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--duration", converter = DurationOption.class, description = "Stop after this long: "
      + DurationOption.FORMATS + " (default: run until Ctrl-C).")
  Duration duration;

  @Option(names = "--warm-up", converter = DurationOption.class, description = "Leave the first part of the run out of the summary's statistics (JIT compilation of the Kafka"
      + " client, protobuf and encoding paths), e.g. 5s; the status line still shows it (default: none).")
  Duration warmUp;

  @Option(names = "--summary", description = "Write a JSON summary here when the demo stops.")
  Path summary;

  @Option(names = "--latency-log", paramLabel = "FILE", description = "Write every measured frame's latency (capture time, sensor, end-to-end, inbound, delivery ms) "
      + "as CSV to FILE, and a plot of it next to it (.png).")
  Path latencyLog;

  @Option(names = "--memory-log", paramLabel = "FILE", description = "Write the process's resident size, heap and direct buffers once a second as CSV here.")
  Path memoryLog;

  @Option(names = "--pictures", defaultValue = "out/demo", description = "Directory for colour-mapped PNGs of input, output and ground truth (default: ${DEFAULT-VALUE}).")
  Path pictures;

  @Option(names = {"-c",
      "--config"}, paramLabel = "FILE", description = "Node configuration; bootstrap.servers is replaced by the embedded broker (default: "
          + "config/depthstream.properties when it exists).")
  Path config;

  @Option(names = {"-s", "--set"}, description = "Override a node setting, key=value; repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--lidar-hz", defaultValue = "10", description = "LiDAR frame rate, 1242x375; 0 = no LiDAR (default: ${DEFAULT-VALUE}).")
  double lidarHz;

  @Option(names = "--lidar-size", defaultValue = "1242x375", paramLabel = "WxH", description = "LiDAR image size (default: ${DEFAULT-VALUE}, KITTI's).")
  String lidarSize;

  @Option(names = "--rgbd-hz", defaultValue = "15", description = "RGB-D frame rate, 640x480; 0 = no RGB-D (default: ${DEFAULT-VALUE}).")
  double rgbdHz;

  @Option(names = "--vslam-hz", defaultValue = "10", description = "vSLAM frame rate, 640x480; 0 = no vSLAM sensor (default: ${DEFAULT-VALUE}).")
  double vslamHz;

  @Option(names = "--loop-frames", defaultValue = "24", description = "Frames rendered per sensor and replayed in a loop (default: ${DEFAULT-VALUE}).")
  int loopFrames;

  @Option(names = "--corrupt-every", defaultValue = "0", description = "Send every n-th record corrupt, to watch the dead-letter topic work; 0 = never (default: ${DEFAULT-VALUE}).")
  int corruptEvery;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic drive (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--record", paramLabel = "FILE", description = "Also record the raw topics of the live run into this MCAP file (replay it with --replay).")
  Path record;

  @Option(names = "--replay", paramLabel = "FILE", description = "Replay this MCAP recording into the raw topics instead of the synthetic drive; runs the node"
      + " with depthstream.realtime.budget.ms=0 (the recording keeps its capture times).")
  Path replay;

  @Option(names = "--replay-rate", defaultValue = "1", paramLabel = "N|max", converter = PlaySpeed.class, description = "Replay speed: "
      + PlaySpeed.FORMATS + " (default: ${DEFAULT-VALUE}).")
  double replayRate;

  @Mixin
  CommandErrors.Verbose verbose;

  @Spec
  CommandSpec spec;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The demo's command line: a mistake, a bad node setting included, is one line and exit code 2. */
  static CommandLine commandLine() {
    return CommandErrors.commandLine(new DemoCommand(), StreamApp::configurationError);
  }

  @Override
  public Integer call() throws Exception {
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
    DemoSettings settings = settings();
    settings.check(); // the node's configuration and the recording, before the broker starts or a frame renders
    DemoRun.Outcome outcome = DemoRun.run(settings, out, stopRequested);
    return outcome.publishFailure() == null ? 0 : 1;
  }

  /** The options as settings; a value out of range is a command-line mistake naming its option. */
  private DemoSettings settings() {
    int[] size = parseSize("--lidar-size", lidarSize);
    try {
      return DemoSettings.builder().config(config).set(overrides).duration(duration).warmUp(warmUp)
          .summary(summary).latencyLog(latencyLog).memoryLog(memoryLog).pictures(pictures)
          .lidar(lidarHz, size[0], size[1]).rgbdHz(rgbdHz).vslamHz(vslamHz).loopFrames(loopFrames)
          .corruptEvery(corruptEvery).seed(seed).record(record)
          .replay(replay, replay == null ? 1 : replayRate).build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
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
    throw new CommandLine.ParameterException(spec.commandLine(),
        option + " must be WIDTHxHEIGHT with sides >= 8 and at most 16 Mpx, got '" + value + "'");
  }
}
