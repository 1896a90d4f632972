package io.depthstream.connect.record;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import org.apache.kafka.common.header.Header;

/**
 * Reads the messages of any valid MCAP file in log-time order (ties in file order): chunked or not, compressed
 * with zstd or lz4 or not, with or without message indexes and a summary; what {@link McapWriter} writes and what
 * other recorders (the official MCAP libraries, rosbag2) write.
 *
 * <p>With Chunk Indexes in the summary, chunks are read in the order of their start times and merged, holding
 * only the chunks whose time ranges overlap (one at a time for a recording in time order). Without them, one
 * linear pass finds the chunks and loose messages (and checks the data section's CRC), and the same merge reads
 * them. Every non-zero CRC met is checked (a chunk's when it is decompressed, the summary's on open); a mismatch,
 * a truncated record or an undecodable chunk is one {@link IOException} naming the file and the byte offset.
 *
 * <p>Kafka records come back as they were recorded: topic and key from the channel metadata (a channel of another
 * tool plays on its MCAP topic with a null key), headers re-joined from the {@code /kafka_headers} channel
 * ({@link Mcap}). Viewer channels ({@value Mcap#ROLE_VIEW}) are skipped unless asked for.
 */
public final class McapReader implements AutoCloseable {
  /** What a channel carries (channel metadata {@value Mcap#META_ROLE}). */
  public enum Role {
    /** Kafka record values: what the player sends; every channel of another tool's file. */
    KAFKA_RECORD,
    /** The headers of another channel's records; joined to them, never returned as messages. */
    KAFKA_HEADERS,
    /** Derived for viewers (Foxglove images, calibration, scans); returned only on request. */
    VIEW
  }

  /**
   * A channel: Kafka topic and key (null when none was recorded), value schema name (empty for none), message
   * encoding, role and the raw MCAP channel metadata.
   */
  public record Channel(int id, String topic, String key, String schemaName, String encoding, Role role,
      Map<String, String> metadata) {}

  /**
   * One message: its channel, per-channel sequence, log time (ns since epoch), value bytes and the Kafka headers
   * recorded with it (empty when none).
   */
  public record Message(Channel channel, long sequence, long logTimeNs, byte[] data, List<Header> headers) {
    /** The Kafka record timestamp it came from, ms. */
    public long timestampMs() {
      return Math.floorDiv(logTimeNs, 1_000_000L);
    }
  }

  /** A chunk, or a message outside chunks, to merge: where it is and its earliest log time. */
  private record Segment(long startTime, long offset, long length, boolean chunk) {}

  /** A chunk's uncompressed records while some of its messages are still to be returned. */
  private static final class LoadedChunk {
    final long fileOffset;
    byte[] records;
    int remaining;

    LoadedChunk(long fileOffset, byte[] records) {
      this.fileOffset = fileOffset;
      this.records = records;
    }
  }

  /** A message waiting in the merge: in {@code chunk} at {@code at}, or alone in {@code loose}. */
  private record Pending(long logTime, int segment, int at, LoadedChunk chunk, byte[] loose, long fileOffset) {}

  private record HeldHeaders(long sequence, List<Header> headers) {}

  /** channel_id, sequence, log_time, publish_time: the fixed part of a Message record. */
  private static final int MESSAGE_FIELDS = 2 + 4 + 8 + 8;

  private static final Comparator<Pending> ORDER = Comparator.comparingLong(Pending::logTime)
      .thenComparingInt(Pending::segment).thenComparingInt(Pending::at);

  private final Path file;
  private final boolean includeViews;
  private final FileChannel fileChannel;
  private final long size;
  private final Map<Integer, String> schemaNames = new HashMap<>();
  private final Map<Integer, Channel> channels = new HashMap<>();
  private final List<Segment> segments = new ArrayList<>();
  private final PriorityQueue<Pending> pending = new PriorityQueue<>(ORDER);
  private final Map<Integer, HeldHeaders> heldHeaders = new HashMap<>();
  private final McapCompression.Decompressor decompressor = new McapCompression.Decompressor();
  private final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>();
  private byte[] readBuffer = new byte[1 << 16];
  private int nextSegment;
  private Map<Integer, Long> channelMessageCounts;
  private boolean indexed;

