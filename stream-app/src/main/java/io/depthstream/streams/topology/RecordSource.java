package io.depthstream.streams.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;

/** Where a raw record came from: kept with held records, whose dead letters are written after the record's turn. */
record RecordSource(String topic, int partition, long offset) {
  static final RecordSource UNKNOWN = new RecordSource("", -1, -1L);

  /** The source of the record being processed, or {@link #UNKNOWN} (punctuation, tests without metadata). */
  static RecordSource of(ProcessorContext<?, ?> context) {
    return context.recordMetadata()
        .map(m -> new RecordSource(m.topic(), m.partition(), m.offset()))
        .orElse(UNKNOWN);
  }
}
