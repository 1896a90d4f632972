package io.depthstream.streams.view;

import io.depthstream.depth.DepthMap;
import io.depthstream.proto.kafka.SensorKinds;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.NavigationGuidance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The live view's memory: the newest {@link Snapshot} of every sensor, which the web page at {@code /view}
 * ({@link ViewHandler}) shows.
 *
 * <p>The frame path offers every frame it publishes ({@link #offer}). Why this costs the frame path (almost) nothing:
 *
 * <ul>
 *   <li>nobody watching (no page request for {@value #VIEWER_TIMEOUT_SECONDS} s): one clock read and one volatile
 *       read per frame, nothing else;
 *   <li>a browser watching: per sensor at most {@link #rateHz()} snapshots a second, each a downscaled copy
 *       ({@link Preview}, at most {@value Preview#MAX_WIDTH}x{@value Preview#MAX_HEIGHT}) of the frame's input and
 *       dense depth plus references to its immutable guidance; the other frames cost a map lookup.
 * </ul>
 *
 * The frame path's buffers are reused from frame to frame, so references to them could not be kept: the copy is
 * what lets the HTTP thread read a snapshot while the stream thread writes the next frame. Thread-safe: stream
 * threads offer, the HTTP thread reads; a snapshot is immutable once published.
 */
public final class LiveView {
  /** Snapshots stop this many seconds after the last request of a page. */
  static final long VIEWER_TIMEOUT_SECONDS = 3;

  /** Most sensors shown; frames of further sensors are not snapshotted (sensor ids come from the input). */
  static final int MAX_SENSORS = 64;

  /** The view turned off: {@link #offer} returns at once. */
  public static final LiveView OFF = new LiveView(false, 1, System::nanoTime);

  private static final long VIEWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(VIEWER_TIMEOUT_SECONDS);

  private final boolean enabled;
  private final int rateHz;
  private final long intervalNanos;
  private final LongSupplier monotonicNanos;
  private final AtomicLong versions = new AtomicLong();
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  /** When a page last asked for something ({@link #monotonicNanos}); starts out of date: nobody watching. */
  private volatile long lastViewerNanos;

  /** One sensor's newest snapshot and when the next one is due. */
  private static final class Slot {
    volatile long nextDueNanos;
    volatile Snapshot latest;
  }

  private LiveView(boolean enabled, int rateHz, LongSupplier monotonicNanos) {
    if (rateHz < 1) {
      throw new IllegalArgumentException("live view rate must be >= 1 Hz, got " + rateHz);
    }
    this.enabled = enabled;
    this.rateHz = rateHz;
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / rateHz;
    this.monotonicNanos = monotonicNanos;
    this.lastViewerNanos = monotonicNanos.getAsLong() - VIEWER_TIMEOUT_NANOS - 1;
  }

  /**
   * A view that keeps at most {@code rateHz} snapshots a second per sensor while a page is open.
   *
   * @param monotonicNanos a monotonic clock in nanoseconds ({@link System#nanoTime} outside tests)
   * @throws IllegalArgumentException for a rate below 1 Hz
   */
  public static LiveView create(int rateHz, LongSupplier monotonicNanos) {
    return new LiveView(true, rateHz, monotonicNanos);
  }

  public boolean enabled() {
    return enabled;
  }

  /** Most snapshots a second per sensor, and the page's refresh rate. */
  public int rateHz() {
    return rateHz;
  }

  /** A page asked for something: frames are snapshotted for the next {@value #VIEWER_TIMEOUT_SECONDS} s. */
  void viewerActive() {
    lastViewerNanos = monotonicNanos.getAsLong();
  }

  /** Whether a page has asked for something within the last {@value #VIEWER_TIMEOUT_SECONDS} s. */
  public boolean watched() {
    return enabled && monotonicNanos.getAsLong() - lastViewerNanos <= VIEWER_TIMEOUT_NANOS;
  }

  /**
   * A frame was published. Snapshotted when a page is open and the sensor's last snapshot is at least 1/rate old;
   * otherwise ignored. Nothing of the arguments is kept: the maps are copied (downscaled), the guidance is immutable.
   *
   * @param id the frame's identity (sensor id, kind, sequence, capture time)
   * @param method the method that estimated {@code dense}
   * @param input the measured input depth, metres, 0 = none; null when the input has no depth (a focal stack)
   * @param dense the dense depth, metres, 0 = none
   * @param guidance the frame's laser scan and alert
   * @param latencyNanos capture time to hand-over to the producer
   */
  public void offer(FrameId id, String method, DepthMap input, DepthMap dense, NavigationGuidance guidance,
      long latencyNanos) {
    if (!enabled) {
      return;
    }
    long now = monotonicNanos.getAsLong();
    if (now - lastViewerNanos > VIEWER_TIMEOUT_NANOS) {
      return;
    }
    Slot slot = slot(id.getSensorId());
    if (slot == null || now - slot.nextDueNanos < 0) {
      return;
    }
    slot.nextDueNanos = now + intervalNanos;
    slot.latest = new Snapshot(versions.incrementAndGet(), id.getSensorId(), SensorKinds.shortName(id.getKind()),
        method, id.getSequence(), id.getCaptureTimeNs(), latencyNanos,
        input == null ? Preview.NONE : Preview.nearestOf(input), Preview.sampledOf(dense), dense.width(),
        dense.height(),
        guidance.getScan(), guidance.getAlert());
  }

  private Slot slot(String sensor) {
    Slot slot = slots.get(sensor);
    if (slot == null && slots.size() < MAX_SENSORS) {
      slot = slots.computeIfAbsent(sensor, s -> {
        Slot fresh = new Slot();
        fresh.nextDueNanos = monotonicNanos.getAsLong();
        return fresh;
      });
    }
    return slot;
  }

  /** The newest snapshot of every sensor that has one, by sensor id. */
  public List<Snapshot> snapshots() {
    List<Snapshot> out = new ArrayList<>();
    for (Slot slot : slots.values()) {
      Snapshot s = slot.latest;
      if (s != null) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparing(Snapshot::sensor));
    return out;
  }

  /** The newest snapshot of {@code sensor}, or null when it has none. */
  public Snapshot snapshot(String sensor) {
    Slot slot = slots.get(sensor);
    return slot == null ? null : slot.latest;
  }
}
