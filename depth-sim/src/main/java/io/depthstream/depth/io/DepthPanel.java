package io.depthstream.depth.io;

import io.depthstream.depth.DepthMap;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Composes several labelled depth maps side by side into one PNG, for eyeballing a method against ground truth.
 *
 * <p>All depth panels share one Turbo colour range (given, or the robust auto range of all of them together), so
 * equal colours mean equal depth across panels. An optional error panel ({@code |output - gt|} where the ground
 * truth is valid) has its own scale from 0 to the 98th percentile of the error. Maps of different sizes (a
 * low-resolution input next to full-resolution output) are scaled with nearest-neighbour to the tallest panel's
 * height so each input pixel stays visible as a block. Each label shows the colour range in the maps' units.
 *
 * <pre>{@code
 * new DepthPanel().add("GT", gt).add("input x8", low).add("bicubic", out).addError("|err|", out, gt)
 *     .write(Path.of("out/cones.png"));
 * }</pre>
 */
public final class DepthPanel {
  private static final int LABEL_HEIGHT = 22;
  private static final int GAP = 4;

  private record Entry(String label, DepthMap map, float[] field, int width, int height) {}

  private final List<Entry> entries = new ArrayList<>();
  private ColorRange range;
  private ColorRange errorRange;

  /** Adds a depth panel (values in the maps' units, 0 = invalid drawn black). */
  public DepthPanel add(String label, DepthMap map) {
    entries.add(new Entry(label, map, null, map.width(), map.height()));
    return this;
  }

  /**
   * Adds an absolute-error panel {@code |output - gt|} over pixels where {@code gt > 0} (others drawn black).
   *
   * @throws IllegalArgumentException if the sizes differ
   */
  public DepthPanel addError(String label, DepthMap output, DepthMap gt) {
    output.requireSameSize(gt, "error panel");
    float[] o = output.data();
    float[] g = gt.data();
    float[] e = new float[o.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = g[i] > 0f ? Math.abs(o[i] - g[i]) : Float.NaN;
    }
    entries.add(new Entry(label, null, e, gt.width(), gt.height()));
    return this;
  }

  /** Fixes the shared depth colour range instead of the automatic one. */
  public DepthPanel range(ColorRange shared) {
    this.range = shared;
    return this;
  }

  /** Fixes the error panel's colour range instead of [0, 98th percentile]. */
  public DepthPanel errorRange(ColorRange errors) {
    this.errorRange = errors;
    return this;
  }

  /** Composes the panels into one RGB image. */
  public BufferedImage render() {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("panel: nothing added");
    }
    List<DepthMap> maps = new ArrayList<>();
    int rowHeight = 0;
    for (Entry e : entries) {
      if (e.map != null) {
        maps.add(e.map);
      }
      rowHeight = Math.max(rowHeight, e.height);
    }
    ColorRange shared =
        range != null || maps.isEmpty() ? range : DepthColormap.autoRange(maps.toArray(DepthMap[]::new));
    int totalWidth = 0;
    int[] widths = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      widths[i] = (int) Math.round(e.width * (double) rowHeight / e.height);
      totalWidth += widths[i] + (i > 0 ? GAP : 0);
    }
    BufferedImage out = new BufferedImage(totalWidth, rowHeight + LABEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int x = 0;
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        BufferedImage img;
        ColorRange r;
        if (e.map != null) {
          r = shared;
          img = DepthColormap.render(e.map, r);
        } else {
          r = errorRange != null ? errorRange : errorAutoRange(e.field);
          img = DepthColormap.renderField(e.field, e.width, e.height, r);
        }
        g.drawImage(img, x, LABEL_HEIGHT, widths[i], rowHeight, null);
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%s [%.3g, %.3g]", e.label, r.min(), r.max()), x + 3,
            LABEL_HEIGHT - 6);
        x += widths[i] + GAP;
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Renders and writes the panel as PNG. */
  public void write(Path file) throws IOException {
    if (!ImageIO.write(render(), "png", file.toFile())) {
      throw new IOException(file + ": no PNG writer available");
    }
  }

  private static ColorRange errorAutoRange(float[] field) {
    int n = 0;
    for (float v : field) {
      if (v == v) {
        n++;
      }
    }
    if (n == 0) {
      return new ColorRange(0f, 1f);
    }
    float[] vals = new float[n];
    int k = 0;
    for (float v : field) {
      if (v == v) {
        vals[k++] = v;
      }
    }
    java.util.Arrays.sort(vals);
    float hi = vals[(int) Math.ceil(DepthColormap.HIGH_PERCENTILE / 100.0 * (n - 1))];
    return new ColorRange(0f, hi > 0f ? hi : 1f);
  }
}
