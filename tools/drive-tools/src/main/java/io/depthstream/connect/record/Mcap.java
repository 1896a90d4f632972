package io.depthstream.connect.record;

/**
 * Constants of the MCAP container format, version 0 (https://mcap.dev/spec): a file is the magic, then records
 * {@code opcode (uint8), length (uint64 LE), content}, then the magic again. Strings are a uint32 byte length and
 * UTF-8; maps a uint32 byte length and their entries; all integers little-endian.
 */
final class Mcap {
  static final byte[] MAGIC = {(byte) 0x89, 'M', 'C', 'A', 'P', '0', '\r', '\n'};
  static final int OP_HEADER = 0x01;
  static final int OP_FOOTER = 0x02;
  static final int OP_SCHEMA = 0x03;
  static final int OP_CHANNEL = 0x04;
  static final int OP_MESSAGE = 0x05;
  static final int OP_CHUNK = 0x06;
  static final int OP_STATISTICS = 0x0B;
  static final int OP_DATA_END = 0x0F;

  /** Channel metadata keys that keep what MCAP has no field for: the Kafka record key and its topic. */
  static final String META_KAFKA_TOPIC = "kafka.topic";
  static final String META_KAFKA_KEY = "kafka.key";
  /** Set when the key was null (so it is not confused with an empty key). */
  static final String META_KAFKA_KEY_NULL = "kafka.key.null";

  private Mcap() {}
}
