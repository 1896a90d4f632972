package io.depthstream.connect.source;

import java.util.Map;

/**
 * One record a drive item turns into: serialized message bytes for a topic, with extra headers (string values).
 * Key (sensor id) and timestamp (capture time) are the same for every emission of an item.
 */
public record Emission(String topic, byte[] value, Map<String, String> headers) {
  public Emission(String topic, byte[] value) {
    this(topic, value, Map.of());
  }
}
