package io.depthstream.proto.kafka;

import java.time.Clock;
import java.time.Instant;

/**
 * Wall-clock time in nanoseconds since the Unix epoch, the unit of capture and publish times on the wire: the one
 * conversion every producer and consumer of frames uses.
 */
public final class WallClock {
  private WallClock() {}

  /** Now, from the system clock. */
  public static long nanos() {
    return nanos(Instant.now());
  }

  /** Now, from {@code clock} (tests and replays pass their own). */
  public static long nanos(Clock clock) {
    return nanos(clock.instant());
  }

  /** {@code instant} in nanoseconds since the epoch. */
  public static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
