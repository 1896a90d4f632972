package io.depthstream.demo;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line text progress bar on a terminal; plain percentage lines when the output is not a terminal. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final int total;
  private final boolean terminal = System.console() != null;
  private int lastPercent = -1;

  ProgressBar(PrintStream out, String label, int total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  void update(int done) {
    int percent = (int) (100L * done / Math.max(1, total));
    if (percent == lastPercent || (!terminal && percent % 25 != 0 && done != total)) {
      return;
    }
    lastPercent = percent;
    int filled = WIDTH * percent / 100;
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    out.printf(Locale.ROOT, "%s%s [%s] %3d%% (%d/%d)%s", terminal ? "\r" : "", label, bar, percent, done, total,
        terminal && done < total ? "" : "\n");
    out.flush();
  }
}
