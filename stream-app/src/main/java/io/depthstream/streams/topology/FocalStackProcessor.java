package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.focus.FocalStackEstimator;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.codec.DenseDepthEncoder;
import io.depthstream.streams.codec.FocalStackDecoder;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.streams.codec.InvalidFrameException.Reason;
import io.depthstream.streams.codec.WallClock;
import io.depthstream.streams.guidance.GuidanceComputer;
import io.depthstream.streams.metrics.NodeMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and validates one {@link FocalStack}, estimates its depth with the configured focal-stack estimator (the
 * classical depth from focus or a model), then emits the dense depth and the navigation guidance, both
 * timestamped with the stack's capture time, exactly as
 * {@link ReconstructProcessor} does for depth frames (same encoder, guidance, real-time skip policy and
 * dead-letter route). The output is the stack's size; {@code method} is the configured name and
 * {@code model_version} the model's hash ("" for the classical method).
 *
 * <p>Chunked stacks ({@code chunk_count > 1}) are dead-lettered with {@code CHUNKED_STACK_UNSUPPORTED}: they are
 * not joined here. One instance per stream task: the estimator is opened on the first stack and reused, the decoder
 * and output buffers are reused while the stack size stays the same.
 */
final class FocalStackProcessor implements Processor<String, byte[], String, Routed> {
  private static final Logger LOG = LoggerFactory.getLogger(FocalStackProcessor.class);

  private final String model;
  private final long budgetNanos;
  private final FocalStackFactory factory;
  private final FocalStackDecoder decoder;
  private final NodeMetrics metrics;
  private final DenseOutput out;
  private ProcessorContext<String, Routed> context;
  private FocalStackEstimator runner;

  /** @param budgetNanos real-time budget in nanoseconds, 0 = none */
  FocalStackProcessor(String model, long budgetNanos, FocalStackFactory factory, FocalStackDecoder decoder,
      DenseDepthEncoder encoder, GuidanceComputer guidance, NodeMetrics metrics) {
    this.model = model;
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
    FocalStackDecoder.Decoded stack;
    try {
      stack = decoder.decode(record.key(), record.value());
    } catch (InvalidFrameException e) {
      DeadLetters.forward(context, metrics, record, record.key(), e);
      return;
    }
    FocalStack header = stack.header();
    // The connector always sets the kind; an unset one is read as a focal stack, the only kind on this topic.
    FrameId id = header.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_FOCAL_STACK).build();
    String sensor = id.getSensorId();
    metrics.frameIn(sensor, ReconstructProcessor.kindName(SensorKind.SENSOR_KIND_FOCAL_STACK));
    if (out.skipStale(sensor, id.getCaptureTimeNs(), decodeStartWall, budgetNanos)) {
      return;
    }
    long t1 = System.nanoTime();
    DepthMap dense;
    try {
      if (runner == null) {
        runner = factory.open(model);
        if (runner.fellBackToCpu()) {
          metrics.cpuFallback(model);
        }
      }
      dense = out.buffer(stack.width(), stack.height());
      runner.estimate(stack.stackRgb(), stack.focusMetres(), stack.slices(), stack.height(), stack.width(), dense);
    } catch (RuntimeException e) {
      LOG.warn("focal-stack depth of {} stack {} failed", sensor, id.getSequence(), e);
      DeadLetters.forward(context, metrics, record, sensor, new InvalidFrameException(Reason.RECONSTRUCTION_FAILED,
          model + " failed: " + e, e));
      return;
    }
    long t2 = System.nanoTime();
    out.emit(context, id, header.getIntrinsics(), dense, out.supportOfEstimate(dense), model, runner.version(),
        decodeStartWall, t0, t1, t2);
  }


  @Override
  public void close() {
    if (runner != null) {
      runner.close();
      runner = null;
    }
  }
}
