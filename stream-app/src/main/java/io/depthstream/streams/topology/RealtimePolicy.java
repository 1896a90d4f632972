package io.depthstream.streams.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The real-time policy of one processor: which records to process now, which to hold, and which to drop.
 *
 * <p>A robot wants the newest depth of every sensor, not a backlog, and never silence. So, before anything is decoded
 * (the record timestamp is the capture time):
 *
 * <ul>
 *   <li>a record whose age is within the budget is processed now, and any older held record of its sensor is dropped,
 *       unless another sensor of this task that has waited longer for an output has a frame waiting: then it yields
 *       (is held) so that sensor's next fresh frame gets the turn. Without this, sensors interleaved on one
 *       partition near the budget edge always lost to the one whose frame came first;
 *   <li>an older one is held as its sensor's newest frame, replacing (dropping) an earlier held one;
 *   <li>a held record is served when no newer record of its sensor has arrived for one full check interval
 *       ({@link #checkInterval}): it is then the newest there is, so a sensor whose every frame arrives late (a slow
 *       method, a lagging sensor clock) still gets output, while a backlog supersedes its own frames in microseconds
 *       and only its newest is processed.
 * </ul>
 *
 * Dropped records are reported to the caller, which counts them as skipped. A budget of 0 turns the policy off:
 * everything is processed in order. Not thread-safe: one per stream task.
 */
final class RealtimePolicy {
  /** What to do with a record now. */
  enum Admission {
    PROCESS,
    HOLD,
    FUTURE
  }

  /** A record held as its sensor's newest, with where it came from (for dead letters served later). */
  record Held(Record<String, byte[]> record, RecordSource source, long generation) {}

  private final long budgetNanos;
  private final long futureToleranceNanos;
  private final Map<String, Held> held = new HashMap<>();
  private final Map<String, Turns> turns = new HashMap<>();
  private long generation;

  /** When a sensor's newest record arrived and when it was last served (wall clock, ns). */
  private static final class Turns {
    long lastArrival;
    long lastServed = Long.MIN_VALUE;
    boolean waiting;
  }

  /**
   * Most sensors whose turns are tracked, and whose frames are held, per task; beyond it new sensors are admitted by
   * age alone and their stale frames dropped.
   */
  private static final int MAX_TRACKED_SENSORS = 1024;

  /**
   * @param budgetNanos largest age in nanoseconds at which a frame is processed at once; 0 = no policy
   * @param futureToleranceNanos how far in the future a capture time may lie; negative = unchecked
   */
  RealtimePolicy(long budgetNanos, long futureToleranceNanos) {
    this.budgetNanos = budgetNanos;
    this.futureToleranceNanos = futureToleranceNanos;
  }

  boolean enabled() {
    return budgetNanos > 0;
  }

  /** How often held frames are checked: a fifth of the budget, between 5 and 50 ms. */
  Duration checkInterval() {
    long ms = Math.max(5, Math.min(50, budgetNanos / 5_000_000L));
    return Duration.ofMillis(ms);
  }

  /**
   * The admission of a record of sensor {@code key} captured at {@code captureNanos}, at wall-clock time
   * {@code nowNanos}. A PROCESS answer counts as the sensor's turn.
   */
  Admission admit(String key, long captureNanos, long nowNanos) {
    if (futureToleranceNanos >= 0 && captureNanos - nowNanos > futureToleranceNanos) {
      return Admission.FUTURE;
    }
    if (!enabled()) {
      return Admission.PROCESS;
    }
    Turns t = turns(nullSafe(key));
    if (t != null) {
      t.lastArrival = nowNanos;
    }
    if (nowNanos - captureNanos > budgetNanos || (t != null && anotherWaitedLonger(t, nowNanos))) {
      if (t != null) {
        t.waiting = true;
      }
      return Admission.HOLD;
    }
    if (t != null) {
      t.lastServed = nowNanos;
      t.waiting = false;
    }
    return Admission.PROCESS;
  }

  /** Whether another sensor, still sending (a frame within the budget), waits and was served before {@code t}. */
  private boolean anotherWaitedLonger(Turns t, long nowNanos) {
    for (Turns other : turns.values()) {
      if (other != t && other.waiting && other.lastServed < t.lastServed
          && nowNanos - other.lastArrival <= budgetNanos) {
        return true;
      }
    }
    return false;
  }

  private Turns turns(String key) {
    Turns t = turns.get(key);
    if (t == null && turns.size() < MAX_TRACKED_SENSORS) {
      t = new Turns();
      turns.put(key, t);
    }
    return t;
  }

  /** A held record is being served: it is its sensor's turn. */
  private void served(String key, long nowNanos) {
    Turns t = turns.get(nullSafe(key));
    if (t != null) {
      t.lastServed = nowNanos;
      t.waiting = false;
    }
  }

  /**
   * Holds {@code record} as the newest of sensor {@code key}.
   *
   * @return the record it replaces (now dropped), or null
   */
  Held hold(String key, Record<String, byte[]> record, RecordSource source) {
    Held h = new Held(record, source, generation);
    if (held.size() >= MAX_TRACKED_SENSORS && !held.containsKey(nullSafe(key))) {
      return h; // a flood of sensor ids: held values are whole frames, so memory stays bounded and this one is dropped
    }
    return held.put(nullSafe(key), h);
  }

  /**
   * A record of sensor {@code key} is processed now: its held older record, if any, is dropped.
   *
   * @return the dropped record, or null
   */
  Held supersede(String key) {
    return held.isEmpty() ? null : held.remove(nullSafe(key));
  }

  /** The held records no newer record has replaced since the previous check: removed here, for serving. */
  List<Held> due(long nowNanos) {
    List<Held> due = new ArrayList<>();
    for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, Held> e = it.next();
      if (e.getValue().generation() < generation) {
        due.add(e.getValue());
        served(e.getKey(), nowNanos);
        it.remove();
      }
    }
    generation++;
    return due;
  }

  /** Everything still held, removed (the task is closing: these are dropped). */
  List<Held> drain() {
    List<Held> all = new ArrayList<>(held.values());
    held.clear();
    return all;
  }

  private static String nullSafe(String key) {
    return key == null ? "" : key;
  }
}
