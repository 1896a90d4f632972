package io.depthstream.streams.topology;

import io.depthstream.proto.kafka.SensorKinds;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.codec.DecodedFrame;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.streams.metrics.FrameTimings;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.metrics.NodeMetrics.SensorMeters;
import io.depthstream.streams.topology.FramePath.Estimate;
import io.depthstream.streams.topology.RealtimePolicy.Held;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame path of one raw topic, the same for every kind of input: admit by the real-time policy (from the record
 * timestamp, before anything is decoded) → decode and validate → estimate → emit dense depth and guidance. Every
 * record ends in exactly one of: published (dense + guidance), dead-lettered with its reason, or skipped (superseded
 * by a newer frame of its sensor while stale), and its sensor's meters count it as such. Nothing escapes: a bad
 * record never stops the stream.
 *
 * <p>The topic decides the kind and so the method ({@link FramePath}); one instance per stream task.
 */
final class FrameProcessor<I extends DecodedFrame> implements Processor<String, byte[], String, Routed> {
  private static final Logger LOG = LoggerFactory.getLogger(FrameProcessor.class);

  private final String kind;
  private final FramePath<I> path;
  private final RealtimePolicy policy;
  private final DenseOutput out;
  private final DeadLetters deadLetters;
  private final NodeMetrics metrics;
  private final FrameTimings timings = new FrameTimings();
  private final FailureLog failures;
  private final java.util.Map<String, SensorMeters> metersBySensor = new java.util.HashMap<>();
  private final LongSupplier wallClock;
  private ProcessorContext<String, Routed> context;
  private boolean methodOpened;

  FrameProcessor(SensorKind kind, String topic, FramePath<I> path, RealtimePolicy policy, DenseOutput out,
      DeadLetters deadLetters, NodeMetrics metrics, LongSupplier wallClock) {
    this.wallClock = wallClock;
    this.kind = SensorKinds.shortName(kind);
    this.path = path;
    this.policy = policy;
    this.out = out;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.failures = new FailureLog(LOG, "method " + path.method() + " on " + topic);
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    if (policy.enabled()) {
      context.schedule(policy.checkInterval(), PunctuationType.WALL_CLOCK_TIME, t -> serveDue());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    SensorMeters meters = meters(record.key());
    meters.in();
    long now = wallClock.getAsLong();
    RecordSource source = RecordSource.of(context);
    // Record timestamps are milliseconds; one past the year 2262 would overflow nanoseconds: it is in the future.
    long captureNanos = captureNanos(record);
    switch (policy.admit(record.key(), captureNanos, now)) {
      case FUTURE -> deadLetters.forward(context, record, source, meters, new InvalidFrameException(
          DeadLetterReason.FUTURE_CAPTURE_TIME, "capture time (record timestamp) " + record.timestamp() + " ms lies "
              + (captureNanos - now) / 1_000_000L + " ms in the future of this node's clock; check the sensor's "
              + "clock (tolerance: depthstream.realtime.future.tolerance.ms)"));
      case HOLD -> dropped(policy.hold(record.key(), record, source));
      case PROCESS -> {
        dropped(policy.supersede(record.key()));
        run(record, source, meters, now);
      }
    }
  }

  /** A record's capture time in nanoseconds: its timestamp, which past the year 2262 counts as the far future. */
  private static long captureNanos(Record<String, byte[]> record) {
    return record.timestamp() > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : record.timestamp() * 1_000_000L;
  }

  /** Serves the held frames that nothing newer has replaced: each is the newest of its sensor. */
  private void serveDue() {
    for (Held h : policy.due(wallClock.getAsLong())) {
      run(h.record(), h.source(), meters(h.record().key()), wallClock.getAsLong());
    }
  }

  private void dropped(Held h) {
    if (h != null) {
      meters(h.record().key()).skipped();
    }
  }

  private void run(Record<String, byte[]> record, RecordSource source, SensorMeters meters, long nowNanos) {
    timings.arrived(nowNanos);
    I input;
    try {
      input = path.decode(record.key(), record.value());
    } catch (InvalidFrameException e) {
      deadLetters.forward(context, record, source, meters, e);
      return;
    }
    timings.reconstructing();
    Estimate estimate;
    try {
      openMethod();
      estimate = path.estimate(input, nowNanos - captureNanos(record));
    } catch (RuntimeException e) {
      failures.failed(input.id().getSensorId() + " #" + input.id().getSequence(), e);
      deadLetters.forward(context, record, source, meters, new InvalidFrameException(
          DeadLetterReason.RECONSTRUCTION_FAILED, path.method() + " failed: " + e, e));
      return;
    }
    failures.succeeded();
    if (path.lastWasOverloaded()) {
      meters.overloaded();
    }
    try {
      out.emit(context, record, source, input.id(), estimate, timings, meters);
    } catch (RuntimeException e) {
      // Guidance and encoding run before anything is forwarded: a failure there still ends in one dead letter.
      failures.failed(input.id().getSensorId() + " #" + input.id().getSequence(), e);
      deadLetters.forward(context, record, source, meters, new InvalidFrameException(
          DeadLetterReason.RECONSTRUCTION_FAILED, "guidance or encoding of " + path.method() + "'s output failed: " + e,
          e));
    }
  }

  private void openMethod() {
    if (!methodOpened) {
      methodOpened = true;
      if (path.fellBackToCpu()) {
        metrics.cpuFallback(path.method());
      }
    }
  }

  /** The sensor's meters, looked up in the registry on its first frame only. */
  private SensorMeters meters(String sensor) {
    SensorMeters m = metersBySensor.get(sensor);
    if (m == null) {
      m = metrics.sensor(sensor, kind, path.method());
      if (metersBySensor.size() < NodeMetrics.MAX_SENSORS) {
        metersBySensor.put(sensor, m);
      }
    }
    return m;
  }

  @Override
  public void close() {
    // Held frames die with the task (a rebalance or a shutdown): they were stale, so they count as skipped.
    policy.drain().forEach(this::dropped);
    path.close();
  }
}
