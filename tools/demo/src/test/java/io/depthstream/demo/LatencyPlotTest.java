package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyPlotTest {
  @TempDir
  Path dir;

  @Test
  void drawsEachFrameAtItsTimeAndLatencyAndThePercentileLines() throws IOException {
    // 100 frames of sensor a at 10 ms, one of sensor b at 200 ms at t = 5 s: p50 = 10 ms, p99 = 10 ms (nearest
    // rank 100 of 101), the y axis runs to 220 ms (110 % of the maximum) and the time axis to 10 s.
    StringBuilder csv = new StringBuilder("capture_s,sensor,end_to_end_ms,inbound_ms,delivery_ms\n");
    for (int i = 0; i < 100; i++) {
      csv.append(i / 10.0 + 0.1).append(",a,10.0,1.0,1.0\n");
    }
    csv.append("5.0,b,200.0,150.0,5.0\n");
    Path file = dir.resolve("latency.csv");
    Files.writeString(file, csv);
    Path png = dir.resolve("latency.png");

    LatencyPlot.write(file, png, "test");

    var image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(ChartCanvas.WIDTH);
    assertThat(image.getHeight()).isEqualTo(ChartCanvas.HEIGHT);
    // Sensor b's dot: x = 70 + 810 * 5 / 10 = 475; y = 40 + 330 - 330 * 200 / 220 = 70. Second colour (blue).
    assertThat(image.getRGB(475, 70) & 0xffffff).isEqualTo(0x285ac8);
    // Nothing at the same height a second later: the stall is one frame, not a band.
    assertThat(image.getRGB(556, 70) & 0xffffff).isEqualTo(0xffffff);
    // The p50 line at 10 ms: y = 370 - 330 * 10 / 220 = 355, dashed black from x = 70 (first dash at 70-75), grey
    // where anti-aliasing spreads it over two rows; left of the first dot (t = 0.1 s, x = 78).
    int rgb = image.getRGB(72, 355) & 0xffffff;
    assertThat(rgb >> 16).isEqualTo((rgb >> 8) & 0xff).isEqualTo(rgb & 0xff).isLessThan(0xc0);
  }

  @Test
  void anEmptyLogIsNamed() throws IOException {
    Path file = dir.resolve("empty.csv");
    Files.writeString(file, "capture_s,sensor,end_to_end_ms,inbound_ms,delivery_ms\n");
    assertThatThrownBy(() -> LatencyPlot.write(file, dir.resolve("x.png"), "t"))
        .isInstanceOf(IOException.class).hasMessageContaining("no frames in");
  }
}
