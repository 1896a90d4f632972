package io.depthstream.demo;

import io.depthstream.streams.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads the node's own meters: frames skipped by the real-time policy and per-stage latency percentiles. */
final class NodeStats {
  static final String[] STAGES = {"decode", "reconstruct", "guidance", "encode"};

  private final MeterRegistry registry;

  NodeStats(MeterRegistry registry) {
    this.registry = registry;
  }

  long skipped() {
    return total(NodeMetrics.FRAMES_SKIPPED);
  }

  /** Frames the node reconstructed with its overload method so far (late at the processor). */
  long overloaded() {
    return total(NodeMetrics.FRAMES_OVERLOADED);
  }

  /** A counter's count summed over all its tags. */
  private long total(String counter) {
    return (long) registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Frames skipped so far per sensor id. */
  Map<String, Long> skippedBySensor() {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Counter c : registry.find(NodeMetrics.FRAMES_SKIPPED).counters()) {
      out.merge(c.getId().getTag("sensor"), (long) c.count(), Long::sum);
    }
    return out;
  }

  /**
   * Stage name to {p50, p99} in milliseconds, over the node's recent window, the slowest sensor's (stage timers are
   * per sensor); stages not seen yet are left out.
   */
  Map<String, double[]> stagePercentilesMs() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String stage : STAGES) {
      for (Timer timer : registry.find(NodeMetrics.STAGE_LATENCY).tag("stage", stage).timers()) {
        double[] p = out.computeIfAbsent(stage, s -> new double[2]);
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
          if (v.percentile() == 0.5) {
            p[0] = Math.max(p[0], v.value(TimeUnit.MILLISECONDS));
          } else if (v.percentile() == 0.99) {
            p[1] = Math.max(p[1], v.value(TimeUnit.MILLISECONDS));
          }
        }
      }
    }
    return out;
  }
}
