package io.depthstream.streams.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.StageTimings;
import io.depthstream.proto.v1.SupportDistance;

/**
 * Encodes a dense {@link DepthMap} (metres, 0 = no measurement) as a {@link DenseDepth} message.
 *
 * <p>The payload layouts and their invalid-value conventions are those of {@link DepthWire}.
 */
public final class DenseDepthEncoder {
  private final boolean float32;
  private final boolean withSupport;

  /** @param float32 true for float32 metres (NaN = invalid), false for uint16 millimetres (0 = invalid) */
  public DenseDepthEncoder(boolean float32) {
    this(float32, false);
  }

  /**
   * @param float32 true for float32 metres (NaN = invalid), false for uint16 millimetres (0 = invalid)
   * @param withSupport whether {@link #encode(FrameId, CameraIntrinsics, DepthMap, SupportMap, String, String,
   *     StageTimings.Builder)} adds the support channel (DenseDepth.support, width * height bytes)
   */
  public DenseDepthEncoder(boolean float32, boolean withSupport) {
    this.float32 = float32;
    this.withSupport = withSupport;
  }

  /**
   * As {@link #encode(FrameId, CameraIntrinsics, DepthMap, String, String, StageTimings.Builder)}, plus the
   * per-pixel support channel when this encoder was made with {@code withSupport} (the codes are copied: the
   * {@link SupportMap} is reused for the next frame).
   *
   * @param support the support of {@code dense}, same size
   * @throws IllegalArgumentException if the support channel is on and {@code support} does not cover {@code dense}
   */
  public DenseDepth encode(FrameId id, CameraIntrinsics intrinsics, DepthMap dense, SupportMap support, String method,
      String modelVersion, StageTimings.Builder timings) {
    if (!withSupport) {
      return encode(id, intrinsics, dense, method, modelVersion, timings);
    }
    if (!support.sameSizeAs(dense)) {
      throw new IllegalArgumentException("support map is " + support.width() + "x" + support.height()
          + " but the dense map is " + dense.width() + "x" + dense.height());
    }
    long start = System.nanoTime();
    SupportDistance channel = SupportDistance.newBuilder().setData(ByteString.copyFrom(support.data())).build();
    long copyNs = System.nanoTime() - start;
    DenseDepth encoded = encode(id, intrinsics, dense, method, modelVersion, timings);
    timings.setEncodeNs(timings.getEncodeNs() + copyNs);
    return encoded.toBuilder().setSupport(channel).setTimings(timings).build();
  }

  /**
   * Encodes {@code dense}, measuring the conversion to the wire encoding into {@code timings.encode_ns} and
   * stamping {@code publish_time_ns} with the wall clock at the end.
   *
   * @param id the input frame's identity, copied unchanged
   * @param intrinsics the camera model of {@code dense} (scaled from the input's by super-resolution)
   * @param dense the reconstructed depth
   * @param timings the earlier stages' timings; encode_ns is set here
   */
  public DenseDepth encode(FrameId id, CameraIntrinsics intrinsics, DepthMap dense, String method,
      String modelVersion, StageTimings.Builder timings) {
    long start = System.nanoTime();
    DenseDepth.Builder out = DenseDepth.newBuilder()
        .setId(id)
        .setWidth(dense.width())
        .setHeight(dense.height())
        .setIntrinsics(intrinsics)
        .setMethod(method)
        .setModelVersion(modelVersion);
    // The byte array is handed to protobuf without a copy; it is freshly allocated per frame and never reused.
    if (float32) {
      out.setDenseM(DenseFloat32Metres.newBuilder().setData(UnsafeByteOperations.unsafeWrap(DepthWire.toFloat32Metres(dense))));
    } else {
      out.setDenseMm(DenseUint16Millimetres.newBuilder().setData(UnsafeByteOperations.unsafeWrap(DepthWire.toUint16Millimetres(dense))));
    }
    timings.setEncodeNs(System.nanoTime() - start);
    return out.setTimings(timings).setPublishTimeNs(WallClock.nanos()).build();
  }
}
