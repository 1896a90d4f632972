package io.depthstream.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The process's memory over a run, one sample per status tick: resident set size (everything, including ONNX
 * Runtime's native arenas and Kafka's buffers, which the JVM cannot see), Java heap in use, and direct buffers.
 * A leak of native tensors shows as a resident size that keeps climbing while the heap stays flat, so the summary
 * reports the slope of a least-squares line through the samples of the measured window, both of the resident size
 * and of the resident size outside the committed Java heap (the heap grows in steps as G1 sizes it, which is not a
 * leak).
 */
final class MemoryLog {
  private static final Path PROC_STATUS = Path.of("/proc/self/status");
  private static final double MIB = 1024.0 * 1024.0;

  /** One sample; sizes in MiB, {@code NaN} when the platform does not report it. */
  record Sample(double seconds, double rssMib, double heapMib, double heapCommittedMib, double directMib) {
    /** Resident memory outside the committed Java heap: native arenas, thread stacks, code, direct buffers. */
    double outsideHeapMib() {
      return rssMib - heapCommittedMib;
    }
  }

  /**
   * Resident size at the window's start and end, its maximum and its trend, MiB and MiB per minute; the same trend
   * for the resident memory outside the Java heap.
   */
  record Summary(double startMib, double endMib, double maxMib, double slopeMibPerMinute,
      double outsideHeapStartMib, double outsideHeapEndMib, double outsideHeapSlopeMibPerMinute, int samples) {}

  private final List<Sample> samples = new ArrayList<>();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
      .filter(b -> b.getName().equals("direct")).findFirst().orElse(null);

  /** Takes a sample at {@code seconds} since the run started. */
  void sample(double seconds) {
    var heap = memory.getHeapMemoryUsage();
    add(new Sample(seconds, residentMib(), heap.getUsed() / MIB, heap.getCommitted() / MIB,
        direct == null ? Double.NaN : direct.getMemoryUsed() / MIB));
  }

  void add(Sample sample) {
    samples.add(sample);
  }

  /** The samples taken at or after {@code fromSeconds}: the measured window; null when there are fewer than 2. */
  Summary summary(double fromSeconds) {
    List<Sample> window = samples.stream().filter(s -> s.seconds() >= fromSeconds && !Double.isNaN(s.rssMib()))
        .toList();
    if (window.size() < 2) {
      return null;
    }
    Sample first = window.get(0);
    Sample last = window.get(window.size() - 1);
    return new Summary(first.rssMib(), last.rssMib(),
        window.stream().mapToDouble(Sample::rssMib).max().orElse(Double.NaN),
        slopePerSecond(window, Sample::rssMib) * 60, first.outsideHeapMib(), last.outsideHeapMib(),
        slopePerSecond(window, Sample::outsideHeapMib) * 60, window.size());
  }

  /** Least-squares slope of {@code y} over the samples' seconds. */
  private static double slopePerSecond(List<Sample> window, java.util.function.ToDoubleFunction<Sample> y) {
    double mx = window.stream().mapToDouble(Sample::seconds).average().orElse(0);
    double my = window.stream().mapToDouble(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (Sample s : window) {
      sxy += (s.seconds() - mx) * (y.applyAsDouble(s) - my);
      sxx += (s.seconds() - mx) * (s.seconds() - mx);
    }
    return sxx == 0 ? 0 : sxy / sxx;
  }

  /** Writes every sample as CSV: seconds, rss_mib, heap_used_mib, heap_committed_mib, direct_mib. */
  void writeCsv(Path file) throws IOException {
    StringBuilder csv = new StringBuilder("seconds,rss_mib,heap_used_mib,heap_committed_mib,direct_mib\n");
    for (Sample s : samples) {
      csv.append(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%.1f%n", s.seconds(), s.rssMib(), s.heapMib(),
          s.heapCommittedMib(), s.directMib()));
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, csv.toString());
  }

  /**
   * Draws resident size, committed heap and resident memory outside the heap over time as a PNG line chart, so a
   * leak (a line that keeps climbing) is visible at a glance.
   */
  void writePlot(Path file, double windowStartSeconds) throws IOException {
    double maxT = samples.stream().mapToDouble(Sample::seconds).max().orElse(1);
    // Committed heap can exceed the resident size (committed pages not yet touched): scale to the larger.
    double maxY = samples.stream().flatMapToDouble(x -> java.util.stream.DoubleStream.of(x.rssMib(),
        x.heapCommittedMib())).filter(Double::isFinite).max().orElse(1) * 1.1;
    ChartCanvas chart = new ChartCanvas(maxT, maxY, "MiB",
        "time since start (shaded: warm-up, left out of the trend)", windowStartSeconds);
    Graphics2D g = chart.graphics();
    Object[][] series = {
        {"resident (RSS)", new Color(200, 40, 40), (java.util.function.ToDoubleFunction<Sample>) Sample::rssMib},
        {"committed Java heap", new Color(40, 90, 200),
            (java.util.function.ToDoubleFunction<Sample>) Sample::heapCommittedMib},
        {"resident outside the heap", new Color(30, 150, 60),
            (java.util.function.ToDoubleFunction<Sample>) Sample::outsideHeapMib}};
    int legendX = ChartCanvas.LEFT + 10;
    for (Object[] s : series) {
      @SuppressWarnings("unchecked")
      var y = (java.util.function.ToDoubleFunction<Sample>) s[2];
      g.setColor((Color) s[1]);
      g.setStroke(new BasicStroke(2f));
      int px = -1;
      int py = -1;
      for (Sample sample : samples) {
        double v = y.applyAsDouble(sample);
        if (!Double.isFinite(v)) {
          continue;
        }
        int x = chart.x(sample.seconds());
        int yy = chart.y(v);
        if (px >= 0) {
          g.drawLine(px, py, x, yy);
        }
        px = x;
        py = yy;
      }
      g.drawString((String) s[0], legendX, ChartCanvas.TOP - 12);
      legendX += g.getFontMetrics().stringWidth((String) s[0]) + 30;
    }
    chart.write(file);
  }

  /** Whether this JVM runs with {@code -XX:+AlwaysPreTouch}, so its committed heap is resident from the start. */
  static boolean heapPreTouched() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+AlwaysPreTouch");
  }

  /** VmRSS of this process from /proc (Linux); NaN elsewhere. */
  static double residentMib() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) {
          // "VmRSS:    123456 kB"
          String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc not mounted: resident size is simply not reported
    }
    return Double.NaN;
  }
}
