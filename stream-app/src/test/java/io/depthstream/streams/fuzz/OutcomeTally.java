package io.depthstream.streams.fuzz;

import java.util.Map;
import java.util.TreeMap;

/** Counts outcomes for the summary table a fuzz test prints, so the numbers can be quoted. */
final class OutcomeTally {
  private final String title;
  private final Map<String, Integer> counts = new TreeMap<>();
  private int total;
  private long maxAllocated;
  private String maxAllocatedCase = "";

  OutcomeTally(String title) {
    this.title = title;
  }

  synchronized void add(String caseName, FuzzHarness.Result result) {
    counts.merge(result.outcome().toString(), 1, Integer::sum);
    total++;
    if (result.allocatedBytes() > maxAllocated) {
      maxAllocated = result.allocatedBytes();
      maxAllocatedCase = caseName;
    }
  }

  synchronized int total() {
    return total;
  }

  /** The table: one line per outcome, then the total and the largest allocation of one record. */
  synchronized String table() {
    StringBuilder s = new StringBuilder("\n=== ").append(title).append(" ===\n");
    counts.forEach((outcome, n) -> s.append(String.format("  %-40s %6d%n", outcome, n)));
    s.append(String.format("  %-40s %6d%n", "total records", total));
    s.append(String.format("  largest allocation by one record: %.1f MiB (%s)%n", maxAllocated / 1048576.0,
        maxAllocatedCase));
    return s.toString();
  }
}
