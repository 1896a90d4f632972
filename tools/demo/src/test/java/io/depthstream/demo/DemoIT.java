package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's demo command, shortened: it must run end to end and write its summary and pictures. */
class DemoIT {
  @Test
  void runsTheWholeNodeAndWritesASummaryAndPictures(@TempDir Path dir) throws Exception {
    Path summary = dir.resolve("summary.json");
    Path pictures = dir.resolve("pictures");
    Path root = Path.of(System.getProperty("depthstream.root", ".."));
    Path config = root.resolve("config/depthstream.properties");
    // The example config names the shipped models relative to the repository root; tests run in demo/.
    String models = "depthstream.models.dir=" + root.resolve("models");
    int exit = new CommandLine(new DemoCommand()).execute(
        "--duration", "8s", "--summary", summary.toString(), "--pictures", pictures.toString(),
        "--config", config.toString(), "--loop-frames", "3", "--lidar-hz", "5", "--rgbd-hz", "5",
        "--vslam-hz", "5", "--corrupt-every", "10", "--set", "depthstream.metrics.port=0", "--set", models,
        // Under heavy machine load the real-time policy may skip any frame; DepthTopologyTest covers skipping, so
        // here every frame must come out and the accounting is exact.
        "--set", "depthstream.realtime.budget.ms=0");
    assertThat(exit).isZero();
    String json = Files.readString(summary);
    long in = number(json, "frames_in");
    long out = number(json, "frames_out");
    long dead = number(json, "frames_dead_lettered");
    long corrupt = number(json, "frames_in_corrupt");
    long skipped = number(json, "frames_skipped");
    assertThat(in).isGreaterThan(30);
    assertThat(corrupt).isPositive();
    // Nothing lost: every record sent came out as dense depth or as a dead letter, and only the corrupt ones died.
    assertThat(skipped).isZero();
    assertThat(out + dead).isEqualTo(in);
    assertThat(out).isPositive();
    assertThat(dead).isEqualTo(corrupt);
    assertThat(json).contains("\"latency_p50_ms\"", "\"latency_p99_ms\"", "\"fps\"", "\"node_stage_ms\"",
        "\"kind\": \"lidar\"",
        "\"kind\": \"rgbd\"");
    assertThat(pictures.resolve("lidar-front.png")).isNotEmptyFile();
    assertThat(pictures.resolve("kinect-arm.png")).isNotEmptyFile();
  }

  private static long number(String json, String key) {
    var m = java.util.regex.Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
    assertThat(m.find()).as("summary has %s", key).isTrue();
    return Long.parseLong(m.group(1));
  }
}
