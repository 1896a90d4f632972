package io.depthstream.streams.topology;

import io.depthstream.proto.kafka.Wire;
import io.depthstream.streams.topology.Routed.Route;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The context a {@link FrameProcessor} runs in during {@link PathWarmUp}: whatever the processor forwards is
 * counted by route and dropped, so the warm-up publishes nothing. It has no record metadata (dead letters of the
 * warm-up name no source), no state stores and no punctuation (a held frame is simply never served).
 */
final class WarmUpContext implements ProcessorContext<String, Routed> {
  private final Map<Route, Integer> forwarded = new EnumMap<>(Route.class);
  private String firstDeadLetter;

  /** Records forwarded to {@code route} so far. */
  int forwarded(Route route) {
    return forwarded.getOrDefault(route, 0);
  }

  /** The error message of the first dead letter, or null when there was none. */
  String firstDeadLetter() {
    return firstDeadLetter;
  }

  @Override
  public <K extends String, V extends Routed> void forward(Record<K, V> record) {
    Route route = record.value().route();
    forwarded.merge(route, 1, Integer::sum);
    if (route == Route.DEAD_LETTER && firstDeadLetter == null) {
      Header message = record.headers().lastHeader(Wire.ERROR_MESSAGE_HEADER);
      firstDeadLetter = message == null ? "(no message)" : new String(message.value(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public <K extends String, V extends Routed> void forward(Record<K, V> record, String childName) {
    forward(record);
  }

  @Override
  public String applicationId() {
    return "depthstream-warm-up";
  }

  @Override
  public TaskId taskId() {
    return new TaskId(0, 0);
  }

  @Override
  public Optional<RecordMetadata> recordMetadata() {
    return Optional.empty();
  }

  @Override
  public Serde<?> keySerde() {
    throw new UnsupportedOperationException("the warm-up has no serdes");
  }

  @Override
  public Serde<?> valueSerde() {
    throw new UnsupportedOperationException("the warm-up has no serdes");
  }

  @Override
  public File stateDir() {
    throw new UnsupportedOperationException("the warm-up has no state");
  }

  @Override
  public StreamsMetrics metrics() {
    throw new UnsupportedOperationException("the warm-up has no Streams metrics");
  }

  @Override
  public <S extends StateStore> S getStateStore(String name) {
    throw new UnsupportedOperationException("the warm-up has no state stores");
  }

  @Override
  public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
    return () -> {};
  }

  @Override
  public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
    return () -> {};
  }

  @Override
  public void commit() {}

  @Override
  public Map<String, Object> appConfigs() {
    return Map.of();
  }

  @Override
  public Map<String, Object> appConfigsWithPrefix(String prefix) {
    return Map.of();
  }

  @Override
  public long currentSystemTimeMs() {
    return System.currentTimeMillis();
  }

  @Override
  public long currentStreamTimeMs() {
    return System.currentTimeMillis();
  }
}
