package io.depthstream.streams.topology;

import io.depthstream.streams.metrics.NodeMetrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the producer cannot write one of the node's records because of the record itself (too large for
 * the broker's topic limit, invalid): the record is counted once in {@code depthstream.production.errors{topic,error}}, logged with its
 * source topic, partition and offset, and the stream goes on. Kafka's default fails the stream thread instead; the
 * replaced thread then re-reads the same input and fails again, forever, and every sensor on that topic goes dark.
 * Retriable errors are retried. The processors check sizes before anything is produced, so this is the safety net
 * for limits the node cannot see (a topic created elsewhere with a smaller max.message.bytes).
 *
 * <p>No dead letter is returned from here: Kafka Streams 4.3 sends such records from the producer's callback, and a
 * dead-letter topic whose metadata that producer had not fetched yet blocked its network thread for max.block.ms
 * (60 s with every other send of the task), which is worse than the loss it reports.
 *
 * <p>Kafka Streams creates it from the configuration: {@link #METRICS_CONFIG} may carry the node's
 * {@link NodeMetrics} object.
 */
public final class ProductionErrorHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProductionErrorHandler.class);

  /** Streams property: the node's {@link NodeMetrics} instance (an object, not a string). */
  public static final String METRICS_CONFIG = "depthstream.internal.node.metrics";

  private static final AtomicLong FAILURES = new AtomicLong();

  private NodeMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    Object m = configs.get(METRICS_CONFIG);
    metrics = m instanceof NodeMetrics nm ? nm : null;
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception e) {
    if (e instanceof RetriableException) {
      return Response.retry();
    }
    if (!isAboutThisRecord(e)) {
      // Authorization, authentication, fencing: the node is misconfigured or replaced, not the record bad. Skipping
      // would silently drop every record; failing lets DepthNode's uncaught-exception handler stop it loudly.
      return Response.fail();
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
    return Response.resume();
  }

  /** Errors that concern one record (its size or content), so skipping it is right and the next one may pass. */
  static boolean isAboutThisRecord(Exception e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidRecordException;
  }
}
