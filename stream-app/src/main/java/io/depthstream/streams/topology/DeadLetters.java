package io.depthstream.streams.topology;

import io.depthstream.proto.kafka.Wire;
import io.depthstream.streams.codec.InvalidFrameException;
import io.depthstream.streams.metrics.NodeMetrics.SensorMeters;
import io.depthstream.streams.topology.Routed.Route;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter route: the original bytes with the reason and the source in {@code depthstream.error.*} headers.
 * A value too large for the dead-letter topic's limit is cut to its first {@value #TRUNCATED_BYTES} bytes (enough to
 * read its header) and the original size is added as {@code depthstream.error.original.bytes}: a dead letter must
 * never be the record that cannot be written.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  /** Bytes of an oversized value that its dead letter keeps. */
  static final int TRUNCATED_BYTES = 64 * 1024;

  /** Longest error message header, characters. */
  private static final int MAX_MESSAGE_CHARS = 2_000;

  private final int maxValueBytes;

  /** @param maxValueBytes the largest value the dead-letter topic takes ({@link OutputLimits}) */
  DeadLetters(int maxValueBytes) {
    this.maxValueBytes = maxValueBytes;
  }

  void forward(ProcessorContext<String, Routed> context, Record<String, byte[]> record, RecordSource source,
      SensorMeters meters, InvalidFrameException e) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    byte[] value = record.value();
    if (value != null && value.length > maxValueBytes) {
      headers.add(Wire.ERROR_ORIGINAL_BYTES_HEADER, utf8(Integer.toString(value.length)));
      value = Arrays.copyOf(value, Math.min(TRUNCATED_BYTES, maxValueBytes));
    }
    String message = e.getMessage();
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
    headers.add(Wire.ERROR_REASON_HEADER, utf8(e.reason().name()));
    headers.add(Wire.ERROR_MESSAGE_HEADER, utf8(message));
    if (source != RecordSource.UNKNOWN) {
      headers.add(Wire.ERROR_TOPIC_HEADER, utf8(source.topic()));
      headers.add(Wire.ERROR_PARTITION_HEADER, utf8(Integer.toString(source.partition())));
      headers.add(Wire.ERROR_OFFSET_HEADER, utf8(Long.toString(source.offset())));
    }
    context.forward(new Record<>(record.key(), new Routed(Route.DEAD_LETTER, value), record.timestamp(), headers));
    meters.deadLettered(e.reason());
    LOG.debug("dead-lettered a record of {}: {} {}", record.key(), e.reason(), message);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
