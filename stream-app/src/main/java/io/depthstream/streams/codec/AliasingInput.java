package io.depthstream.streams.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;

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
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
    in.enableAliasing(true);
    return in;
  }
}
