package io.depthstream.proto.kafka;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its key and value serdes: the one place that says what a topic carries. Producers, the topology
 * and tests share these instead of repeating names and serdes.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
