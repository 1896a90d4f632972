package io.depthstream.tools.shards;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line textual progress bar, redrawn in place with carriage returns at most every 200 ms. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastDraw = Long.MIN_VALUE;

  ProgressBar(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  void update(long done) {
    long now = System.nanoTime();
    if (done < total && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    out.print('\r' + render(done, (now - startNanos) / 1e9));
    out.flush();
  }

  void finish() {
    update(total);
    out.println();
  }

  /** The bar text, e.g. {@code export [######------]  40/100 frames  40%  1200 frames/min  ETA 0:03}. */
  String render(long done, double seconds) {
    int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
    StringBuilder bar = new StringBuilder(label).append(" [");
    for (int i = 0; i < WIDTH; i++) {
      bar.append(i < filled ? '#' : '-');
    }
    double perMinute = seconds > 0 ? done / seconds * 60 : 0;
    long eta = perMinute > 0 ? Math.round((total - done) / perMinute * 60) : 0;
    return bar.append(String.format(Locale.ROOT, "] %d/%d frames %3d%% %6.0f frames/min ETA %d:%02d", done, total,
        total == 0 ? 100 : 100 * done / total, perMinute, eta / 60, eta % 60)).toString();
  }
}
