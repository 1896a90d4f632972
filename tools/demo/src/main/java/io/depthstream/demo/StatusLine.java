package io.depthstream.demo;

import java.io.PrintStream;
import java.util.Locale;

/** The live status line: input and output counts, output frames per second and recent latency percentiles. */
final class StatusLine {
  private final PrintStream out;
  private final OutputMonitor monitor;
  private final Feed publisher;
  private final NodeStats nodeStats;
  private final long startNanos;
  private final boolean terminal = System.console() != null;
  private long lastDense;
  private long lastNanos;

  StatusLine(PrintStream out, OutputMonitor monitor, Feed publisher, NodeStats nodeStats,
      long startNanos) {
    this.out = out;
    this.monitor = monitor;
    this.publisher = publisher;
    this.nodeStats = nodeStats;
    this.startNanos = startNanos;
    this.lastNanos = startNanos;
  }

  void print() {
    long now = System.nanoTime();
    long dense = monitor.dense();
    double fps = (dense - lastDense) / ((now - lastNanos) / 1e9);
    lastDense = dense;
    lastNanos = now;
    double[] p = monitor.windowPercentilesMs();
    String latency = monitor.capturesLatency()
        ? String.format(Locale.ROOT, "latency p50 %6.1f ms p99 %6.1f ms", p[0], p[1])
        : "latency n/a (replay)";
    String line = String.format(Locale.ROOT,
        "t=%5.1fs | in %6d | out %6d | dead-lettered %4d | skipped %4d | %5.1f fps | %s | alerts %d",
        (now - startNanos) / 1e9, publisher.sent(), dense, monitor.deadLettered(), nodeStats.skipped(), fps,
        latency, monitor.alerts());
    out.print(terminal ? "\r" + line : line + "\n");
    out.flush();
  }

  void finish() {
    if (terminal) {
      out.println();
    }
  }
}
