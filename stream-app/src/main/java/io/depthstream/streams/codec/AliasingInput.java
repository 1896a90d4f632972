package io.depthstream.streams.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;

/**
 * Protobuf input over a record's bytes whose {@code bytes} fields point into that array instead of being copied
 * (0.6 MB for a 640x480 uint16 payload). {@code CodedInputStream.newInstance(byte[])} ignores
 * {@code enableAliasing(true)}: protobuf aliases only input it was told is immutable, which an array wrapped as a
 * {@code ByteString} is. The caller promises what that means: nothing writes to the array while the parsed message
 * is in use. A Kafka record's value is a fresh array per record that nobody writes to, so the frame path may alias.
 */
public final class AliasingInput {
  private AliasingInput() {}

  /** A reader of {@code bytes} with aliasing on. */
  public static CodedInputStream of(byte[] bytes) {
    return aliasing(UnsafeByteOperations.unsafeWrap(bytes));
  }

  /**
   * A reader of {@code buffer}'s remaining bytes with aliasing on: a consumer's record value as a view of its fetched
   * batch ({@code ByteBufferDeserializer}), which the consumer never writes to again.
   */
  public static CodedInputStream of(ByteBuffer buffer) {
    return aliasing(UnsafeByteOperations.unsafeWrap(buffer));
  }

  private static CodedInputStream aliasing(ByteString bytes) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    return in;
  }
}
