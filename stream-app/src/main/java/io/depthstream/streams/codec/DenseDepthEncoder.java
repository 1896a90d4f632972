package io.depthstream.streams.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
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
   * reused. {@link #saturatedPixels()} then tells how many pixels were clamped.
   *
   * @param id the input frame's identity, copied unchanged
   * @param intrinsics the camera model of {@code dense} (scaled from the input's by super-resolution)
   * @param support the support of {@code dense}, same size; its codes are copied (the map is reused next frame)
   * @throws IllegalArgumentException if the support channel is on and {@code support} does not cover {@code dense}
   */
  public DenseDepth.Builder encode(FrameId id, CameraIntrinsics intrinsics, DepthMap dense, SupportMap support,
      String method, String modelVersion) {
    DenseDepth.Builder out = DenseDepth.newBuilder()
        .setId(id)
        .setFrameId(RosConventions.opticalFrame(id.getSensorId()))
        .setWidth(dense.width())
        .setHeight(dense.height())
        .setIntrinsics(intrinsics)
        .setMethod(method)
        .setModelVersion(modelVersion);
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
      if (!support.sameSizeAs(dense)) {
        throw new IllegalArgumentException("support map is " + support.width() + "x" + support.height()
            + " but the dense depth is " + dense.width() + "x" + dense.height());
      }
      out.setSupport(SupportDistance.newBuilder().setData(ByteString.copyFrom(support.data())));
    }
    return out.setSaturatedPixels(saturated);
  }

  private byte[] uint16(DepthMap dense) {
    byte[] bytes = new byte[dense.size() * 2];
    saturated = DepthWire.toUint16(dense, encoding.unitsPerMetre(), bytes);
    return bytes;
  }

  /** Pixels saturated by the last {@link #encode}. */
  public int saturatedPixels() {
    return saturated;
  }
}
