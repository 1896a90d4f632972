package io.depthstream.streams.codec;

import com.google.protobuf.UnsafeByteOperations;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.StageTimings;

/**
 * Encodes a dense {@link DepthMap} (metres, 0 = no measurement) as a {@link DenseDepth} message.
 *
 * <p>The payload layouts and their invalid-value conventions are those of {@link DepthWire}.
 */
public final class DenseDepthEncoder {
  private final boolean float32;

  /** @param float32 true for float32 metres (NaN = invalid), false for uint16 millimetres (0 = invalid) */
  public DenseDepthEncoder(boolean float32) {
    this.float32 = float32;
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
