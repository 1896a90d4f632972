package io.depthstream.demo;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The frame the demo's PNG charts share (memory over time, frame latency over time): a 900x420 white image, a plot
 * box with five ticks on each axis from 0 to the maxima, the y unit and an x caption; {@link #x} and {@link #y}
 * map data to pixels. Callers draw their series with {@link #graphics()} and then {@link #write} the file.
 */
final class ChartCanvas {
  static final int WIDTH = 900;
  static final int HEIGHT = 420;
  static final int LEFT = 70;
  static final int RIGHT = 20;
  static final int TOP = 40;
  static final int BOTTOM = 50;
  static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
  static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

  private final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
  private final Graphics2D g = image.createGraphics();
  private final double maxSeconds;
  private final double maxY;

  /**
   * @param maxSeconds right end of the time axis, seconds (&gt; 0)
   * @param maxY top of the y axis, in {@code yUnit} (&gt; 0)
   * @param shadeUntilSeconds the time axis is shaded grey up to here (a warm-up); 0 for none
   */
  ChartCanvas(double maxSeconds, double maxY, String yUnit, String caption, double shadeUntilSeconds) {
    this.maxSeconds = maxSeconds > 0 ? maxSeconds : 1;
    this.maxY = maxY > 0 ? maxY : 1;
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    if (shadeUntilSeconds > 0) {
      g.setColor(new Color(235, 235, 235));
      g.fillRect(LEFT, TOP, Math.max(0, x(shadeUntilSeconds) - LEFT), PLOT_HEIGHT);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(LEFT, TOP, PLOT_WIDTH, PLOT_HEIGHT);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 4; i++) {
      int y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * i / 4;
      g.drawString(String.format(Locale.ROOT, "%.0f", this.maxY * i / 4), 8, y + 4);
      int x = LEFT + PLOT_WIDTH * i / 4;
      g.drawString(String.format(Locale.ROOT, "%.0f s", this.maxSeconds * i / 4), x - 12, TOP + PLOT_HEIGHT + 18);
    }
    g.drawString(yUnit, 8, TOP - 12);
    g.drawString(caption, LEFT, HEIGHT - 12);
  }

  Graphics2D graphics() {
    return g;
  }

  /** Pixel column of time {@code seconds}. */
  int x(double seconds) {
    return LEFT + (int) (PLOT_WIDTH * seconds / maxSeconds);
  }

  /** Pixel row of value {@code v}, clamped to the plot box. */
  int y(double v) {
    return TOP + PLOT_HEIGHT - (int) (PLOT_HEIGHT * Math.max(0, Math.min(v, maxY)) / maxY);
  }

  /** Writes the chart as PNG, creating the parent folder. */
  void write(Path file) throws IOException {
    g.dispose();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
  }
}
