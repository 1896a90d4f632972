package io.depthstream.streams.config;

import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.codec.OutputEncoding;

/**
 * What the node does with one sensor kind: the raw topic it reads (the topic decides the kind), the method it
 * runs, its real-time budget and its output encoding.
 *
 * @param budgetNanos real-time budget in nanoseconds; 0 = no budget
 */
public record SensorStreamSettings(SensorKind kind, String topic, String method, long budgetNanos,
    OutputEncoding encoding) {}
