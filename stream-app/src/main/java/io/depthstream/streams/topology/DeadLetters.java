package io.depthstream.streams.topology;

import io.depthstream.proto.kafka.Wire;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.topology.Routed.Route;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dead-letter route shared by the processors: original bytes, reason and source in depthstream.error.* headers. */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private DeadLetters() {}

  static void forward(ProcessorContext<String, Routed> context, NodeMetrics metrics, Record<String, byte[]> record,
      String sensor, InvalidFrameException e) {
    Headers headers = record.headers();
    headers.add(Wire.ERROR_REASON_HEADER, utf8(e.reason().name()));
    headers.add(Wire.ERROR_MESSAGE_HEADER, utf8(e.getMessage()));
    context.recordMetadata().ifPresent(meta -> addSource(headers, meta));
    context.forward(record.withValue(new Routed(Route.DEAD_LETTER, record.value())).withHeaders(headers));
    String tag = sensor == null || sensor.isEmpty() ? "unknown" : sensor;
    metrics.deadLettered(tag, e.reason().name());
    LOG.debug("dead-lettered a record from {}: {} {}", tag, e.reason(), e.getMessage());
  }

  private static void addSource(Headers headers, RecordMetadata meta) {
    headers.add(Wire.ERROR_TOPIC_HEADER, utf8(meta.topic()));
    headers.add(Wire.ERROR_PARTITION_HEADER, utf8(Integer.toString(meta.partition())));
    headers.add(Wire.ERROR_OFFSET_HEADER, utf8(Long.toString(meta.offset())));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
