package io.depthstream.connect.record;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.apache.kafka.common.header.Header;

/**
 * Writes Kafka records into one MCAP file (https://mcap.dev/spec), the robotics recording standard, with
 * {@code protobuf} channels so any MCAP tool (Foxglove, the {@code mcap} CLI, {@code @mcap/core}) can index, show
 * and decode them. How topics, keys and headers map onto channels: {@link Mcap}.
 *
 * <p>Layout, as the official writers make it: magic, Header (profile "" or e.g. "ros2", library "depthstream"),
 * then Chunks of
 * about {@link Options#chunkSizeBytes} uncompressed bytes (Schema and Channel records where first used, Message
 * records), each followed by one Message Index per channel in it; Data End with the CRC32 of the data section; the
 * summary (Schemas, Channels, Statistics, Chunk Indexes, grouped by opcode), Summary Offsets, the Footer with the
 * summary's CRC32, the magic. Every chunk carries the CRC32 of its uncompressed records and is compressed with
 * zstd (default), lz4 or not at all.
 *
 * <p>Memory is bounded by one chunk: records are buffered until the chunk is full, then compressed and written;
 * the chunk, compression and index buffers are reused. A record's log and publish time is its capture time in ns
 * when the caller knows it and it agrees with the Kafka timestamp (ms) to the millisecond, else the Kafka
 * timestamp in ns: either way it floors to the Kafka timestamp, which the player gives the record back.
 */
public final class McapWriter implements AutoCloseable {
  /** MCAP's uncompressed chunk size of choice for large messages: about 4 frames of 1 MB. */
  public static final int DEFAULT_CHUNK_SIZE = 4 << 20;

  /**
   * @param compression how chunks are compressed
   * @param chunkSizeBytes a chunk is closed once its uncompressed records reach this size (a single larger
   *     message makes a chunk of its own)
   */
  public record Options(McapCompression compression, int chunkSizeBytes) {
    public Options {
      if (compression == null) {
        throw new IllegalArgumentException("compression must be zstd, lz4 or none");
      }
      if (chunkSizeBytes < 1) {
        throw new IllegalArgumentException("chunk size must be at least 1 byte, got " + chunkSizeBytes);
      }
    }

    /** zstd, 4 MiB chunks. */
    public static Options defaults() {
      return new Options(McapCompression.ZSTD, DEFAULT_CHUNK_SIZE);
    }
  }

  /** An MCAP schema: {@code name}, {@code encoding} (e.g. {@code protobuf}, {@code jsonschema}) and its data. */
  public record Schema(String name, String encoding, byte[] data) {
    /** A protobuf message type: its full name and a FileDescriptorSet of its file and imports. */
    public static Schema protobuf(Descriptor type) {
      return new Schema(type.getFullName(), "protobuf", descriptorSet(type.getFile()).toByteArray());
    }
  }

  private record SchemaKey(String name, String encoding) {}

  private record ChannelKey(String topic, String messageEncoding, int schemaId, Map<String, String> metadata) {}

  private static final Schema HEADERS_SCHEMA = new Schema(KafkaHeadersJson.SCHEMA_NAME, "jsonschema",
      KafkaHeadersJson.jsonSchema());

  private final Options options;
  private final CountingOutput out;
  private final McapCompression.Compressor compressor;
  private final Map<SchemaKey, Integer> schemaIds = new HashMap<>();
  private final Map<String, Schema> protobufSchemas = new HashMap<>();
  private final Map<ChannelKey, Integer> channelIds = new HashMap<>();
  private final Map<Integer, Integer> headerChannels = new HashMap<>();
  private final List<byte[]> schemaRecords = new ArrayList<>();
  private final List<byte[]> channelRecords = new ArrayList<>();
  private long[] channelMessageCounts = new long[16];
  private int[] channelSequences = new int[16];

  // The open chunk: its records, time span and per-channel message index entries (offsets into `chunk`).
  private final McapBuffer chunk;
  private final BitSet chunkChannels = new BitSet();
  private ChannelIndex[] chunkIndexes = new ChannelIndex[16];
  private long chunkStart = Long.MAX_VALUE;
  private long chunkEnd = Long.MIN_VALUE;
  private final McapBuffer scratch = new McapBuffer(1 << 12);
  private final McapBuffer chunkIndexRecords = new McapBuffer(1 << 12);
  private int chunkCount;

