package io.depthstream.connect.ros2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Serializes one ROS 2 message as plain CDR, little-endian (XCDR1, what rmw_fastrtps and rmw_cyclonedds put on the
 * wire and rosbag2 stores with message encoding {@code cdr}): OMG DDS-XTypes 1.3 section 7.4.1 and DDSI-RTPS 2.3
 * section 10.
 *
 * <ul>
 *   <li>A 4-byte encapsulation header first: {@code 0x00 0x01} (CDR_LE) and two option bytes {@code 0x00 0x00}.
 *   <li>Every primitive is aligned to its own size (1, 2, 4 or 8 bytes), counted from the end of that header, with
 *       zero padding bytes.
 *   <li>A string is a uint32 length that counts the terminating NUL, its UTF-8 bytes, and the NUL.
 *   <li>A sequence ({@code T[]}) is a uint32 element count, then the elements; a fixed array ({@code T[9]}) only the
 *       elements. Elements are aligned as primitives; an empty sequence adds no padding after its count (as Fast
 *       CDR does; the next field aligns for itself).
 * </ul>
 *
 * <p>One writer is reused from message to message ({@link #reset}): its byte array only grows, so a steady stream
 * of same-sized frames allocates nothing. Not thread-safe.
 */
public final class CdrWriter {
  /** Size of the encapsulation header; alignment counts from here. */
  public static final int HEADER_BYTES = 4;

  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
      ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class,
      ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class,
      ByteOrder.LITTLE_ENDIAN);

  private byte[] buffer;
  private int size;

  /** A writer whose buffer starts at {@code initialCapacity} bytes and grows as needed. */
  public CdrWriter(int initialCapacity) {
    buffer = new byte[Math.max(64, initialCapacity)];
    reset();
  }

  /** Starts a new message: only the encapsulation header. */
  public CdrWriter reset() {
    buffer[0] = 0x00; // representation identifier CDR_LE = 0x0001, big-endian on the wire
    buffer[1] = 0x01;
    buffer[2] = 0x00; // representation options
    buffer[3] = 0x00;
    size = HEADER_BYTES;
    return this;
  }

  /** The message so far: bytes {@code [0, size())} of this array (valid until the next write or reset). */
  public byte[] array() {
    return buffer;
  }

  /** Bytes written, the encapsulation header included. */
  public int size() {
    return size;
  }

  /** A copy of the message. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  public CdrWriter uint8(int v) {
    ensure(1);
    buffer[size++] = (byte) v;
    return this;
  }

  /** A ROS {@code bool}: one byte, 0 or 1. */
  public CdrWriter bool(boolean v) {
    return uint8(v ? 1 : 0);
  }

  public CdrWriter uint16(int v) {
    align(2);
    SHORT.set(buffer, size, (short) v);
    size += 2;
    return this;
  }

  public CdrWriter int32(int v) {
    align(4);
    INT.set(buffer, size, v);
    size += 4;
    return this;
  }

  /** A uint32 from the low 32 bits of {@code v}. */
  public CdrWriter uint32(long v) {
    return int32((int) v);
  }

  public CdrWriter int64(long v) {
    align(8);
    LONG.set(buffer, size, v);
    size += 8;
    return this;
  }

  public CdrWriter float32(float v) {
    align(4);
    FLOAT.set(buffer, size, v);
    size += 4;
    return this;
  }

  public CdrWriter float64(double v) {
    align(8);
    DOUBLE.set(buffer, size, v);
    size += 8;
    return this;
  }

  /** A ROS {@code string}: uint32 byte length including the NUL, the UTF-8 bytes, the NUL. */
  public CdrWriter string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    uint32(utf8.length + 1L);
    ensure(utf8.length + 1);
    System.arraycopy(utf8, 0, buffer, size, utf8.length);
    size += utf8.length;
    buffer[size++] = 0;
    return this;
  }

  /** The element count of a sequence whose elements the caller writes next. */
  public CdrWriter sequenceLength(int count) {
    return uint32(count);
  }

  /** A {@code uint8[]} sequence: count and bytes. */
  public CdrWriter uint8Sequence(byte[] data, int offset, int length) {
    System.arraycopy(data, offset, buffer, uint8SequenceInPlace(length), length);
    return this;
  }

  /**
   * A {@code uint8[]} sequence of {@code length} bytes that the caller fills in place: writes the count, reserves
   * the bytes and returns their offset in {@link #array()} (so a large payload is produced straight into the
   * message, without an intermediate array).
   */
  public int uint8SequenceInPlace(int length) {
    sequenceLength(length);
    ensure(length);
    int at = size;
    size += length;
    return at;
  }

  /** A {@code float32[]} sequence: count, then {@code length} values from {@code values[offset]}. */
  public CdrWriter float32Sequence(float[] values, int offset, int length) {
    sequenceLength(length);
    if (length > 0) {
      align(4);
      ensure(4 * length);
      for (int i = 0; i < length; i++) {
        FLOAT.set(buffer, size + 4 * i, values[offset + i]);
      }
      size += 4 * length;
    }
    return this;
  }

  /** A {@code float64[]} sequence: count, then the values (8-byte aligned when there are any). */
  public CdrWriter float64Sequence(double[] values) {
    sequenceLength(values.length);
    return values.length == 0 ? this : float64Array(values);
  }

  /** A fixed-size {@code float64[N]} array: the N values, no count. */
  public CdrWriter float64Array(double[] values) {
    for (double v : values) {
      float64(v);
    }
    return this;
  }

  /** Zero padding up to a multiple of {@code n} bytes after the encapsulation header. */
  private void align(int n) {
    int pad = (n - (size - HEADER_BYTES) % n) % n;
    ensure(pad + n);
    for (int i = 0; i < pad; i++) {
      buffer[size++] = 0;
    }
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      long wanted = Math.max((long) buffer.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a CDR message over 2 GiB: " + size + " + " + more + " bytes");
      }
      buffer = Arrays.copyOf(buffer, (int) wanted);
    }
  }
}
