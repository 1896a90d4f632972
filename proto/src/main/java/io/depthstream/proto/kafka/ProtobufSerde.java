package io.depthstream.proto.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one protobuf message type, plain binary protobuf with no framing or schema-registry header,
 * so any protobuf runtime can read the topics. Null stays null (tombstones).
 */
public final class ProtobufSerde<T extends MessageLite> implements Serde<T> {
  private final Parser<T> parser;
  private final String typeName;

  private ProtobufSerde(Parser<T> parser, String typeName) {
    this.parser = parser;
    this.typeName = typeName;
  }

  /** For example {@code ProtobufSerde.of(DenseDepth.parser(), "DenseDepth")}. */
  public static <T extends MessageLite> ProtobufSerde<T> of(Parser<T> parser, String typeName) {
    return new ProtobufSerde<>(parser, typeName);
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : value.toByteArray();
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return parser.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new SerializationException("record on topic " + topic + " is not a valid " + typeName, e);
      }
    };
  }
}