  /**
   * Opens a recording; reads its summary, or scans it once when it has no chunk index.
   *
   * @throws IOException if the file is not an MCAP file, or is corrupt (naming the file and offset)
   */
  public McapReader(Path file) throws IOException {
    this(file, false);
  }

  /**
   * Opens a recording.
   *
   * @param includeViews also return the messages of viewer channels ({@link Role#VIEW})
   */
  public McapReader(Path file, boolean includeViews) throws IOException {
    this.file = file;
    this.includeViews = includeViews;
    this.fileChannel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      this.size = fileChannel.size();
      if (size < Mcap.MAGIC.length) {
        throw new IOException(file + ": too short to be an MCAP file");
      }
      byte[] magic = readAt(0, Mcap.MAGIC.length, "the magic");
      if (!Arrays.equals(Arrays.copyOf(magic, Mcap.MAGIC.length), Mcap.MAGIC)) {
        throw new IOException(file + ": not an MCAP file (bad magic)");
      }
      indexed = readSummary();
      if (!indexed) {
        scan();
      }
      segments.sort(Comparator.comparingLong(Segment::startTime).thenComparingLong(Segment::offset));
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Whether the file was read through its summary's chunk indexes (false: one linear scan). */
  public boolean indexed() {
    return indexed;
  }

  /** The channels known so far (all of them once opened, for a file with a summary), by id. */
  public Map<Integer, Channel> channels() {
    return new TreeMap<>(channels);
  }

  /**
   * The next message in log-time order, or null at the end.
   *
   * @throws IOException on a corrupt or truncated file (naming the file and the position)
   */
  public Message next() throws IOException {
    while (true) {
      while (nextSegment < segments.size()
          && (pending.isEmpty() || segments.get(nextSegment).startTime() <= pending.peek().logTime())) {
        load(nextSegment++);
      }
      Pending p = pending.poll();
      if (p == null) {
        return null;
      }
      Message m = decode(p);
      if (m != null) {
        return m;
      }
    }
  }

  private Message decode(Pending p) throws IOException {
    byte[] buf = p.chunk() != null ? p.chunk().records : p.loose();
    int at = p.chunk() != null ? p.at() : 0;
    ByteBuffer b = ByteBuffer.wrap(buf, at, buf.length - at).order(ByteOrder.LITTLE_ENDIAN);
    b.get(); // opcode
    long length = b.getLong();
    int channelId = b.getShort() & 0xffff;
    long sequence = b.getInt() & 0xffffffffL;
    long logTime = b.getLong();
    b.getLong(); // publish time
    int dataStart = b.position();
    int dataEnd = (int) (at + Mcap.RECORD_PREFIX + length);
    byte[] data = Arrays.copyOfRange(buf, dataStart, dataEnd);
    if (p.chunk() != null && --p.chunk().remaining == 0) {
      freeBuffers.push(p.chunk().records);
      p.chunk().records = null;
    }
    Channel c = channels.get(channelId);
    if (c == null) {
      throw new IOException(file + ": " + where(p) + ": message on channel " + channelId
          + ", which no Channel record defines");
    }
    switch (c.role()) {
      case KAFKA_HEADERS -> {
        String of = c.metadata().get(Mcap.META_HEADERS_OF);
        try {
          heldHeaders.put(Integer.parseInt(of), new HeldHeaders(sequence, KafkaHeadersJson.decode(data)));
        } catch (IOException | RuntimeException e) {
          throw new IOException(file + ": " + where(p) + ": bad Kafka headers message on channel " + channelId
              + " (" + e.getMessage() + ")", e);
        }
        return null;
      }
      case VIEW -> {
        return includeViews ? new Message(c, sequence, logTime, data, List.of()) : null;
      }
      default -> {
        HeldHeaders h = heldHeaders.get(channelId);
        List<Header> headers = List.of();
        if (h != null && h.sequence() == sequence) {
          headers = h.headers();
          heldHeaders.remove(channelId);
        }
        return new Message(c, sequence, logTime, data, headers);
      }
    }
  }

  private String where(Pending p) {
    return p.chunk() != null ? "chunk at offset " + p.chunk().fileOffset + ", record at " + p.at()
        + " of its records" : "message record at offset " + p.fileOffset();
  }

  // ---- the summary -------------------------------------------------------------------------------------------

  /** Reads the footer and summary; true when the summary has Chunk Indexes to read the file by. */
  private boolean readSummary() throws IOException {
    long footerAt = size - Mcap.MAGIC.length - Mcap.RECORD_PREFIX - Mcap.FOOTER_CONTENT;
    if (footerAt < Mcap.MAGIC.length) {
      return false;
    }
    byte[] tail = readAt(footerAt, Mcap.RECORD_PREFIX + Mcap.FOOTER_CONTENT + Mcap.MAGIC.length, "the footer");
    ByteBuffer f = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
    if (f.get() != Mcap.OP_FOOTER || f.getLong() != Mcap.FOOTER_CONTENT
        || !Arrays.equals(Arrays.copyOfRange(tail, tail.length - Mcap.MAGIC.length, tail.length), Mcap.MAGIC)) {
      return false; // no footer (a recording cut short): read it linearly
    }
    long summaryStart = f.getLong();
    long summaryOffsetStart = f.getLong();
    long summaryCrc = f.getInt() & 0xffffffffL;
    if (summaryStart == 0) {
      return false;
    }
    if (summaryStart < Mcap.MAGIC.length || summaryStart > footerAt
        || (summaryOffsetStart != 0 && (summaryOffsetStart < summaryStart || summaryOffsetStart > footerAt))) {
      throw new IOException(file + ": footer at offset " + footerAt + " points its summary outside the file ("
          + summaryStart + ", " + summaryOffsetStart + ")");
    }
    int checked = Math.toIntExact(footerAt + Mcap.RECORD_PREFIX + 16 - summaryStart);
    byte[] summary = readAt(summaryStart, checked, "the summary");
    if (summaryCrc != 0) {
      CRC32 crc = new CRC32();
      crc.update(summary, 0, checked);
      if (crc.getValue() != summaryCrc) {
        throw new IOException(file + ": summary at offset " + summaryStart + " is corrupt: CRC32 "
            + hex(crc.getValue()) + ", the footer says " + hex(summaryCrc));
      }
    }
    int end = (int) ((summaryOffsetStart != 0 ? summaryOffsetStart : footerAt) - summaryStart);
    ByteBuffer s = ByteBuffer.wrap(summary, 0, end).order(ByteOrder.LITTLE_ENDIAN);
    List<Segment> chunks = new ArrayList<>();
    while (s.hasRemaining()) {
      long recordAt = summaryStart + s.position();
      if (s.remaining() < Mcap.RECORD_PREFIX) {
        throw new IOException(file + ": summary record at offset " + recordAt + " is truncated");
      }
      int op = s.get() & 0xff;
      long length = s.getLong();
      if (length < 0 || length > s.remaining()) {
        throw new IOException(file + ": summary record (opcode " + op + ") at offset " + recordAt
            + " runs past the summary (" + length + " bytes)");
      }
      ByteBuffer r = s.slice(s.position(), (int) length).order(ByteOrder.LITTLE_ENDIAN);
      s.position(s.position() + (int) length);
      switch (op) {
        case Mcap.OP_SCHEMA -> schema(r);
        case Mcap.OP_CHANNEL -> channel(r);
        case Mcap.OP_CHUNK_INDEX -> {
          long start = r.getLong();
          r.getLong(); // message_end_time
          long offset = r.getLong();
          long chunkLength = r.getLong();
          if (offset < Mcap.MAGIC.length || chunkLength < Mcap.RECORD_PREFIX || offset + chunkLength > size) {
            throw new IOException(file + ": chunk index at offset " + recordAt + " points outside the file ("
                + offset + " + " + chunkLength + ")");
          }
          chunks.add(new Segment(start, offset, chunkLength, true));
        }
        case Mcap.OP_STATISTICS -> statistics(r);
        default -> {} // attachment and metadata indexes, private records: not needed to replay
      }
    }
    segments.addAll(chunks);
    return !chunks.isEmpty();
  }

  private void statistics(ByteBuffer r) {
    r.position(8 + 2 + 4 + 4 + 4 + 4 + 8 + 8);
    int n = r.getInt();
    int end = r.position() + n;
    Map<Integer, Long> counts = new HashMap<>();
    while (r.position() < end) {
      counts.put(r.getShort() & 0xffff, r.getLong());
    }
    channelMessageCounts = counts.isEmpty() ? null : counts;
  }

  // ---- the linear scan ---------------------------------------------------------------------------------------

  /** One pass over the data section: finds chunks and loose messages, registers channels, checks CRCs. */
  private void scan() throws IOException {
    CRC32 dataCrc = new CRC32();
    try (InputStream raw = Files.newInputStream(file);
        CheckedInputStream in = new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), dataCrc)) {
      in.readNBytes(Mcap.MAGIC.length);
      long at = Mcap.MAGIC.length;
      byte[] prefix = new byte[Mcap.RECORD_PREFIX];
      while (true) {
        long crcBeforeRecord = dataCrc.getValue();
        int n = in.readNBytes(prefix, 0, prefix.length);
        if (n == 0) {
          return; // no Data End, no footer: a recording cut short at a record boundary
        }
        if (n < prefix.length) {
          throw new IOException(file + ": truncated inside the record header at offset " + at);
        }
        ByteBuffer p = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        int op = p.get() & 0xff;
        long length = p.getLong();
        if (length < 0 || length > size - at - Mcap.RECORD_PREFIX) {
          throw new IOException(file + ": truncated inside a record of opcode " + op + " at offset " + at + " ("
              + length + " bytes, the file ends at " + size + ")");
        }
        switch (op) {
          case Mcap.OP_DATA_END -> {
            readFully(in, length, at);
            long declared = length >= 4 ? le(readBuffer, 0).getInt() & 0xffffffffL : 0;
            if (declared != 0 && declared != crcBeforeRecord) {
              throw new IOException(file + ": data section is corrupt: CRC32 " + hex(crcBeforeRecord)
                  + ", the Data End record at offset " + at + " says " + hex(declared));
            }
            return;
          }
          case Mcap.OP_FOOTER -> {
            return;
          }
          case Mcap.OP_MESSAGE -> {
            if (length < MESSAGE_FIELDS) {
              throw new IOException(file + ": message record at offset " + at + " is too short (" + length
                  + " bytes)");
            }
            readFully(in, length, at);
            segments.add(new Segment(le(readBuffer, 6).getLong(), at, Mcap.RECORD_PREFIX + length, false));
          }
          case Mcap.OP_CHUNK -> {
            readFully(in, length, at);
            byte[] records = unpackChunk(readBuffer, 0, (int) length, at);
            long first = registerChunkRecords(records, chunkRecordsLength, at, null, -1);
            freeBuffers.push(records);
            if (first != Long.MAX_VALUE) {
              segments.add(new Segment(first, at, Mcap.RECORD_PREFIX + length, true));
            }
          }
          case Mcap.OP_SCHEMA -> {
            readFully(in, length, at);
            schema(le(readBuffer, 0).limit((int) length));
          }
          case Mcap.OP_CHANNEL -> {
            readFully(in, length, at);
            channel(le(readBuffer, 0).limit((int) length));
          }
          default -> in.skipNBytes(length); // header, indexes, attachments, metadata: nothing to replay
        }
        at += Mcap.RECORD_PREFIX + length;
      }
    } catch (EOFException e) {
      throw new IOException(file + ": truncated (" + e.getMessage() + ")", e);
    }
  }

  private void readFully(InputStream in, long length, long at) throws IOException {
    if (length > Integer.MAX_VALUE - 16) {
      throw new IOException(file + ": record at offset " + at + " is too large to read (" + length + " bytes)");
    }
    ensureReadBuffer((int) length);
    if (in.readNBytes(readBuffer, 0, (int) length) != length) {
      throw new IOException(file + ": truncated inside the record at offset " + at);
    }
  }

  // ---- chunks ------------------------------------------------------------------------------------------------

  /** Uncompressed length of the records {@link #unpackChunk} returned last (the buffer may be longer). */
  private int chunkRecordsLength;

  /**
   * Decompresses a Chunk record's content ({@code content[offset, offset + length)}) into a pooled buffer and
   * checks its CRC.
   */
  private byte[] unpackChunk(byte[] content, int offset, int length, long at) throws IOException {
    try {
      ByteBuffer c = ByteBuffer.wrap(content, offset, length).order(ByteOrder.LITTLE_ENDIAN);
      c.getLong(); // message_start_time
      c.getLong(); // message_end_time
      long uncompressedSize = c.getLong();
      long crc = c.getInt() & 0xffffffffL;
      String compression = string(c);
      long recordsLength = c.getLong();
      if (recordsLength < 0 || recordsLength > c.remaining()) {
        throw new IOException("its records field (" + recordsLength + " bytes) runs past the record");
      }
      if (uncompressedSize < 0 || uncompressedSize > Integer.MAX_VALUE - 16) {
        throw new IOException("it declares " + uncompressedSize + " uncompressed bytes");
      }
      McapCompression codec = McapCompression.ofWireName(compression);
      if (codec == null) {
        throw new IOException("its compression '" + compression + "' is not supported (zstd, lz4 or none)");
      }
      int n = (int) uncompressedSize;
      byte[] records = buffer(n);
      decompressor.decompress(codec, content, c.position(), (int) recordsLength, records, n);
      if (crc != 0) {
        CRC32 actual = new CRC32();
        actual.update(records, 0, n);
        if (actual.getValue() != crc) {
          throw new IOException("CRC32 of its uncompressed records is " + hex(actual.getValue())
              + ", the chunk says " + hex(crc));
        }
      }
      chunkRecordsLength = n;
      return records;
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": chunk at offset " + at + " is corrupt: " + e.getMessage(), e);
    }
  }

  /**
   * Registers the Schema and Channel records of a chunk and, when {@code into} is given, queues its messages as
   * those of segment {@code segment}.
   *
   * @return the earliest message log time in the chunk, or {@link Long#MAX_VALUE} when it has none
   */
  private long registerChunkRecords(byte[] records, int length, long chunkAt, LoadedChunk into, int segment)
      throws IOException {
    long first = Long.MAX_VALUE;
    int pos = 0;
    int messages = 0;
    while (pos < length) {
      if (length - pos < Mcap.RECORD_PREFIX) {
        throw new IOException(file + ": chunk at offset " + chunkAt + ": record at " + pos
            + " of its records is truncated");
      }
      ByteBuffer b = le(records, pos).limit(length);
      int op = b.get() & 0xff;
      long recordLength = b.getLong();
      if (recordLength < 0 || recordLength > length - pos - Mcap.RECORD_PREFIX) {
        throw new IOException(file + ": chunk at offset " + chunkAt + ": record at " + pos + " of its records ("
            + recordLength + " bytes) runs past the chunk's end");
      }
      ByteBuffer r = b.slice(b.position(), (int) recordLength).order(ByteOrder.LITTLE_ENDIAN);
      switch (op) {
        case Mcap.OP_SCHEMA -> schema(r);
        case Mcap.OP_CHANNEL -> channel(r);
        case Mcap.OP_MESSAGE -> {
          if (recordLength < MESSAGE_FIELDS) {
            throw new IOException(file + ": chunk at offset " + chunkAt + ": message record at " + pos
                + " of its records is too short (" + recordLength + " bytes)");
          }
          long logTime = r.getLong(6);
          first = Math.min(first, logTime);
          if (into != null) {
            pending.add(new Pending(logTime, segment, pos, into, null, chunkAt));
          }
          messages++;
        }
        default -> {} // records a future spec or a private writer puts in chunks
      }
      pos += Mcap.RECORD_PREFIX + (int) recordLength;
    }
    if (into != null) {
      into.remaining = messages;
    }
    return first;
  }

  /** Brings segment {@code index} (a chunk or a loose message) into the merge. */
  private void load(int index) throws IOException {
    Segment s = segments.get(index);
    if (s.length() > Integer.MAX_VALUE - 16) {
      throw new IOException(file + ": record at offset " + s.offset() + " is too large to read");
    }
    if (!s.chunk()) {
      byte[] record = readAt(s.offset(), (int) s.length(), "a message record");
      if (record[0] != Mcap.OP_MESSAGE) {
        throw new IOException(file + ": no message record at offset " + s.offset());
      }
      pending.add(new Pending(s.startTime(), index, 0, null, record, s.offset()));
      return;
    }
    ensureReadBuffer((int) s.length());
    readInto(s.offset(), readBuffer, (int) s.length(), "a chunk record");
    ByteBuffer p = le(readBuffer, 0);
    int op = p.get() & 0xff;
    long length = p.getLong();
    if (op != Mcap.OP_CHUNK || length != s.length() - Mcap.RECORD_PREFIX) {
      throw new IOException(file + ": the chunk index points at offset " + s.offset()
          + ", where there is no chunk of " + s.length() + " bytes (opcode " + op + ")");
    }
    byte[] records = unpackChunk(readBuffer, Mcap.RECORD_PREFIX, (int) length, s.offset());
    LoadedChunk chunk = new LoadedChunk(s.offset(), records);
    registerChunkRecords(records, chunkRecordsLength, s.offset(), chunk, index);
    if (chunk.remaining == 0) {
      freeBuffers.push(records);
    }
  }

  /** A buffer of at least {@code n} bytes from the pool of released chunk buffers, or a new one. */
  private byte[] buffer(int n) {
    for (var it = freeBuffers.iterator(); it.hasNext();) {
      byte[] b = it.next();
      if (b.length >= n) {
        it.remove();
        return b;
      }
    }
    return new byte[n];
  }

  // ---- records -----------------------------------------------------------------------------------------------

  private void schema(ByteBuffer r) {
    int id = r.getShort() & 0xffff;
    if (id != 0) {
      schemaNames.put(id, string(r));
    }
  }

  private void channel(ByteBuffer r) {
    int id = r.getShort() & 0xffff;
    int schemaId = r.getShort() & 0xffff;
    String topic = string(r);
    String encoding = string(r);
    Map<String, String> meta = map(r);
    String key = "true".equals(meta.get(Mcap.META_KAFKA_KEY_NULL)) ? null : meta.get(Mcap.META_KAFKA_KEY);
    String kafkaTopic = meta.getOrDefault(Mcap.META_KAFKA_TOPIC, topic);
    String role = meta.getOrDefault(Mcap.META_ROLE, "");
    Role channelRole = switch (role) {
      case Mcap.ROLE_KAFKA_HEADERS -> meta.containsKey(Mcap.META_HEADERS_OF) ? Role.KAFKA_HEADERS : Role.VIEW;
      case Mcap.ROLE_VIEW -> Role.VIEW;
      default -> Role.KAFKA_RECORD;
    };
    String schemaName = schemaId == 0 ? "" : schemaNames.getOrDefault(schemaId, "");
    channels.put(id, new Channel(id, kafkaTopic, key, schemaName, encoding, channelRole, Map.copyOf(meta)));
  }

  private static String string(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException("a string of " + n + " bytes runs past its record");
    }
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> map(ByteBuffer b) {
    int n = b.getInt();
    int end = b.position() + n;
    Map<String, String> m = new HashMap<>();
    while (b.position() < end) {
      m.put(string(b), string(b));
    }
    return m;
  }

  private static ByteBuffer le(byte[] a, int at) {
    return ByteBuffer.wrap(a).position(at).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String hex(long crc) {
    return String.format("0x%08x", crc);
  }

  private void ensureReadBuffer(int n) {
    if (readBuffer.length < n) {
      readBuffer = new byte[Math.max(n, readBuffer.length * 2)];
    }
  }

  private byte[] readAt(long position, int length, String what) throws IOException {
    byte[] b = new byte[length];
    readInto(position, b, length, what);
    return b;
  }

  private void readInto(long position, byte[] into, int length, String what) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(into, 0, length);
    while (b.hasRemaining()) {
      if (fileChannel.read(b, position + b.position()) < 0) {
        throw new IOException(file + ": truncated inside " + what + " at offset " + position);
      }
    }
  }

  // ---- whole-file helpers ------------------------------------------------------------------------------------

  /**
   * Counts the Kafka records of a recording (for the progress bar): from the summary's Statistics when it has
   * per-channel counts, else by reading the file.
   */
  public static long countMessages(Path file) throws IOException {
    try (McapReader r = new McapReader(file)) {
      if (r.channelMessageCounts != null) {
        long n = 0;
        for (Map.Entry<Integer, Long> e : r.channelMessageCounts.entrySet()) {
          Channel c = r.channels.get(e.getKey());
          if (c != null && c.role() == Role.KAFKA_RECORD) {
            n += e.getValue();
          }
        }
        return n;
      }
      long n = 0;
      while (r.next() != null) {
        n++;
      }
      return n;
    }
  }

  /** The earliest log time of any Kafka record, ns, or {@link Long#MAX_VALUE} for an empty recording. */
  public static long earliestLogTimeNs(Path file) throws IOException {
    try (McapReader r = new McapReader(file)) {
      Message first = r.next();
      return first == null ? Long.MAX_VALUE : first.logTimeNs();
    }
  }

  @Override
  public void close() throws IOException {
    decompressor.close();
    fileChannel.close();
  }
}
