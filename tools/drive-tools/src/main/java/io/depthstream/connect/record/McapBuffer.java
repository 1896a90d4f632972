package io.depthstream.connect.record;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A growable little-endian byte buffer for MCAP record contents, reused across chunks: {@link #reset()} keeps the
 * array, so a recording allocates its chunk buffer once (plus growth to the largest chunk).
 */
final class McapBuffer extends ByteArrayOutputStream {
  McapBuffer(int initialCapacity) {
    super(initialCapacity);
  }

  /** The backing array; valid up to {@link #size()}. */
  byte[] array() {
    return buf;
  }

  /** Grows the array to at least {@code capacity} bytes, keeping the content. */
  void ensureCapacity(int capacity) {
    if (buf.length < capacity) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }
  }

  /** Sets the content length after the array was filled directly (see {@link #array()}). */
  void setSize(int size) {
    count = size;
  }

  McapBuffer u8(int v) {
    write(v);
    return this;
  }

  McapBuffer u16(int v) {
    write(v);
    write(v >>> 8);
    return this;
  }

  McapBuffer u32(long v) {
    for (int i = 0; i < 4; i++) {
      write((int) (v >>> (8 * i)));
    }
    return this;
  }

  McapBuffer u64(long v) {
    for (int i = 0; i < 8; i++) {
      write((int) (v >>> (8 * i)));
    }
    return this;
  }

  McapBuffer string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u32(b.length);
    write(b, 0, b.length);
    return this;
  }

  /** uint32 length-prefixed bytes. */
  McapBuffer bytes32(byte[] b) {
    u32(b.length);
    write(b, 0, b.length);
    return this;
  }

  McapBuffer raw(byte[] b, int off, int len) {
    write(b, off, len);
    return this;
  }

  /** A {@code Map<string, string>}: byte length, then key and value strings. */
  McapBuffer map(Map<String, String> m) {
    int lengthAt = beginLength();
    for (Map.Entry<String, String> e : m.entrySet()) {
      string(e.getKey()).string(e.getValue());
    }
    endLength(lengthAt);
    return this;
  }

  /** Starts a uint32 byte-length-prefixed field (a map or array); returns the position for {@link #endLength}. */
  int beginLength() {
    int at = count;
    u32(0);
    return at;
  }

  /** Fills in the byte length of the field begun at {@code at}. */
  void endLength(int at) {
    patchU32(at, count - at - 4);
  }

  /** Starts a record: opcode and a length placeholder; returns the position to pass to {@link #endRecord}. */
  int beginRecord(int opcode) {
    int at = count;
    u8(opcode).u64(0);
    return at;
  }

  /** Fills in the content length of the record begun at {@code at}: what was written after its prefix. */
  void endRecord(int at) {
    setRecordLength(at, count - at - Mcap.RECORD_PREFIX);
  }

  /** Sets the content length of the record begun at {@code at} (for content written elsewhere, or fixed). */
  void setRecordLength(int at, long length) {
    for (int i = 0; i < 8; i++) {
      buf[at + 1 + i] = (byte) (length >>> (8 * i));
    }
  }

  private void patchU32(int at, long v) {
    for (int i = 0; i < 4; i++) {
      buf[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
