package io.depthstream.depth.tooling;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The one text progress bar of the project's commands (rendering, shard export, replay):
 * {@code label [######------]  40/100 frames  40%  1200 frames/min  ETA 0:03}. On a terminal it is redrawn in place
 * at most every 200 ms; elsewhere (a log, CI) it prints a line at each quarter so logs stay short.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final String label;
  private final String unit;
  private final long total;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long lastDraw = Long.MIN_VALUE;
  private int lastQuarter = -1;
  private String suffix = "";

  /**
   * @param unit what is counted, plural ("frames", "records")
   * @param total how many there are; 0 = unknown size (the bar then shows the count and rate only)
   */
  public ProgressBar(PrintStream out, String label, String unit, long total) {
    this(out, label, unit, total, System.console() != null);
  }

  ProgressBar(PrintStream out, String label, String unit, long total, boolean terminal) {
    this.out = out;
    this.label = label;
    this.unit = unit;
    this.total = total;
    this.terminal = terminal;
  }

  /** Extra text after the bar, e.g. "loop 2". */
  public ProgressBar suffix(String text) {
    suffix = text.isEmpty() ? "" : " " + text;
    return this;
  }

  /** Shows {@code done} of the total. */
  public void update(long done) {
    long now = System.nanoTime();
    if (terminal) {
      if (done < total && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
        return;
      }
      lastDraw = now;
      out.print('\r' + render(done, (now - startNanos) / 1e9));
    } else {
      int quarter = total == 0 ? 0 : (int) (4 * done / total);
      if (quarter == lastQuarter) {
        return;
      }
      lastQuarter = quarter;
      out.println(render(done, (now - startNanos) / 1e9));
    }
    out.flush();
  }

  /** Shows the bar full and ends its line. */
  public void finish() {
    update(total);
    if (terminal) {
      out.println();
    }
  }

  /** The bar's text after {@code seconds} with {@code done} counted. */
  String render(long done, double seconds) {
    double perMinute = seconds > 0 ? done / seconds * 60 : 0;
    if (total <= 0) {
      return String.format(Locale.ROOT, "%s %d %s %6.0f %s/min%s", label, done, unit, perMinute, unit, suffix);
    }
    int filled = (int) Math.min(WIDTH, WIDTH * done / total);
    long eta = perMinute > 0 ? Math.round(Math.max(0, total - done) / perMinute * 60) : 0;
    return String.format(Locale.ROOT, "%s [%s%s] %d/%d %s %3d%% %6.0f %s/min ETA %d:%02d%s", label,
        "#".repeat(filled), "-".repeat(WIDTH - filled), done, total, unit, Math.min(100, 100 * done / total),
        perMinute, unit, eta / 60, eta % 60, suffix);
  }
}
