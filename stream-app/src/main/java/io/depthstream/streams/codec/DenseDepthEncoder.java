package io.depthstream.streams.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.proto.frames.RosConventions;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DenseUint16Scaled;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SupportDistance;
import java.io.IOException;

/**
 * Encodes a dense {@link DepthMap} (metres, 0 = no measurement) as the payload of a {@link DenseDepth} message, in
 * one sensor kind's {@link OutputEncoding}, and counts the pixels the encoding had to saturate.
 *
 * <p>The payload layouts and their invalid-value conventions are those of {@link DepthWire}. Not thread-safe: one
 * encoder per processor.
 */
public final class DenseDepthEncoder {
  private final OutputEncoding encoding;
  private final boolean withSupport;
  private int saturated;

  /**
   * @param withSupport whether each message carries the per-pixel support channel (DenseDepth.support, width * height
   *     bytes)
   */
  public DenseDepthEncoder(OutputEncoding encoding, boolean withSupport) {
    this.encoding = encoding;
    this.withSupport = withSupport;
  }

  /** An encoder without the support channel. */
  public DenseDepthEncoder(OutputEncoding encoding) {
    this(encoding, false);
  }

  public OutputEncoding encoding() {
    return encoding;
  }

  /** The encoded size of a {@code width x height} payload (and support channel) in bytes, before the header. */
  public long payloadBytes(int width, int height) {
    return (long) width * height * (encoding.bytesPerPixel() + (withSupport ? 1 : 0));
  }

  /**
   * Starts a DenseDepth with its identity, size, intrinsics, method and payload; the caller adds timings and the
   * publish time. The payload's byte array is handed to protobuf without a copy: it is allocated per frame and never
   * reused. {@link #saturatedPixels()} then tells how many pixels were clamped. The node's frame path serialises
   * with {@link #encodeRecord} instead, which writes the same bytes without the payload's own array; this builder
   * form is the plain one that {@code encodeRecord} is tested against, byte for byte.
   *
   * @param id the input frame's identity, copied unchanged
   * @param intrinsics the camera model of {@code dense} (scaled from the input's by super-resolution)
   * @param support the support of {@code dense}, same size; its codes are copied (the map is reused next frame)
   * @throws IllegalArgumentException if the support channel is on and {@code support} does not cover {@code dense}
   */
  public DenseDepth.Builder encode(FrameId id, CameraIntrinsics intrinsics, DepthMap dense, SupportMap support,
      String method, String modelVersion) {
    DenseDepth.Builder out = header(id, intrinsics, dense, method, modelVersion)
        .setFrameId(RosConventions.opticalFrame(id.getSensorId()));
    saturated = 0;
    switch (encoding) {
      case FLOAT32_M -> out.setDenseM(DenseFloat32Metres.newBuilder()
          .setData(UnsafeByteOperations.unsafeWrap(DepthWire.toFloat32Metres(dense))));
      case UINT16_MM -> out.setDenseMm(DenseUint16Millimetres.newBuilder()
          .setData(UnsafeByteOperations.unsafeWrap(uint16(dense))));
      case UINT16_256 -> out.setDenseScaled(DenseUint16Scaled.newBuilder()
          .setData(UnsafeByteOperations.unsafeWrap(uint16(dense)))
          .setUnitsPerMetre(encoding.unitsPerMetre()));
    }
    if (withSupport) {
      checkSupport(dense, support);
      out.setSupport(SupportDistance.newBuilder().setData(ByteString.copyFrom(support.data())));
    }
    return out.setSaturatedPixels(saturated);
  }

  /**
   * Sets what a DenseDepth's fields after the payload-independent ones need once the payload is written: the stage
   * timings and the publish time (fields 7 and 8), for {@link #encodeRecord}.
   */
  @FunctionalInterface
  public interface LateFields {
    /** Sets the fields' final values, once the payload is written. */
    void set(DenseDepth.Builder header);

    /**
     * Sets the fields to values of the same encoded size as the final ones are likely to have, before the payload
     * is written: what is known then (the stage timings before encoding, a publish time of now) and a guess for the
     * rest (the previous frame's encode time). {@link #encodeRecord} places the payload after a header of that size.
     * By default it sets nothing, and the payload goes where the previous frame's header sizes put it.
     */
    default void estimate(DenseDepth.Builder header) {}
  }

