package io.depthstream.connect.record;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes Kafka records into one MCAP file (https://mcap.dev/spec), the robotics recording standard, with
 * {@code protobuf} channels so any MCAP tool (Foxglove, the {@code mcap} CLI) can show and decode them.
 *
 * <p>Layout: magic, Header (profile "", library "depthstream"), then Schema / Channel records as they first
 * appear and Message records, Data End, a summary section (every Schema and Channel again plus Statistics), the
 * Footer and the magic. Messages are not chunked or compressed (a valid MCAP: depth payloads are already dense
 * binary, and an unchunked file can be appended to while recording). CRC fields are 0, which the spec defines as
 * "not computed".
 *
 * <p>Kafka to MCAP: one channel per (topic, key), channel topic = Kafka topic, metadata {@code kafka.topic} and
 * {@code kafka.key}; schema = the value's protobuf message (name {@code depthstream.v1.DepthFrame}, encoding
 * {@code protobuf}, data = a serialized {@code FileDescriptorSet} with its imports), or no schema (id 0) and
 * message encoding {@code application/octet-stream} for topics of raw bytes; log and publish time = the record
 * timestamp in ns. Record headers are not kept.
 */
public final class McapWriter implements AutoCloseable {
  private record ChannelKey(String topic, String key) {}

  private final OutputStream out;
  private final Map<String, Integer> schemaIds = new HashMap<>();
  private final Map<ChannelKey, Integer> channelIds = new HashMap<>();
  private final Map<Integer, byte[]> schemaRecords = new LinkedHashMap<>();
  private final Map<Integer, byte[]> channelRecords = new LinkedHashMap<>();
  private final Map<Integer, Long> channelCounts = new TreeMap<>();
  private final Map<Integer, Integer> channelSequences = new HashMap<>();
  private long position;
  private long messageCount;
  private long startTime = Long.MAX_VALUE;
  private long endTime = Long.MIN_VALUE;
  private boolean closed;

  /** Creates (or replaces) {@code file} and writes the header. */
  public McapWriter(Path file) throws IOException {
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    write(Mcap.MAGIC);
    byte[] header = new Buf().string("").string("depthstream").bytes();
    record(Mcap.OP_HEADER, header);
  }

