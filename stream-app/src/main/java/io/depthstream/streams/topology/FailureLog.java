package io.depthstream.streams.topology;

import org.slf4j.Logger;

/**
 * Logs a method that keeps failing once per burst, not with a stack trace per frame: the first failure with its
 * stack trace, then a line a minute with the count while it goes on, and one line when a frame succeeds again.
 * Not thread-safe: one per processor.
 */
final class FailureLog {
  private static final long REMIND_NANOS = 60_000_000_000L;

  private final Logger log;
  private final String what;
  private long failures;
  private long lastLogNanos;

  /** @param what the failing thing, for example "method fast_interp_x4 on depth.raw.lidar" */
  FailureLog(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  void failed(String frame, RuntimeException e) {
    long now = System.nanoTime();
    if (failures == 0) {
      log.warn("{} failed on {}; its frames are dead-lettered as RECONSTRUCTION_FAILED until it recovers", what,
          frame, e);
      lastLogNanos = now;
    } else if (now - lastLogNanos >= REMIND_NANOS) {
      log.warn("{} is still failing: {} frames in a row, the latest {}: {}", what, failures + 1, frame, e.toString());
      lastLogNanos = now;
    }
    failures++;
  }

  void succeeded() {
    if (failures > 0) {
      log.info("{} recovered after {} failed frames", what, failures);
      failures = 0;
    }
  }
}
