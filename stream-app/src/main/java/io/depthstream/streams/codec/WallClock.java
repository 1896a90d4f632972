package io.depthstream.streams.codec;

import java.time.Instant;

/** Wall-clock time in nanoseconds since the Unix epoch, the unit of capture and publish times on the wire. */
public final class WallClock {
  private WallClock() {}

  public static long nanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
