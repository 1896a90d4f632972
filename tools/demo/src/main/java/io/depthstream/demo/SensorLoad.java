package io.depthstream.demo;

import io.depthstream.depth.tooling.LatencyStats;

/**
 * One sensor's share of a demo run's measured window: dense frames out, output rate, end-to-end latency (capture to
 * the consumer holding the dense frame, milliseconds) and frames the real-time policy skipped.
 */
record SensorLoad(String sensor, long framesOut, double fps, double p50Ms, double p99Ms, double maxMs, long skipped) {
  static SensorLoad of(String sensor, LatencyStats latency, double seconds, long skipped) {
    return new SensorLoad(sensor, latency.count(), latency.count() / seconds, latency.p50Ms(), latency.p99Ms(),
        latency.maxMs(), skipped);
  }
}
