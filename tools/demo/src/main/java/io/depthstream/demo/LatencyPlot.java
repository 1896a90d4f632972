package io.depthstream.demo;

import io.depthstream.depth.tooling.LatencyStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the per-frame latency log of a demo run ({@code --latency-log}, {@link OutputMonitor#writeLatencyCsv})
 * as a PNG: one dot per frame, end-to-end milliseconds over capture time, a colour per sensor, with the p50 and
 * p99 of the whole window as lines. A steady tail and a single stall look very different here, and not at all
 * different in a p99.
 */
final class LatencyPlot {
  private static final Color[] SENSOR_COLOURS = {new Color(200, 60, 40), new Color(40, 90, 200),
      new Color(30, 150, 60), new Color(150, 60, 170)};

  private LatencyPlot() {}

  /** Reads {@code csv} (header capture_s,sensor,end_to_end_ms,...) and writes the plot to {@code png}. */
  static void write(Path csv, Path png, String title) throws IOException {
    Map<String, List<double[]>> bySensor = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(csv);
    double[] all = new double[Math.max(0, lines.size() - 1)];
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      double t = Double.parseDouble(f[0]);
      double ms = Double.parseDouble(f[2]);
      bySensor.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new double[] {t, ms});
      all[i - 1] = ms;
    }
    if (all.length == 0) {
      throw new IOException("no frames in " + csv + ": nothing to plot");
    }
    double[] sorted = all.clone();
    Arrays.sort(sorted);
    double p50 = LatencyStats.percentile(sorted, 50);
    double p99 = LatencyStats.percentile(sorted, 99);
    double maxT = bySensor.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
    double maxY = Math.max(sorted[sorted.length - 1], 100) * 1.1;
    ChartCanvas chart = new ChartCanvas(maxT, maxY, "ms", title + " (capture time on x)", 0);
    Graphics2D g = chart.graphics();
    int legendX = ChartCanvas.LEFT + 10;
    int c = 0;
    for (var e : bySensor.entrySet()) {
      g.setColor(SENSOR_COLOURS[c++ % SENSOR_COLOURS.length]);
      for (double[] p : e.getValue()) {
        g.fillOval(chart.x(p[0]) - 2, chart.y(p[1]) - 2, 4, 4);
      }
      g.drawString(e.getKey(), legendX, ChartCanvas.TOP - 12);
      legendX += g.getFontMetrics().stringWidth(e.getKey()) + 30;
    }
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    g.setColor(Color.BLACK);
    for (double[] line : new double[][] {{p50, 50}, {p99, 99}}) {
      int y = chart.y(line[0]);
      g.drawLine(ChartCanvas.LEFT, y, ChartCanvas.LEFT + ChartCanvas.PLOT_WIDTH, y);
      g.drawString(String.format(Locale.ROOT, "p%.0f %.1f ms", line[1], line[0]),
          ChartCanvas.LEFT + ChartCanvas.PLOT_WIDTH - 110, y - 4);
    }
    chart.write(png);
  }
}
