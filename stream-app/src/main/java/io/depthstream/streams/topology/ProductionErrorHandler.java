package io.depthstream.streams.topology;

import io.depthstream.proto.kafka.Wire;
import io.depthstream.streams.metrics.NodeMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the producer cannot write one of the node's records (too large for the broker's topic limit,
 * invalid, ...): the record is counted once in {@code depthstream.production.errors{topic,error}}, a headers-only
 * dead letter with reason {@code PRODUCTION_FAILED} and the source topic, partition and offset goes to the
 * dead-letter topic (unless the failed record was itself a dead letter), and the stream goes on. Kafka's default
 * fails the stream thread instead; the replaced thread then re-reads the same input and fails again, forever, and
 * every sensor on that topic goes dark. Retriable errors are retried.
 *
 * <p>Kafka Streams creates it from the configuration: {@link #DLQ_TOPIC_CONFIG} names the dead-letter topic and
 * {@link #METRICS_CONFIG} may carry the node's {@link NodeMetrics} object.
 */
public final class ProductionErrorHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProductionErrorHandler.class);

  /** Streams property: the dead-letter topic. */
  public static final String DLQ_TOPIC_CONFIG = "depthstream.internal.dlq.topic";

  /** Streams property: the node's {@link NodeMetrics} instance (an object, not a string). */
  public static final String METRICS_CONFIG = "depthstream.internal.node.metrics";

  /** The dead-letter reason of a record the producer could not write. */
  public static final String REASON = "PRODUCTION_FAILED";

  private static final AtomicLong FAILURES = new AtomicLong();

  private String dlqTopic;
  private NodeMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(DLQ_TOPIC_CONFIG);
    dlqTopic = topic == null ? null : topic.toString();
    Object m = configs.get(METRICS_CONFIG);
    metrics = m instanceof NodeMetrics nm ? nm : null;
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception e) {
    if (e instanceof RetriableException) {
      return Response.retry();
    }
    String error = e.getClass().getSimpleName();
    if (metrics != null) {
      metrics.productionError(record.topic(), error);
    }
    long n = FAILURES.incrementAndGet();
    // Logged in full the first times; then every 100th, so a misconfigured limit cannot flood the log.
    if (n <= 10 || n % 100 == 0) {
      LOG.warn("could not write a record to {} (source {}-{}@{}; {} so far): {}; counted in "
          + "depthstream_production_errors_total and skipped", record.topic(), context.topic(), context.partition(),
          context.offset(), n, e.toString());
    }
    if (dlqTopic == null || dlqTopic.equals(record.topic())) {
      return Response.resume();
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(Wire.ERROR_REASON_HEADER, utf8(REASON));
    headers.add(Wire.ERROR_MESSAGE_HEADER, utf8("could not write " + (record.value() == null ? 0
        : record.value().length) + " bytes to " + record.topic() + ": " + e));
    headers.add(Wire.ERROR_TOPIC_HEADER, utf8(context.topic()));
    headers.add(Wire.ERROR_PARTITION_HEADER, utf8(Integer.toString(context.partition())));
    headers.add(Wire.ERROR_OFFSET_HEADER, utf8(Long.toString(context.offset())));
    return Response.resume(List.of(new ProducerRecord<>(dlqTopic, null, record.timestamp(), record.key(), null,
        headers)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