  /**
   * Appends one record.
   *
   * @param type the value's protobuf message type, or null for raw bytes
   * @param key the Kafka key (may be null)
   * @param timestampMs the Kafka record timestamp, ms since epoch
   */
  public void write(String topic, String key, Descriptor type, long timestampMs, byte[] value) throws IOException {
    int channel = channel(topic, key, type);
    int seq = channelSequences.merge(channel, 1, Integer::sum) - 1;
    long timeNs = timestampMs * 1_000_000L;
    byte[] v = value == null ? new byte[0] : value;
    ByteBuffer b = ByteBuffer.allocate(2 + 4 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) channel).putInt(seq).putLong(timeNs).putLong(timeNs);
    writeRecordHeader(Mcap.OP_MESSAGE, b.capacity() + (long) v.length);
    write(b.array());
    write(v);
    messageCount++;
    channelCounts.merge(channel, 1L, Long::sum);
    startTime = Math.min(startTime, timeNs);
    endTime = Math.max(endTime, timeNs);
  }

  private int channel(String topic, String key, Descriptor type) throws IOException {
    ChannelKey ck = new ChannelKey(topic, key);
    Integer id = channelIds.get(ck);
    if (id != null) {
      return id;
    }
    int schemaId = type == null ? 0 : schema(type);
    id = channelIds.size() + 1;
    if (id > 0xffff) {
      throw new IOException("more than 65535 (topic, key) channels: MCAP channel ids are 16-bit");
    }
    Map<String, String> meta = new TreeMap<>();
    meta.put(Mcap.META_KAFKA_TOPIC, topic);
    meta.put(Mcap.META_KAFKA_KEY, key == null ? "" : key);
    if (key == null) {
      meta.put(Mcap.META_KAFKA_KEY_NULL, "true");
    }
    byte[] rec = new Buf().u16(id).u16(schemaId).string(topic)
        .string(type == null ? "application/octet-stream" : "protobuf").map(meta).bytes();
    channelIds.put(ck, id);
    channelRecords.put(id, rec);
    record(Mcap.OP_CHANNEL, rec);
    return id;
  }

  private int schema(Descriptor type) throws IOException {
    Integer id = schemaIds.get(type.getFullName());
    if (id != null) {
      return id;
    }
    id = schemaIds.size() + 1;
    byte[] rec = new Buf().u16(id).string(type.getFullName()).string("protobuf")
        .bytesField(descriptorSet(type.getFile()).toByteArray()).bytes();
    schemaIds.put(type.getFullName(), id);
    schemaRecords.put(id, rec);
    record(Mcap.OP_SCHEMA, rec);
    return id;
  }

  /** The file and all its imports, imports first, as MCAP's protobuf profile asks. */
  static FileDescriptorSet descriptorSet(FileDescriptor file) {
    Set<FileDescriptor> ordered = new LinkedHashSet<>();
    addWithDeps(file, ordered);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    ordered.forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  private static void addWithDeps(FileDescriptor f, Set<FileDescriptor> out) {
    for (FileDescriptor d : f.getDependencies()) {
      addWithDeps(d, out);
    }
    out.add(f);
  }

  /** Messages written so far. */
  public long messageCount() {
    return messageCount;
  }

  /** Writes Data End, the summary and the footer; safe to call twice. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      record(Mcap.OP_DATA_END, new Buf().u32(0).bytes());
      long summaryStart = position;
      for (byte[] s : schemaRecords.values()) {
        record(Mcap.OP_SCHEMA, s);
      }
      for (byte[] c : channelRecords.values()) {
        record(Mcap.OP_CHANNEL, c);
      }
      Buf counts = new Buf();
      for (Map.Entry<Integer, Long> e : channelCounts.entrySet()) {
        counts.u16(e.getKey()).u64(e.getValue());
      }
      byte[] countBytes = counts.bytes();
      byte[] stats = new Buf().u64(messageCount).u16(schemaRecords.size()).u32(channelRecords.size()).u32(0).u32(0)
          .u32(0).u64(messageCount == 0 ? 0 : startTime).u64(messageCount == 0 ? 0 : endTime)
          .u32(countBytes.length).raw(countBytes).bytes();
      record(Mcap.OP_STATISTICS, stats);
      record(Mcap.OP_FOOTER, new Buf().u64(summaryStart).u64(0).u32(0).bytes());
      write(Mcap.MAGIC);
    } finally {
      out.close();
    }
  }

  private void record(int op, byte[] content) throws IOException {
    writeRecordHeader(op, content.length);
    write(content);
  }

  private void writeRecordHeader(int op, long length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) op).putLong(length);
    write(b.array());
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    position += bytes.length;
  }

  /** Little-endian builder for record contents. */
  static final class Buf {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    Buf u16(int v) {
      scratch.clear();
      scratch.putShort((short) v);
      bytes.write(scratch.array(), 0, 2);
      return this;
    }

    Buf u32(long v) {
      scratch.clear();
      scratch.putInt((int) v);
      bytes.write(scratch.array(), 0, 4);
      return this;
    }

    Buf u64(long v) {
      scratch.clear();
      scratch.putLong(v);
      bytes.write(scratch.array(), 0, 8);
      return this;
    }

    Buf string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u32(b.length);
      bytes.write(b, 0, b.length);
      return this;
    }

    Buf bytesField(byte[] b) {
      u32(b.length);
      bytes.write(b, 0, b.length);
      return this;
    }

    Buf raw(byte[] b) {
      bytes.write(b, 0, b.length);
      return this;
    }

    Buf map(Map<String, String> m) {
      Buf entries = new Buf();
      List<Map.Entry<String, String>> list = new ArrayList<>(m.entrySet());
      for (Map.Entry<String, String> e : list) {
        entries.string(e.getKey()).string(e.getValue());
      }
      byte[] b = entries.bytes();
      u32(b.length);
      return raw(b);
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }
}