  /**
   * The serialised DenseDepth of one frame, as {@link #encode} and {@code late} would build it, byte for byte what
   * {@code DenseDepth.toByteArray()} gives; but the payload is converted straight into the returned array instead of
   * into an array of its own that serialisation then copies (0.6 MB a 640x480 uint16 frame, 1.9 MB a 1242x375
   * float32 one). Protobuf writes fields in number order: the header (fields 1-8), the payload (10-12), then support,
   * saturated count and frame id (13-15). The header's stage timings end with the encode time, known only after the
   * payload is written, so the payload's offset is predicted: from {@code late}'s estimate of those fields where it
   * gives one (the node's knows every timing but the encode time), else from the previous frame's header size. On a
   * miss (a timing or the saturated count changed its varint length) the bytes move once into an array of the right
   * size ({@link #payloadMoves}), which is what every frame cost before.
   *
   * @param late sets the timings and the publish time on the header, once the payload is written
   */
  public byte[] encodeRecord(FrameId id, CameraIntrinsics intrinsics, DepthMap dense, SupportMap support,
      String method, String modelVersion, LateFields late) {
    if (withSupport) {
      checkSupport(dense, support);
    }
    DenseDepth.Builder header = header(id, intrinsics, dense, method, modelVersion);
    int earlySize = header.build().getSerializedSize();
    late.estimate(header);
    int estimatedSize = header.build().getSerializedSize();
    // [header: fields 1-8][payload field: tag, length, {data: tag, length, DATA}{units_per_metre}][fields 13-15]
    int payloadBytes = dense.size() * encoding.bytesPerPixel();
    int dataPrefix = CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(payloadBytes);
    int scaleBytes = encoding == OutputEncoding.UINT16_256
        ? CodedOutputStream.computeFloatSize(DenseUint16Scaled.UNITS_PER_METRE_FIELD_NUMBER, encoding.unitsPerMetre())
        : 0;
    int payloadMessage = dataPrefix + payloadBytes + scaleBytes;
    int fieldPrefix = CodedOutputStream.computeTagSize(payloadFieldNumber())
        + CodedOutputStream.computeUInt32SizeNoTag(payloadMessage);
    int headBytes = estimatedSize > earlySize ? estimatedSize : earlySize + predictedLateBytes;
    byte[] out = new byte[headBytes + fieldPrefix + payloadMessage + predictedTailBytes];
    int dataAt = headBytes + fieldPrefix + dataPrefix;
    saturated = 0;
    switch (encoding) {
      case FLOAT32_M -> DepthWire.toFloat32Metres(dense, out, dataAt);
      case UINT16_MM, UINT16_256 -> saturated = DepthWire.toUint16(dense, encoding.unitsPerMetre(), out, dataAt);
    }
    late.set(header);
    DenseDepth head = header.build();
    DenseDepth.Builder tailFields = DenseDepth.newBuilder().setSaturatedPixels(saturated)
        .setFrameId(RosConventions.opticalFrame(id.getSensorId()));
    if (withSupport) { // written below, while the support map still holds this frame's codes: no copy
      tailFields.setSupport(SupportDistance.newBuilder().setData(UnsafeByteOperations.unsafeWrap(support.data())));
    }
    DenseDepth tail = tailFields.build();
    int actualHead = head.getSerializedSize();
    int actualTail = tail.getSerializedSize();
    predictedLateBytes = actualHead - earlySize;
    predictedTailBytes = actualTail;
    if (actualHead != headBytes || actualTail != out.length - (headBytes + fieldPrefix + payloadMessage)) {
      payloadMoves++;
      byte[] moved = new byte[actualHead + fieldPrefix + payloadMessage + actualTail];
      System.arraycopy(out, dataAt, moved, actualHead + fieldPrefix + dataPrefix, payloadBytes);
      out = moved;
      dataAt = actualHead + fieldPrefix + dataPrefix;
    }
    int dataEnd = dataAt + payloadBytes;
    try {
      CodedOutputStream before = CodedOutputStream.newInstance(out, 0, dataAt);
      head.writeTo(before);
      before.writeTag(payloadFieldNumber(), WireFormat.WIRETYPE_LENGTH_DELIMITED);
      before.writeUInt32NoTag(payloadMessage);
      before.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      before.writeUInt32NoTag(payloadBytes);
      before.checkNoSpaceLeft();
      CodedOutputStream after = CodedOutputStream.newInstance(out, dataEnd, out.length - dataEnd);
      if (scaleBytes > 0) {
        after.writeFloat(DenseUint16Scaled.UNITS_PER_METRE_FIELD_NUMBER, encoding.unitsPerMetre());
      }
      tail.writeTo(after);
      after.checkNoSpaceLeft();
    } catch (IOException e) { // only when the sizes above are wrong: the arrays hold exactly the message
      throw new IllegalStateException("DenseDepth serialised to other sizes than computed: " + e.getMessage(), e);
    }
    return out;
  }

  /** Sizes of the previous frame's timings and publish time, and of its fields after the payload, in bytes. */
  private int predictedLateBytes;
  private int predictedTailBytes;
  private long payloadMoves;

  /**
   * Frames of {@link #encodeRecord} whose payload had to move into a second array because the header or the fields
   * after the payload came out at another size than predicted (each move costs a second record-sized allocation
   * and a copy of the payload).
   */
  public long payloadMoves() {
    return payloadMoves;
  }

  private int payloadFieldNumber() {
    return switch (encoding) {
      case FLOAT32_M -> DenseDepth.DENSE_M_FIELD_NUMBER;
      case UINT16_MM -> DenseDepth.DENSE_MM_FIELD_NUMBER;
      case UINT16_256 -> DenseDepth.DENSE_SCALED_FIELD_NUMBER;
    };
  }

  /** The fields that do not depend on the payload: identity, size, intrinsics, method, model version. */
  private static DenseDepth.Builder header(FrameId id, CameraIntrinsics intrinsics, DepthMap dense, String method,
      String modelVersion) {
    return DenseDepth.newBuilder()
        .setId(id)
        .setWidth(dense.width())
        .setHeight(dense.height())
        .setIntrinsics(intrinsics)
        .setMethod(method)
        .setModelVersion(modelVersion);
  }

  private static void checkSupport(DepthMap dense, SupportMap support) {
    if (!support.sameSizeAs(dense)) {
      throw new IllegalArgumentException("support map is " + support.width() + "x" + support.height()
          + " but the dense depth is " + dense.width() + "x" + dense.height());
    }
  }

  private byte[] uint16(DepthMap dense) {
    byte[] bytes = new byte[dense.size() * 2];
    saturated = DepthWire.toUint16(dense, encoding.unitsPerMetre(), bytes);
    return bytes;
  }

  /** Pixels saturated by the last {@link #encode} or {@link #encodeRecord}. */
  public int saturatedPixels() {
    return saturated;
  }
}
