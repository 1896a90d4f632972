package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A recorded drive through the whole node: a short live demo records its raw topics with {@code --record}, then
 * {@code --replay} plays that file into a fresh broker and node. Every replayed record must come out as dense
 * depth or as a dead letter (the real-time budget is off for a replay, so nothing is skipped), and the replay
 * must send exactly what was recorded.
 */
class DemoReplayIT {
  @Test
  void recordsALiveRunAndReplaysItThroughTheNode(@TempDir Path dir) throws Exception {
    Path root = Path.of(System.getProperty("depthstream.root", ".."));
    Path config = root.resolve("config/depthstream.properties");
    // The example config names the shipped models relative to the repository root; tests run in demo/.
    String models = "depthstream.models.dir=" + root.resolve("models");
    Path drive = dir.resolve("drive.mcap");
    Path liveSummary = dir.resolve("live.json");
    int exit = new CommandLine(new DemoCommand()).execute(
        "--duration", "5s", "--summary", liveSummary.toString(), "--pictures", dir.resolve("live").toString(),
        "--config", config.toString(), "--loop-frames", "2", "--lidar-hz", "4", "--rgbd-hz", "4",
        "--vslam-hz", "4", "--corrupt-every", "7", "--record", drive.toString(),
        "--set", "depthstream.metrics.port=0", "--set", models);
    assertThat(exit).isZero();
    String live = Files.readString(liveSummary);
    long liveIn = number(live, "frames_in");
    long liveCorrupt = number(live, "frames_in_corrupt");
    assertThat(liveIn).isGreaterThan(20);
    assertThat(liveCorrupt).isPositive();
    assertThat(number(live, "recording_frames")).as("every record sent was recorded").isEqualTo(liveIn);
    assertThat(drive).isNotEmptyFile();

    Path replaySummary = dir.resolve("replay.json");
    Path pictures = dir.resolve("replay");
    exit = new CommandLine(new DemoCommand()).execute(
        "--replay", drive.toString(), "--replay-rate", "max", "--duration", "40s",
        "--summary", replaySummary.toString(), "--pictures", pictures.toString(), "--config", config.toString(),
        "--set", "depthstream.metrics.port=0", "--set", models);
    assertThat(exit).isZero();
    String replay = Files.readString(replaySummary);
    long in = number(replay, "frames_in");
    long out = number(replay, "frames_out");
    long dead = number(replay, "frames_dead_lettered");
    assertThat(replay).contains("\"mode\": \"replay\"", "\"latency_p50_ms\": null", "\"frames_in_corrupt\": null");
    assertThat(number(replay, "recording_frames")).isEqualTo(liveIn);
    assertThat(in).as("replayed = recorded").isEqualTo(liveIn);
    assertThat(number(replay, "frames_skipped")).as("budget off for a replay").isZero();
    assertThat(out + dead).as("in == out + dead-lettered").isEqualTo(in);
    assertThat(dead).as("the recorded corrupt records die again").isEqualTo(liveCorrupt);
    assertThat(pictures.resolve("lidar-front.png")).isNotEmptyFile();
    assertThat(pictures.resolve("kinect-arm.png")).isNotEmptyFile();
  }

  private static long number(String json, String key) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (\\d+)").matcher(json);
    assertThat(m.find()).as("summary has %s as a number", key).isTrue();
    return Long.parseLong(m.group(1));
  }
}
