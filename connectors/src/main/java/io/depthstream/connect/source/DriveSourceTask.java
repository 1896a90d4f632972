package io.depthstream.connect.source;

import io.depthstream.connect.formats.BadFileException;
import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.proto.kafka.WallClock;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a drive's captures in order at the configured rate, one record per frame: key = sensor id (String),
 * value = serialized {@code DepthFrame} / {@code FocalStack} bytes, timestamp = capture time in ms.
 *
 * <p><b>Offsets.</b> The source partition is {@code {sensor, input.dir}}; the offset of a capture is
 * {@code {item, index, sequence}}. After a restart the task continues after the last committed capture with the
 * next sequence number. When a capture becomes several records (focal-stack chunks, an RGB image), only the last
 * carries the capture's offset, so a crash halfway re-sends the whole capture instead of losing its tail.
 *
 * <p><b>Bad files.</b> Kafka Connect 4.x has no errant-record reporter for source tasks (it is sink-only, and
 * {@code errors.deadletterqueue.*} applies to sinks), and Connect's {@code errors.tolerance} covers only
 * conversion, transformation and producer failures, after a record exists. A file that cannot be read is caught
 * here instead: it is logged at WARN and reported as a record on {@code dlq.topic} with no value and the
 * dead-letter headers of the whole project ({@code depthstream.error.reason}, {@code depthstream.error.message},
 * {@code depthstream.error.file}); its offset is committed like any capture, so it is not retried forever, and
 * the drive goes on. Setting Connect's {@code errors.tolerance=none} explicitly makes a bad file fail the task
 * instead (Connect then reports the task FAILED with the file and problem as its trace).
 *
 * <p><b>Decode-ahead.</b> For an {@link AheadReader} (RGB-D PNG) and {@code decode.threads > 0}, a small pool
 * of the task's own threads reads and decodes the next {@code 2 x decode.threads} captures while this thread
 * publishes. Results are taken strictly in drive order from a FIFO of futures, and sequence numbers, capture
 * times and offsets are still assigned here, at publication, so records and offsets are exactly those of
 * inline decoding; a bad file's exception travels through its future and is reported in its place.
 */
public abstract class DriveSourceTask extends SourceTask {
  private static final Logger LOG = LoggerFactory.getLogger(DriveSourceTask.class);
  /** Header naming the bad file in a dead-letter report. */
  public static final String ERROR_FILE_HEADER = "depthstream.error.file";
  /** How long poll() waits when the drive is over, so an idle task does not spin. */
  private static final long IDLE_MS = 200;

  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private DriveConfig config;
  private DriveReader reader;
  private List<DriveItem> items;
  private Map<String, Object> partition;
  private int next;
  private long sequence;
  private long periodNanos;
  private long nextDueNanos;
  private long emittedFrames;
  private long badFiles;
  /** Decode-ahead state: null pool = decode inline. */
  private ExecutorService decodePool;
  private AheadReader<Object> ahead;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private int lookahead;
  private int scheduled;

  /** A capture being decoded ahead: its drive index and the future of its decoded form. */
  private record Pending(int index, Future<Object> decoded) {}

  protected DriveSourceTask() {
    this(Clock.systemUTC());
  }

  protected DriveSourceTask(Clock clock) {
    this.clock = clock;
  }

  /** Parses this connector kind's configuration. */
  protected abstract DriveConfig newConfig(Map<String, String> props);

  /**
   * Parses {@code props} as {@link #start} would, without reading any file: for a runner to refuse a bad setting
   * before it connects to Kafka.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the key of a missing or bad setting
   */
  public void checkConfig(Map<String, String> props) {
    newConfig(props);
  }

  /** Builds the reader for a checked configuration. */
  protected abstract DriveReader newReader(DriveConfig config);

  /** The sensor kind stamped into every FrameId. */
  protected abstract SensorKind kind();

  @Override
  public String version() {
    return DriveSourceConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = newConfig(props);
    reader = newReader(config);
    items = reader.items();
    if (config.captureTimeFromFiles()) {
      for (DriveItem item : items) {
        if (item.timeNs() == DriveItem.NO_TIME) {
          throw new ConnectException(DriveConfig.CAPTURE_TIME + "=file, but " + item.path()
              + " has no recorded capture time (drive lists or timestamps.txt)");
        }
      }
    }
    partition = sourcePartition(config.sensorId(), config.inputDir().toString());
    next = 0;
    sequence = 0;
    OffsetStorageReader offsets = context == null ? null : context.offsetStorageReader();
    Map<String, Object> last = offsets == null ? null
        : storedOffset(offsets, config.sensorId(), config.inputDir().toString());
    if (last != null) {
      resumeAfter(last);
    }
    startDecodeAhead();
    double rate = config.frameRateHz();
    periodNanos = rate > 0 ? Math.round(1e9 / rate) : 0;
    nextDueNanos = System.nanoTime();
    LOG.info("{}: {} captures in {}, starting at #{} (sequence {}), {} Hz", config.sensorId(), items.size(),
        config.inputDir(), next, sequence, rate > 0 ? rate : "max");
  }

