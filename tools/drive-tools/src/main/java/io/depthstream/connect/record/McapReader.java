package io.depthstream.connect.record;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the messages of an unchunked MCAP file (as {@link McapWriter} writes them) in file order. Chunked files
 * from other recorders are rejected with a clear message (record with {@link DriveRecorder}).
 */
public final class McapReader implements AutoCloseable {
  /** A channel: Kafka topic and key, value schema name (empty for raw bytes) and message encoding. */
  public record Channel(int id, String topic, String key, String schemaName, String encoding) {}

  /** One message: its channel, per-channel sequence, log time (ns since epoch) and value bytes. */
  public record Message(Channel channel, long sequence, long logTimeNs, byte[] data) {
    /** The Kafka record timestamp it came from, ms. */
    public long timestampMs() {
      return Math.floorDiv(logTimeNs, 1_000_000L);
    }
  }

  private final Path file;
  private final DataInputStream in;
  private final Map<Integer, String> schemas = new HashMap<>();
  private final Map<Integer, Channel> channels = new HashMap<>();
  private boolean done;

  /**
   * Opens a recording.
   *
   * @throws IOException if the file is not an MCAP file
   */
  public McapReader(Path file) throws IOException {
    this.file = file;
    this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    byte[] magic = new byte[Mcap.MAGIC.length];
    try {
      in.readFully(magic);
    } catch (EOFException e) {
      in.close();
      throw new IOException(file + ": too short to be an MCAP file");
    }
    if (!Arrays.equals(magic, Mcap.MAGIC)) {
      in.close();
      throw new IOException(file + ": not an MCAP file (bad magic)");
    }
  }

  /**
   * The next message, or null at the end of the data section.
   *
   * @throws IOException on a truncated or malformed file (naming the file and the position)
   */
  public Message next() throws IOException {
    while (!done) {
      int op = in.read();
      if (op < 0) {
        done = true; // a recording cut short (no footer) still yields its complete messages
        return null;
      }
      long length = Long.reverseBytes(readLong());
      if (length < 0 || length > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": record of opcode " + op + " has an impossible length " + length);
      }
      byte[] content = new byte[(int) length];
      try {
        in.readFully(content);
      } catch (EOFException e) {
        throw new IOException(file + ": truncated inside a record of opcode " + op + " (" + length + " bytes)");
      }
      ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
      switch (op) {
        case Mcap.OP_SCHEMA -> {
          int id = b.getShort() & 0xffff;
          schemas.put(id, string(b));
        }
        case Mcap.OP_CHANNEL -> {
          int id = b.getShort() & 0xffff;
          int schemaId = b.getShort() & 0xffff;
          String topic = string(b);
          String encoding = string(b);
          Map<String, String> meta = map(b);
          String key = "true".equals(meta.get(Mcap.META_KAFKA_KEY_NULL)) ? null : meta.get(Mcap.META_KAFKA_KEY);
          String kafkaTopic = meta.getOrDefault(Mcap.META_KAFKA_TOPIC, topic);
          channels.put(id, new Channel(id, kafkaTopic, key, schemaId == 0 ? "" : schemas.getOrDefault(schemaId, ""),
              encoding));
        }
        case Mcap.OP_MESSAGE -> {
          int channelId = b.getShort() & 0xffff;
          long seq = b.getInt() & 0xffffffffL;
          long logTime = b.getLong();
          b.getLong(); // publish time: the same as log time in our recordings
          Channel c = channels.get(channelId);
          if (c == null) {
            throw new IOException(file + ": message on channel " + channelId + " before its Channel record");
          }
          byte[] data = Arrays.copyOfRange(content, b.position(), content.length);
          return new Message(c, seq, logTime, data);
        }
        case Mcap.OP_CHUNK -> throw new IOException(file + ": chunked MCAP is not supported by this player; "
            + "record with 'depthstream-record' or convert the file to unchunked first");
        case Mcap.OP_DATA_END, Mcap.OP_FOOTER -> done = true;
        default -> { } // Header, indexes, attachments, metadata: nothing to replay
      }
    }
    return null;
  }

  /** Counts the messages of a recording (one pass; used for the progress bar). */
  public static long countMessages(Path file) throws IOException {
    long n = 0;
    try (McapReader r = new McapReader(file)) {
      while (r.skipToNextMessage()) {
        n++;
      }
    }
    return n;
  }

  /**
   * The earliest log time of any message, ns, or {@link Long#MAX_VALUE} for an empty recording. Not simply the
   * first message's: a recording of several topics or partitions holds them in consumer order, which is not
   * time order across partitions.
   */
  public static long earliestLogTimeNs(Path file) throws IOException {
    long min = Long.MAX_VALUE;
    try (McapReader r = new McapReader(file)) {
      while (!r.done) {
        int op = r.in.read();
        if (op < 0) {
          break;
        }
        long length = Long.reverseBytes(r.readLong());
        if (op == Mcap.OP_MESSAGE) {
          // channel id (uint16), sequence (uint32), log time (uint64), little-endian
          r.in.skipNBytes(6);
          min = Math.min(min, Long.reverseBytes(r.readLong()));
          r.in.skipNBytes(length - 14);
        } else if (op == Mcap.OP_DATA_END || op == Mcap.OP_FOOTER) {
          break;
        } else {
          r.in.skipNBytes(length);
        }
      }
    }
    return min;
  }

  private boolean skipToNextMessage() throws IOException {
    while (!done) {
      int op = in.read();
      if (op < 0) {
        return false;
      }
      long length = Long.reverseBytes(readLong());
      if (op == Mcap.OP_MESSAGE) {
        in.skipNBytes(length);
        return true;
      }
      if (op == Mcap.OP_DATA_END || op == Mcap.OP_FOOTER) {
        done = true;
        return false;
      }
      in.skipNBytes(length);
    }
    return false;
  }

  private long readLong() throws IOException {
    try {
      return in.readLong();
    } catch (EOFException e) {
      throw new IOException(file + ": truncated inside a record header");
    }
  }

  private static String string(ByteBuffer b) {
    int n = b.getInt();
    String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
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

  @Override
  public void close() throws IOException {
    in.close();
  }
}