  private long recordCount;
  private long messageCount;
  private long startTime = Long.MAX_VALUE;
  private long endTime = Long.MIN_VALUE;
  private boolean closed;

  /** Creates (or replaces) {@code file} with zstd chunks of 4 MiB and writes the header. */
  public McapWriter(Path file) throws IOException {
    this(file, Options.defaults());
  }

  /** Creates (or replaces) {@code file} and writes the header, with no profile. */
  public McapWriter(Path file, Options options) throws IOException {
    this(file, options, "");
  }

  /**
   * Creates (or replaces) {@code file} and writes the header.
   *
   * @param profile the Header's profile (https://mcap.dev/spec/registry): "" for none, "ros2" for a file whose
   *     channels are all CDR with ros2msg schemas
   */
  public McapWriter(Path file, Options options, String profile) throws IOException {
    this.options = options;
    this.chunk = new McapBuffer(Math.min(options.chunkSizeBytes(), DEFAULT_CHUNK_SIZE) + (1 << 16));
    this.compressor = new McapCompression.Compressor(options.compression());
    this.out = new CountingOutput(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    out.write(Mcap.MAGIC, 0, Mcap.MAGIC.length);
    scratch.reset();
    int at = scratch.beginRecord(Mcap.OP_HEADER);
    scratch.string(profile).string("depthstream");
    scratch.endRecord(at);
    out.write(scratch.array(), 0, scratch.size());
  }

  /** Says that a record's capture time is not known: its log time is its Kafka timestamp. */
  public static final long UNKNOWN_CAPTURE_TIME = Long.MIN_VALUE;

  /**
   * A record's log time, ns: its capture time when that lies in the Kafka timestamp's millisecond (a producer
   * that stamps records with the capture time, as every depthstream source and the node do), else the Kafka
   * timestamp's ms in ns (another clock's timestamp wins, so the player restores it exactly).
   */
  public static long logTimeNs(long timestampMs, long captureTimeNs) {
    return captureTimeNs != UNKNOWN_CAPTURE_TIME && Math.floorDiv(captureTimeNs, 1_000_000L) == timestampMs
        ? captureTimeNs : timestampMs * 1_000_000L;
  }

  /** Appends one Kafka record without headers ({@link #write(String, String, Iterable, Descriptor, long, byte[])}). */
  public void write(String topic, String key, Descriptor type, long timestampMs, byte[] value) throws IOException {
    write(topic, key, List.of(), type, timestampMs, value);
  }

  /**
   * Appends one Kafka record.
   *
   * @param key the Kafka key (may be null)
   * @param headers the record's headers (kept on the topic's {@code /kafka_headers} channel when there are any)
   * @param type the value's protobuf message type, or null for raw bytes
   * @param timestampMs the Kafka record timestamp, ms since epoch
   * @param value the value bytes (null is written as empty)
   */
  public void write(String topic, String key, Iterable<Header> headers, Descriptor type, long timestampMs,
      byte[] value) throws IOException {
    write(topic, key, headers, type, timestampMs, UNKNOWN_CAPTURE_TIME, value);
  }

  /**
   * Appends one Kafka record whose capture time in nanoseconds is known (e.g. from its {@code FrameId}), so its
   * log time keeps the nanoseconds ({@link #logTimeNs}).
   *
   * @param captureTimeNs ns since epoch, or {@link #UNKNOWN_CAPTURE_TIME}
   */
  public void write(String topic, String key, Iterable<Header> headers, Descriptor type, long timestampMs,
      long captureTimeNs, byte[] value) throws IOException {
    int channel = kafkaChannel(topic, key, type);
    long timeNs = logTimeNs(timestampMs, captureTimeNs);
    int sequence = nextSequence(channel);
    if (headers.iterator().hasNext()) {
      byte[] json = KafkaHeadersJson.encode(headers);
      appendMessage(headersChannel(channel, topic, key), sequence, timeNs, timeNs, json, 0, json.length);
    }
    byte[] v = value == null ? new byte[0] : value;
    appendMessage(channel, sequence, timeNs, timeNs, v, 0, v.length);
    recordCount++;
    closeChunkIfFull();
  }

  /**
   * The id of a channel, registered on first use: for messages that are not Kafka records, such as the
   * {@value Mcap#ROLE_VIEW} channels of viewers.
   *
   * @param schema null for none (schema id 0)
   */
  public int channel(String topic, String messageEncoding, Schema schema, Map<String, String> metadata)
      throws IOException {
    int schemaId = schema == null ? 0 : schema(schema);
    ChannelKey key = new ChannelKey(topic, messageEncoding, schemaId, new TreeMap<>(metadata));
    Integer id = channelIds.get(key);
    if (id != null) {
      return id;
    }
    id = channelIds.size() + 1;
    if (id > 0xffff) {
      throw new IOException("more than 65535 channels: MCAP channel ids are 16-bit");
    }
    scratch.reset();
    int at = scratch.beginRecord(Mcap.OP_CHANNEL);
    scratch.u16(id).u16(schemaId).string(topic).string(messageEncoding).map(key.metadata());
    scratch.endRecord(at);
    channelIds.put(key, id);
    keepDefinition(channelRecords);
    return id;
  }

  /** Appends a message on a channel from {@link #channel}, with the next sequence number of that channel. */
  public void message(int channelId, long logTimeNs, long publishTimeNs, byte[] data, int offset, int length)
      throws IOException {
    appendMessage(channelId, nextSequence(channelId), logTimeNs, publishTimeNs, data, offset, length);
    closeChunkIfFull();
  }

  private int kafkaChannel(String topic, String key, Descriptor type) throws IOException {
    Map<String, String> meta = new TreeMap<>();
    meta.put(Mcap.META_KAFKA_TOPIC, topic);
    meta.put(Mcap.META_KAFKA_KEY, key == null ? "" : key);
    if (key == null) {
      meta.put(Mcap.META_KAFKA_KEY_NULL, "true");
    }
    return type == null ? channel(topic, "application/octet-stream", null, meta)
        : channel(topic, "protobuf", protobufSchema(type), meta);
  }

  private int headersChannel(int valueChannel, String topic, String key) throws IOException {
    Integer id = headerChannels.get(valueChannel);
    if (id == null) {
      Map<String, String> meta = new TreeMap<>();
      meta.put(Mcap.META_ROLE, Mcap.ROLE_KAFKA_HEADERS);
      meta.put(Mcap.META_HEADERS_OF, Integer.toString(valueChannel));
      meta.put(Mcap.META_KAFKA_TOPIC, topic);
      meta.put(Mcap.META_KAFKA_KEY, key == null ? "" : key);
      id = channel(topic + Mcap.HEADERS_TOPIC_SUFFIX, "json", HEADERS_SCHEMA, meta);
      headerChannels.put(valueChannel, id);
    }
    return id;
  }

  private Schema protobufSchema(Descriptor type) {
    return protobufSchemas.computeIfAbsent(type.getFullName(), n -> Schema.protobuf(type));
  }

  private int schema(Schema schema) {
    SchemaKey key = new SchemaKey(schema.name(), schema.encoding());
    Integer id = schemaIds.get(key);
    if (id != null) {
      return id;
    }
    id = schemaIds.size() + 1;
    scratch.reset();
    int at = scratch.beginRecord(Mcap.OP_SCHEMA);
    scratch.u16(id).string(schema.name()).string(schema.encoding()).bytes32(schema.data());
    scratch.endRecord(at);
    schemaIds.put(key, id);
    keepDefinition(schemaRecords);
    return id;
  }

  /** The Schema or Channel record in {@code scratch}: into the open chunk, and kept for the summary. */
  private void keepDefinition(List<byte[]> summaryCopies) {
    byte[] rec = scratch.toByteArray();
    summaryCopies.add(rec);
    chunk.raw(rec, 0, rec.length);
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

  private int nextSequence(int channel) {
    if (channel >= channelSequences.length) {
      channelSequences = Arrays.copyOf(channelSequences, Math.max(channel + 1, channelSequences.length * 2));
    }
    return channelSequences[channel]++;
  }

  private void appendMessage(int channel, int sequence, long logTimeNs, long publishTimeNs, byte[] data, int off,
      int len) {
    long offset = chunk.size();
    int at = chunk.beginRecord(Mcap.OP_MESSAGE);
    chunk.u16(channel).u32(sequence & 0xffffffffL).u64(logTimeNs).u64(publishTimeNs).raw(data, off, len);
    chunk.endRecord(at);
    if (channel >= chunkIndexes.length) {
      chunkIndexes = Arrays.copyOf(chunkIndexes, Math.max(channel + 1, chunkIndexes.length * 2));
    }
    if (chunkIndexes[channel] == null) {
      chunkIndexes[channel] = new ChannelIndex();
    }
    chunkIndexes[channel].add(logTimeNs, offset);
    chunkChannels.set(channel);
    if (channel >= channelMessageCounts.length) {
      channelMessageCounts = Arrays.copyOf(channelMessageCounts,
          Math.max(channel + 1, channelMessageCounts.length * 2));
    }
    channelMessageCounts[channel]++;
    messageCount++;
    chunkStart = Math.min(chunkStart, logTimeNs);
    chunkEnd = Math.max(chunkEnd, logTimeNs);
    startTime = Math.min(startTime, logTimeNs);
    endTime = Math.max(endTime, logTimeNs);
  }

  private void closeChunkIfFull() throws IOException {
    if (chunk.size() >= options.chunkSizeBytes()) {
      writeChunk();
    }
  }

  /** Writes the open chunk (if it holds any record) and its message indexes, and notes its Chunk Index. */
  private void writeChunk() throws IOException {
    if (chunk.size() == 0) {
      return;
    }
    int uncompressedSize = chunk.size();
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 0, uncompressedSize);
    McapBuffer compressed = compressor.compress(chunk.array(), uncompressedSize);
    boolean hasMessages = !chunkChannels.isEmpty();
    long start = hasMessages ? chunkStart : 0;
    long end = hasMessages ? chunkEnd : 0;
    String compression = options.compression().wireName();

    long chunkOffset = out.position();
    scratch.reset();
    int at = scratch.beginRecord(Mcap.OP_CHUNK);
    scratch.u64(start).u64(end).u64(uncompressedSize).u32(crc.getValue()).string(compression)
        .u64(compressed.size());
    scratch.setRecordLength(at, scratch.size() - Mcap.RECORD_PREFIX + (long) compressed.size());
    out.write(scratch.array(), 0, scratch.size());
    out.write(compressed.array(), 0, compressed.size());
    long chunkLength = out.position() - chunkOffset;

    Map<Integer, Long> indexOffsets = new TreeMap<>();
    long indexStart = out.position();
    for (int ch = chunkChannels.nextSetBit(0); ch >= 0; ch = chunkChannels.nextSetBit(ch + 1)) {
      ChannelIndex index = chunkIndexes[ch];
      index.sortByTime();
      indexOffsets.put(ch, out.position());
      scratch.reset();
      int ia = scratch.beginRecord(Mcap.OP_MESSAGE_INDEX);
      scratch.u16(ch).u32(16L * index.size);
      for (int i = 0; i < index.size; i++) {
        scratch.u64(index.times[i]).u64(index.offsets[i]);
      }
      scratch.endRecord(ia);
      out.write(scratch.array(), 0, scratch.size());
      index.size = 0;
    }
    long indexLength = out.position() - indexStart;

    int ci = chunkIndexRecords.beginRecord(Mcap.OP_CHUNK_INDEX);
    chunkIndexRecords.u64(start).u64(end).u64(chunkOffset).u64(chunkLength);
    int mapAt = chunkIndexRecords.beginLength();
    indexOffsets.forEach((ch, off) -> chunkIndexRecords.u16(ch).u64(off));
    chunkIndexRecords.endLength(mapAt);
    chunkIndexRecords.u64(indexLength).string(compression).u64(compressed.size()).u64(uncompressedSize);
    chunkIndexRecords.endRecord(ci);

    chunkCount++;
    chunk.reset();
    chunkChannels.clear();
    chunkStart = Long.MAX_VALUE;
    chunkEnd = Long.MIN_VALUE;
  }

  /** Kafka records written so far (MCAP messages on headers channels not counted). */
  public long messageCount() {
    return recordCount;
  }

  /** Writes the last chunk, Data End, the summary and the footer; safe to call twice. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writeChunk();
      scratch.reset();
      int de = scratch.beginRecord(Mcap.OP_DATA_END);
      scratch.u32(out.crc());
      scratch.endRecord(de);
      out.write(scratch.array(), 0, scratch.size());

      long summaryStart = out.position();
      out.resetCrc(); // the summary CRC covers the summary section up to the footer's summary_offset_start
      List<long[]> groups = new ArrayList<>(); // {opcode, start, length}
      writeGroup(Mcap.OP_SCHEMA, schemaRecords, groups);
      writeGroup(Mcap.OP_CHANNEL, channelRecords, groups);
      writeGroup(Mcap.OP_STATISTICS, List.of(statistics()), groups);
      writeGroup(Mcap.OP_CHUNK_INDEX, List.of(chunkIndexRecords.toByteArray()), groups);
      long summaryOffsetStart = out.position();
      for (long[] g : groups) {
        scratch.reset();
        int so = scratch.beginRecord(Mcap.OP_SUMMARY_OFFSET);
        scratch.u8((int) g[0]).u64(g[1]).u64(g[2]);
        scratch.endRecord(so);
        out.write(scratch.array(), 0, scratch.size());
      }
      scratch.reset();
      int f = scratch.beginRecord(Mcap.OP_FOOTER);
      scratch.u64(summaryStart).u64(summaryOffsetStart);
      scratch.setRecordLength(f, Mcap.FOOTER_CONTENT);
      out.write(scratch.array(), 0, scratch.size());
      scratch.reset();
      scratch.u32(out.crc());
      out.write(scratch.array(), 0, scratch.size());
      out.write(Mcap.MAGIC, 0, Mcap.MAGIC.length);
    } finally {
      compressor.close();
      out.close();
    }
  }

  private void writeGroup(int opcode, List<byte[]> records, List<long[]> groups) throws IOException {
    long start = out.position();
    for (byte[] r : records) {
      out.write(r, 0, r.length);
    }
    if (out.position() > start) {
      groups.add(new long[] {opcode, start, out.position() - start});
    }
  }

  private byte[] statistics() {
    McapBuffer s = new McapBuffer(256);
    int at = s.beginRecord(Mcap.OP_STATISTICS);
    s.u64(messageCount).u16(schemaRecords.size()).u32(channelRecords.size()).u32(0).u32(0).u32(chunkCount)
        .u64(messageCount == 0 ? 0 : startTime).u64(messageCount == 0 ? 0 : endTime);
    int mapAt = s.beginLength();
    for (int ch = 1; ch <= channelRecords.size(); ch++) {
      s.u16(ch).u64(channelMessageCounts.length > ch ? channelMessageCounts[ch] : 0);
    }
    s.endLength(mapAt);
    s.endRecord(at);
    return s.toByteArray();
  }

  /** Message index entries of one channel in the open chunk: log time and offset, primitive and reused. */
  private static final class ChannelIndex {
    long[] times = new long[64];
    long[] offsets = new long[64];
    int size;

    void add(long time, long offset) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        offsets = Arrays.copyOf(offsets, size * 2);
      }
      times[size] = time;
      offsets[size] = offset;
      size++;
    }

    /** Records of one partition come in log order, which is nearly always time order; sorts when it is not. */
    void sortByTime() {
      for (int i = 1; i < size; i++) {
        long t = times[i];
        long o = offsets[i];
        int j = i - 1;
        while (j >= 0 && times[j] > t) {
          times[j + 1] = times[j];
          offsets[j + 1] = offsets[j];
          j--;
        }
        times[j + 1] = t;
        offsets[j + 1] = o;
      }
    }
  }

  /** The file: its position and a CRC32 of what was written since the last {@link #resetCrc()}. */
  private static final class CountingOutput implements AutoCloseable {
    private final OutputStream out;
    private final CRC32 crc = new CRC32();
    private long position;

    CountingOutput(OutputStream out) {
      this.out = out;
    }

    void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      position += len;
    }

    long position() {
      return position;
    }

    long crc() {
      return crc.getValue();
    }

    void resetCrc() {
      crc.reset();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
