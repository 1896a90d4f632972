package io.depthstream.connect.record;

/**
 * Constants of the MCAP container format, version 0 (https://mcap.dev/spec): a file is the magic, then records
 * {@code opcode (uint8), length (uint64 LE), content}, then the magic again. Strings are a uint32 byte length and
 * UTF-8; maps a uint32 byte length and their entries; all integers little-endian; times are ns since the epoch.
 *
 * <p>How depthstream maps Kafka onto MCAP (the keys below live in channel metadata, so any MCAP tool shows them):
 * <ul>
 *   <li>one channel per (Kafka topic, key): channel topic = Kafka topic, metadata {@value #META_KAFKA_TOPIC} and
 *       {@value #META_KAFKA_KEY}; the value's protobuf schema, or none for raw bytes;
 *   <li>a record's Kafka headers, when it has any, go on a companion channel {@code <topic>/kafka_headers}
 *       ({@value #ROLE_KAFKA_HEADERS}, JSON, see {@link KafkaHeadersJson}) as a message with the same log time
 *       and sequence, written just before the value: a viewer shows the headers (the vSLAM pose) as a JSON
 *       panel, the value channel stays plain protobuf, and {@link McapReader} joins the two again;
 *   <li>derived channels for viewers (Foxglove images, calibration, scans: {@value #ROLE_VIEW}) are skipped by
 *       the player. A channel without {@value #META_ROLE} (any other tool's file) is a Kafka record channel.
 * </ul>
 */
final class Mcap {
  static final byte[] MAGIC = {(byte) 0x89, 'M', 'C', 'A', 'P', '0', '\r', '\n'};
  /** opcode (1) + content length (8). */
  static final int RECORD_PREFIX = 9;
  /** Footer content: summary_start (8), summary_offset_start (8), summary_crc (4). */
  static final int FOOTER_CONTENT = 20;

  static final int OP_HEADER = 0x01;
  static final int OP_FOOTER = 0x02;
  static final int OP_SCHEMA = 0x03;
  static final int OP_CHANNEL = 0x04;
  static final int OP_MESSAGE = 0x05;
  static final int OP_CHUNK = 0x06;
  static final int OP_MESSAGE_INDEX = 0x07;
  static final int OP_CHUNK_INDEX = 0x08;
  static final int OP_ATTACHMENT = 0x09;
  static final int OP_ATTACHMENT_INDEX = 0x0A;
  static final int OP_STATISTICS = 0x0B;
  static final int OP_METADATA = 0x0C;
  static final int OP_METADATA_INDEX = 0x0D;
  static final int OP_SUMMARY_OFFSET = 0x0E;
  static final int OP_DATA_END = 0x0F;

  /** Channel metadata keys that keep what MCAP has no field for: the Kafka record key and its topic. */
  static final String META_KAFKA_TOPIC = "kafka.topic";
  static final String META_KAFKA_KEY = "kafka.key";
  /** Set when the key was null (so it is not confused with an empty key). */
  static final String META_KAFKA_KEY_NULL = "kafka.key.null";
  /** What a channel holds: absent = Kafka record values, else one of the ROLE_ values. */
  static final String META_ROLE = "depthstream.role";
  static final String ROLE_KAFKA_HEADERS = "kafka-headers";
  static final String ROLE_VIEW = "view";
  /** On a headers channel: the id of the value channel whose records' headers it carries. */
  static final String META_HEADERS_OF = "depthstream.headers.of";
  static final String HEADERS_TOPIC_SUFFIX = "/kafka_headers";

  private Mcap() {}
}
