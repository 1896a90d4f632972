package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.inference.OnnxReconstructor;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.codec.DenseDepthEncoder;
import io.depthstream.streams.codec.FrameDecoder;
import io.depthstream.streams.codec.Intrinsics;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.streams.codec.InvalidFrameException.Reason;
import io.depthstream.streams.codec.WallClock;
import io.depthstream.streams.guidance.GuidanceComputer;
import io.depthstream.streams.metrics.NodeMetrics;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes, validates and reconstructs one raw frame, then emits its dense depth and its navigation guidance,
 * both timestamped with the frame's capture time. A valid frame that is already older than its sensor kind's
 * real-time budget when it arrives is skipped and counted instead (see {@code depthstream.realtime.budget.ms}).
 * A frame that fails anywhere is emitted to the dead-letter route
 * with its original bytes and the reason in headers; nothing is dropped and the stream keeps running.
 *
 * <p>One instance per stream task: decoder buffers, output buffers and reconstructors are reused across frames.
 */
final class ReconstructProcessor implements Processor<String, byte[], String, Routed> {
  private static final Logger LOG = LoggerFactory.getLogger(ReconstructProcessor.class);

  private final Map<SensorKind, String> methods;
  private final Map<SensorKind, Long> budgetNanos;
  private final ReconstructorFactory factory;
  private final FrameDecoder decoder;
  private final NodeMetrics metrics;
  private final DenseOutput out;
  private final Map<SensorKind, DepthReconstructor> reconstructors = new EnumMap<>(SensorKind.class);
  private ProcessorContext<String, Routed> context;

  ReconstructProcessor(Map<SensorKind, String> methods, Map<SensorKind, Long> budgetNanos,
      ReconstructorFactory factory, FrameDecoder decoder,
      DenseDepthEncoder encoder, GuidanceComputer guidance, NodeMetrics metrics) {
    this.methods = methods;
    this.budgetNanos = budgetNanos;
    this.factory = factory;
    this.decoder = decoder;
    this.metrics = metrics;
    this.out = new DenseOutput(encoder, guidance, metrics);
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    long decodeStartWall = WallClock.nanos();
    long t0 = System.nanoTime();
    FrameDecoder.Decoded frame;
    try {
      frame = decoder.decode(record.key(), record.value());
    } catch (InvalidFrameException e) {
      deadLetter(record, record.key(), e);
      return;
    }
    DepthFrame header = frame.header();
    String sensor = header.getId().getSensorId();
    metrics.frameIn(sensor, kindName(header.getId().getKind()));
    if (out.skipStale(sensor, header.getId().getCaptureTimeNs(), decodeStartWall,
        budgetNanos.getOrDefault(header.getId().getKind(), 0L))) {
      return;
    }
    long t1 = System.nanoTime();
    String method = methods.get(header.getId().getKind());
    if (method == null) {
      deadLetter(record, sensor, new InvalidFrameException(Reason.UNKNOWN_ENCODING,
          "no reconstruction method is configured for sensor kind " + header.getId().getKind()));
      return;
    }
    DepthReconstructor reconstructor;
    DepthMap dense;
    try {
      reconstructor = reconstructors.computeIfAbsent(header.getId().getKind(), k -> created(method));
      int f = reconstructor.scaleFactor();
      dense = out.buffer(frame.depth().width() * f, frame.depth().height() * f);
      reconstructor.reconstruct(frame.depth(), dense);
    } catch (RuntimeException e) {
      LOG.warn("reconstruction of {} frame {} failed", sensor, header.getId().getSequence(), e);
      deadLetter(record, sensor, new InvalidFrameException(Reason.RECONSTRUCTION_FAILED,
          method + " failed: " + e, e));
      return;
    }
    long t2 = System.nanoTime();
    out.emit(context, header.getId(), Intrinsics.scaled(header.getIntrinsics(), reconstructor.scaleFactor()), dense,
        out.supportOf(frame.depth(), reconstructor.scaleFactor()), method, reconstructor.modelVersion(),
        decodeStartWall, t0, t1, t2);
  }

  private DepthReconstructor created(String method) {
    DepthReconstructor r = factory.create(method);
    if (r instanceof OnnxReconstructor onnx && onnx.fellBackToCpu()) {
      metrics.cpuFallback(method);
    }
    return r;
  }


  private void deadLetter(Record<String, byte[]> record, String sensor, InvalidFrameException e) {
    DeadLetters.forward(context, metrics, record, sensor, e);
  }

  static String kindName(SensorKind kind) {
    return kind.name().substring("SENSOR_KIND_".length()).toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    reconstructors.values().forEach(DepthReconstructor::close);
    reconstructors.clear();
  }
}
