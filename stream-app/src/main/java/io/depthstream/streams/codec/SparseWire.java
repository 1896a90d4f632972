package io.depthstream.streams.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.SparseSamples;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A sparse DepthFrame's samples read straight from the record bytes into reused primitive arrays, so that its
 * decoder does not build protobuf's lists of them first: the generic parse spent 4-8 ns a sample on a 30,000-sample
 * frame, three quarters of its decode (issue 16).
 *
 * <p>Only the form every protobuf writer produces is read here: one {@code sparse} field and no other payload field
 * in the frame, and inside it each of {@code index} and {@code depth_m} packed, at most once, nothing else, varints
 * of at most 5 bytes. Anything else (unpacked or repeated arrays, unknown fields, malformed bytes) is left to the
 * generic parse, so every frame decodes, or fails with the same reason, as before. The samples themselves are
 * validated by the caller. Not thread-safe: one per decoder.
 */
final class SparseWire {
  private static final VarHandle LITTLE_ENDIAN_FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int SPARSE = DepthFrame.SPARSE_FIELD_NUMBER;
  private static final int INDEX = SparseSamples.INDEX_FIELD_NUMBER;
  private static final int DEPTH = SparseSamples.DEPTH_M_FIELD_NUMBER;

  private int[] indices = new int[0];
  private float[] depths = new float[0];
  private int indexCount;
  private int depthCount;
  private boolean held;
  /** The frame's sparse field, tag to end, as byte offsets: the rest of the frame is parsed around it. */
  private int fieldStart;
  private int fieldEnd;

  /**
   * Reads the samples of {@code bytes} when it is a DepthFrame whose payload is one sparse field in the form above.
   *
   * @return whether it was: the samples are then {@link #indices()} and {@link #depths()}, and
   *     {@link #frameWithoutSamples} gives the rest of the frame
   */
  boolean read(byte[] bytes) {
    held = false;
    int samplesStart = -1;
    int samplesEnd = -1;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      while (true) {
        int at = in.getTotalBytesRead();
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        int field = WireFormat.getTagFieldNumber(tag);
        if (field == DepthFrame.DENSE_MM_FIELD_NUMBER || field == DepthFrame.DENSE_M_FIELD_NUMBER) {
          return false; // the payload is a oneof: which one wins is the generic parse's business
        }
        if (field != SPARSE) {
          in.skipField(tag);
          continue;
        }
        if (samplesStart >= 0 || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          return false;
        }
        int length = in.readRawVarint32();
        samplesStart = in.getTotalBytesRead();
        if (length < 0 || length > bytes.length - samplesStart) {
          return false;
        }
        in.skipRawBytes(length);
        samplesEnd = samplesStart + length;
        fieldStart = at;
        fieldEnd = samplesEnd;
      }
    } catch (IOException e) { // malformed: the generic parse reports it
      return false;
    }
    held = samplesStart >= 0 && readSamples(bytes, samplesStart, samplesEnd);
    return held;
  }

  /** Reads the SparseSamples message in {@code bytes[start, end)}; false when it is not in the form above. */
  private boolean readSamples(byte[] bytes, int start, int end) {
    int indexStart = -1;
    int indexEnd = -1;
    int depthStart = -1;
    int depthEnd = -1;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes, start, end - start);
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        int field = WireFormat.getTagFieldNumber(tag);
        boolean first = field == INDEX ? indexStart < 0 : field == DEPTH && depthStart < 0;
        if (!first || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          return false;
        }
        int length = in.readRawVarint32();
        int from = start + in.getTotalBytesRead();
        if (length < 0 || length > end - from) {
          return false;
        }
        in.skipRawBytes(length);
        if (field == INDEX) {
          indexStart = from;
          indexEnd = from + length;
        } else {
          depthStart = from;
          depthEnd = from + length;
        }
      }
    } catch (IOException e) {
      return false;
    }
    if (depthStart >= 0 && (depthEnd - depthStart) % 4 != 0) {
      return false;
    }
    return readIndices(bytes, indexStart, indexEnd) && readDepths(bytes, depthStart, depthEnd);
  }

  /** Decodes the packed varints of {@code bytes[start, end)} (none when start < 0); false on one over 5 bytes. */
  private boolean readIndices(byte[] bytes, int start, int end) {
    indexCount = 0;
    if (start < 0) {
      return true;
    }
    if (indices.length < end - start) { // at least one byte a value
      indices = new int[end - start];
    }
    int[] out = indices;
    int n = 0;
    int p = start;
    while (p < end) {
      int b = bytes[p++];
      if (b >= 0) {
        out[n++] = b;
        continue;
      }
      int value = b & 0x7F;
      int shift = 7;
      while (true) {
        if (p == end || shift > 28) {
          return false; // truncated, or longer than a 32-bit varint's 5 bytes
        }
        b = bytes[p++];
        value |= (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
      }
      out[n++] = value;
    }
    indexCount = n;
    return true;
  }

  private boolean readDepths(byte[] bytes, int start, int end) {
    depthCount = start < 0 ? 0 : (end - start) / 4;
    if (depths.length < depthCount) {
      depths = new float[depthCount];
    }
    float[] out = depths;
    for (int i = 0; i < depthCount; i++) {
      out[i] = (float) LITTLE_ENDIAN_FLOAT.get(bytes, start + 4 * i);
    }
    return true;
  }

  /**
   * The frame of the last {@link #read} without its sparse field: the bytes before and after that field parsed into
   * one message (protobuf merges concatenated messages field by field), so its payload case is unset; null when those
   * bytes do not parse (the generic parse then reports why).
   */
  DepthFrame frameWithoutSamples(byte[] bytes) {
    try {
      return DepthFrame.newBuilder().mergeFrom(bytes, 0, fieldStart)
          .mergeFrom(bytes, fieldEnd, bytes.length - fieldEnd).build();
    } catch (InvalidProtocolBufferException e) {
      held = false;
      return null;
    }
  }

  /** Takes the samples of a generically parsed frame. */
  void copy(SparseSamples samples) {
    indexCount = samples.getIndexCount();
    depthCount = samples.getDepthMCount();
    if (indices.length < indexCount) {
      indices = new int[indexCount];
    }
    if (depths.length < depthCount) {
      depths = new float[depthCount];
    }
    for (int i = 0; i < indexCount; i++) {
      indices[i] = samples.getIndex(i);
    }
    for (int i = 0; i < depthCount; i++) {
      depths[i] = samples.getDepthM(i);
    }
    held = true;
  }

  /** Drops what the last {@link #read} held: the frame was parsed the generic way. */
  void forget() {
    held = false;
  }

  /** Whether samples read from the wire are held for the current frame. */
  boolean holdsSamples() {
    return held;
  }

  int indexCount() {
    return indexCount;
  }

  int depthCount() {
    return depthCount;
  }

  /** The sample indices, valid up to {@link #indexCount()}; reused by the next frame. */
  int[] indices() {
    return indices;
  }

  /** The sample depths in metres, valid up to {@link #depthCount()}; reused by the next frame. */
  float[] depths() {
    return depths;
  }
}
