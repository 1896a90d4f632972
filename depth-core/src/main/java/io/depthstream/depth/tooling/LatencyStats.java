package io.depthstream.depth.tooling;

import java.util.Arrays;

/**
 * The one definition of the numbers every benchmark and run summary reports from a set of durations: percentiles by
 * nearest rank (rank = ceil(p / 100 * n), 1-based) and frames per second as 1 / mean duration (one caller running
 * back to back). Times in, milliseconds out.
 *
 * @param count how many durations
 * @param p50Ms median, milliseconds
 * @param p99Ms 99th percentile, milliseconds
 * @param maxMs largest, milliseconds
 * @param meanMs mean, milliseconds
 */
public record LatencyStats(int count, double p50Ms, double p99Ms, double maxMs, double meanMs) {
  /** Statistics of the first {@code count} durations in nanoseconds (the array is not changed). */
  public static LatencyStats ofNanos(long[] nanos, int count) {
    if (count <= 0) {
      return new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    double sum = 0;
    for (long v : sorted) {
      sum += v;
    }
    return new LatencyStats(count, sorted[nearestRankIndex(count, 50)] / 1e6, sorted[nearestRankIndex(count, 99)] / 1e6,
        sorted[count - 1] / 1e6, sum / count / 1e6);
  }

  /** Statistics of all {@code nanos}. */
  public static LatencyStats ofNanos(long[] nanos) {
    return ofNanos(nanos, nanos.length);
  }

  /** Frames per second of one caller running back to back: 1000 / mean milliseconds. */
  public double fps() {
    return 1000.0 / meanMs;
  }

  /** The {@code p}-th percentile (0-100) of {@code sorted}, nearest rank; NaN when empty. */
  public static double percentile(double[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[nearestRankIndex(sorted.length, p)];
  }

  /** Index of the {@code p}-th percentile (0-100) in {@code count} sorted values, nearest rank, clamped. */
  public static int nearestRankIndex(int count, double p) {
    int rank = (int) Math.ceil(p / 100.0 * count);
    return Math.max(0, Math.min(count - 1, rank - 1));
  }
}
