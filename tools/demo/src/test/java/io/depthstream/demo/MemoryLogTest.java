package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryLogTest {
  @Test
  void trendIsTheLeastSquaresSlopeOfTheWindowInMibPerMinute() {
    MemoryLog log = new MemoryLog();
    // Warm-up samples that grow fast, then a window that grows 0.5 MiB/s with noise that cancels out.
    // The committed heap grows by 3 MiB over the window too, so memory outside the heap is flat.
    log.add(new MemoryLog.Sample(0, 100, 10, 50, 1));
    log.add(new MemoryLog.Sample(1, 300, 10, 200, 1));
    log.add(new MemoryLog.Sample(2, 400, 10, 300, 1));
    log.add(new MemoryLog.Sample(3, 401.5, 10, 301.5, 1));
    log.add(new MemoryLog.Sample(4, 401.5, 10, 301.5, 1));
    log.add(new MemoryLog.Sample(5, 403, 10, 303, 1));

    MemoryLog.Summary window = log.summary(2);

    // x = 2..5 (mean 3.5), y = 400, 401.5, 401.5, 403 (mean 401.5): sxy = (-1.5)(-1.5) + 0 + 0 + 1.5 * 1.5 = 4.5,
    // sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5, slope 0.9 MiB/s = 54 MiB/min.
    assertThat(window.slopeMibPerMinute()).isCloseTo(54.0, within(1e-9));
    assertThat(window.startMib()).isEqualTo(400);
    assertThat(window.endMib()).isEqualTo(403);
    assertThat(window.maxMib()).isEqualTo(403);
    assertThat(window.samples()).isEqualTo(4);
    assertThat(window.outsideHeapSlopeMibPerMinute()).isCloseTo(0.0, within(1e-9));
    assertThat(window.outsideHeapStartMib()).isEqualTo(100);
  }

  @Test
  void aWindowOfFewerThanTwoSamplesHasNoTrend() {
    MemoryLog log = new MemoryLog();
    log.add(new MemoryLog.Sample(0, 100, 10, 50, 1));
    log.add(new MemoryLog.Sample(1, 110, 10, 50, 1));
    assertThat(log.summary(1)).isNull();
    assertThat(log.summary(0)).isNotNull();
  }

  @Test
  void readsThisProcessResidentSizeAndWritesCsv(@TempDir Path dir) throws Exception {
    MemoryLog log = new MemoryLog();
    log.sample(0);
    log.sample(0.5);
    Path csv = dir.resolve("m.csv");
    log.writeCsv(csv);
    var lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("seconds,rss_mib,heap_used_mib,heap_committed_mib,direct_mib");
    Path png = dir.resolve("m.png");
    log.writePlot(png, 0.2);
    var image = javax.imageio.ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    // Near the top of the plot area no line passes (the y axis reaches 10 % above the highest): the warm-up band is
    // shaded grey, the rest white.
    assertThat(image.getRGB(75, 45) & 0xffffff).isEqualTo(0xebebeb);
    assertThat(image.getRGB(860, 45) & 0xffffff).isEqualTo(0xffffff);
    if (Files.exists(Path.of("/proc/self/status"))) {
      // A running JVM is resident in tens of MiB at least.
      assertThat(MemoryLog.residentMib()).isGreaterThan(20);
    }
  }
}
