package io.depthstream.streams.view;

import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Output fps and end-to-end latency per sensor for the live view, read from the node's own meters
 * ({@value NodeMetrics#FRAMES_OUT}, {@value NodeMetrics#END_TO_END_LATENCY}) when a page asks: nothing is added to
 * the frame path. fps is the growth of the sensor's frames-out count over the last {@value #WINDOW_SECONDS} s of
 * page requests; the latency percentiles are the timer's own (Micrometer's decaying window of about two minutes).
 * Thread-safe.
 */
final class SensorRates {
  /** Seconds of counter samples that fps averages over. */
  static final long WINDOW_SECONDS = 2;

  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);

  /** What the page shows of a sensor's rates; NaN where not known yet. */
  record Rates(double fps, double latencyP50Ms, double latencyP99Ms) {}

  private final MeterRegistry registry;
  private final LongSupplier monotonicNanos;
  /** Per sensor, (time, frames out) samples of the last window, oldest first. */
  private final Map<String, ArrayDeque<long[]>> samples = new HashMap<>();

  SensorRates(MeterRegistry registry, LongSupplier monotonicNanos) {
    this.registry = registry;
    this.monotonicNanos = monotonicNanos;
  }

  synchronized Rates of(String sensor) {
    long now = monotonicNanos.getAsLong();
    long out = 0;
    for (Counter c : registry.find(NodeMetrics.FRAMES_OUT).tag("sensor", sensor).counters()) {
      out += (long) c.count();
    }
    ArrayDeque<long[]> window = samples.computeIfAbsent(sensor, s -> new ArrayDeque<>());
    window.addLast(new long[] {now, out});
    while (window.size() > 2 && now - window.peekFirst()[0] > WINDOW_NANOS) {
      window.removeFirst();
    }
    long[] first = window.peekFirst();
    double seconds = (now - first[0]) / 1e9;
    double fps = seconds > 0.1 ? (out - first[1]) / seconds : Double.NaN;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Timer latency = registry.find(NodeMetrics.END_TO_END_LATENCY).tag("sensor", sensor).timer();
    if (latency != null) {
      for (ValueAtPercentile v : latency.takeSnapshot().percentileValues()) {
        if (v.percentile() == 0.5) {
          p50 = v.value(TimeUnit.MILLISECONDS);
        } else if (v.percentile() == 0.99) {
          p99 = v.value(TimeUnit.MILLISECONDS);
        }
      }
    }
    return new Rates(fps, p50, p99);
  }
}