  @SuppressWarnings("unchecked")
  private void startDecodeAhead() {
    int threads = config.decodeThreads();
    if (!(reader instanceof AheadReader<?>) || threads == 0) {
      return;
    }
    ahead = (AheadReader<Object>) reader;
    lookahead = 2 * threads;
    scheduled = next;
    AtomicInteger n = new AtomicInteger();
    decodePool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, config.sensorId() + "-decode-" + n.incrementAndGet());
      t.setDaemon(true); // never keeps a worker or runner JVM alive
      return t;
    });
  }

  /** Submits captures in drive order (wrapping when looping) until {@code lookahead} are in flight. */
  private void fillDecodeAhead() {
    while (pending.size() < lookahead && stopped.getCount() > 0) {
      if (scheduled >= items.size()) {
        if (!config.loop() || items.isEmpty()) {
          return;
        }
        scheduled = 0;
      }
      DriveItem item = items.get(scheduled);
      pending.add(new Pending(scheduled, decodePool.submit(() -> ahead.prepare(item))));
      scheduled++;
    }
  }

  /** The decoded capture {@code index}, which must be the oldest in flight; its failure is rethrown as is. */
  private Object takeDecoded(int index) throws InterruptedException {
    fillDecodeAhead();
    Pending p = pending.poll();
    if (p == null || p.index() != index) {
      throw new IllegalStateException("decode-ahead out of order: expected capture #" + index + ", queue has "
          + (p == null ? "nothing" : "#" + p.index()));
    }
    try {
      return p.decoded().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The source partition {@code {sensor, input.dir}}, always in this order. Connect finds a stored offset by the
   * serialized bytes of its partition (the JSON converter writes a map in iteration order), and {@code Map.of}
   * iterates in an order salted per JVM: a worker started again looked, about every second time, under other
   * bytes, found no offset and replayed the whole drive (ConnectWorkerKillIT, RELIABILITY.md).
   */
  static Map<String, Object> sourcePartition(String sensor, String inputDir) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sensor", sensor);
    p.put("input.dir", inputDir);
    return Collections.unmodifiableMap(p);
  }

  /**
   * The stored offset of a drive: under the fixed order of {@link #sourcePartition}, else under the reverse order,
   * which workers before that fix wrote about half of the time.
   */
  private static Map<String, Object> storedOffset(OffsetStorageReader offsets, String sensor, String inputDir) {
    Map<String, Object> found = offsets.offset(sourcePartition(sensor, inputDir));
    if (found != null) {
      return found;
    }
    Map<String, Object> reversed = new LinkedHashMap<>();
    reversed.put("input.dir", inputDir);
    reversed.put("sensor", sensor);
    return offsets.offset(reversed);
  }

  private void resumeAfter(Map<String, Object> last) {
    String name = String.valueOf(last.get("item"));
    long index = ((Number) last.getOrDefault("index", -1L)).longValue();
    long seq = ((Number) last.getOrDefault("sequence", -1L)).longValue();
    int at = index >= 0 && index < items.size() && items.get((int) index).name().equals(name) ? (int) index : -1;
    if (at < 0) {
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).name().equals(name)) {
          at = i;
          break;
        }
      }
    }
    if (at < 0) {
      LOG.warn("{}: last committed capture {} (#{}) is no longer in the drive; resuming by index", config.sensorId(),
          name, index);
      at = (int) Math.min(index, items.size() - 1);
    }
    next = at + 1;
    sequence = seq + 1;
    if (next >= items.size() && config.loop()) {
      next = 0;
    }
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (items.isEmpty() || (next >= items.size() && !config.loop())) {
      stopped.await(IDLE_MS, TimeUnit.MILLISECONDS); // drive finished: idle until stopped
      return null;
    }
    if (decodePool != null) {
      fillDecodeAhead(); // decode the next captures while waiting for this one's turn
    }
    int batch = 1;
    if (periodNanos > 0) {
      long wait = nextDueNanos - System.nanoTime();
      if (wait > 0 && stopped.await(wait, TimeUnit.NANOSECONDS)) {
        return null;
      }
      // Keep a steady rate without bursting to catch up after a stall longer than one period.
      nextDueNanos = Math.max(nextDueNanos + periodNanos, System.nanoTime() - periodNanos);
    } else {
      batch = config.pollMaxFrames();
    }
    List<SourceRecord> out = new ArrayList<>(batch);
    for (int b = 0; b < batch && stopped.getCount() > 0; b++) {
      if (next >= items.size()) {
        if (!config.loop()) {
          break;
        }
        next = 0;
      }
      readOne(items.get(next), next, out);
      next++;
    }
    return out.isEmpty() ? null : out;
  }

  private void readOne(DriveItem item, int index, List<SourceRecord> out) throws InterruptedException {
    long seq = sequence++;
    long captureNs = config.captureTimeFromFiles() ? item.timeNs() : nowNanos();
    long timestampMs = Math.floorDiv(captureNs, 1_000_000L);
    Map<String, Object> offset = Map.of("item", item.name(), "index", (long) index, "sequence", seq);
    FrameId id = FrameId.newBuilder().setSensorId(config.sensorId()).setKind(kind()).setSequence(seq)
        .setCaptureTimeNs(captureNs).build();
    List<Emission> emissions;
    try {
      emissions = decodePool == null ? reader.read(item, id) : ahead.finish(item, id, takeDecoded(index));
    } catch (BadFileException e) {
      report(item, offset, timestampMs, e.reason().name(), e.getMessage(), e, out);
      return;
    } catch (RuntimeException e) {
      // Anything else a reader throws is still about this one file: report it, keep the drive going.
      report(item, offset, timestampMs, DeadLetterReason.CORRUPT_FILE.name(), item.path() + ": " + e, e,
          out);
      return;
    }
    Map<String, Object> previous = index > 0
        ? Map.of("item", items.get(index - 1).name(), "index", (long) index - 1, "sequence", seq - 1)
        : null;
    for (int i = 0; i < emissions.size(); i++) {
      Emission e = emissions.get(i);
      boolean last = i == emissions.size() - 1;
      ConnectHeaders headers = new ConnectHeaders();
      e.headers().forEach(headers::addString);
      // Only the last record of a capture carries its offset (see the class comment); earlier ones repeat the
      // previous capture's offset, or none at the very start.
      Map<String, ?> off = last ? offset : previous;
      out.add(new SourceRecord(partition, off, e.topic(), null, Schema.STRING_SCHEMA, config.sensorId(),
          Schema.BYTES_SCHEMA, e.value(), timestampMs, headers));
    }
    emittedFrames++;
  }

  private void report(DriveItem item, Map<String, Object> offset, long timestampMs, String reason, String message,
      Exception e, List<SourceRecord> out) {
    badFiles++;
    if (config.failOnBadFile()) {
      throw new ConnectException("bad file in drive of sensor " + config.sensorId() + " (errors.tolerance=none): "
          + message, e);
    }
    LOG.warn("{}: skipping bad file ({}): {}", config.sensorId(), reason, message);
    if (config.dlqTopic().isBlank()) {
      return;
    }
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(Wire.ERROR_REASON_HEADER, reason);
    headers.addString(Wire.ERROR_MESSAGE_HEADER, message);
    headers.addString(ERROR_FILE_HEADER, item.path().toString());
    headers.addString(Wire.ERROR_TOPIC_HEADER, config.topic());
    out.add(new SourceRecord(partition, offset, config.dlqTopic(), null, Schema.STRING_SCHEMA, config.sensorId(),
        Schema.OPTIONAL_BYTES_SCHEMA, null, timestampMs, headers));
  }

  private long nowNanos() {
    return WallClock.nanos(clock);
  }

  /** Whether a non-looping drive has published every capture (the task then idles). */
  public boolean finished() {
    return !config.loop() && next >= items.size();
  }

  /** Frames emitted so far (bad files excluded). */
  public long emittedFrames() {
    return emittedFrames;
  }

  /** Bad files reported so far. */
  public long badFiles() {
    return badFiles;
  }

  /** The drive's captures, after start. */
  public List<DriveItem> items() {
    return items;
  }

  @Override
  public void stop() {
    stopped.countDown();
    if (decodePool != null) {
      // shutdown, not shutdownNow: a poll() may be waiting on a queued decode, which must still complete.
      decodePool.shutdown();
    }
  }

}
