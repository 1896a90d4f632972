package io.depthstream.streams.codec;

import com.google.protobuf.UnsafeByteOperations;
import io.depthstream.depth.DepthMap;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.StageTimings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes a dense {@link DepthMap} (metres, 0 = no measurement) as a {@link DenseDepth} message.
 *
 * <p>uint16 millimetres: round to the nearest millimetre, 0 stays 0 (invalid), depths of 65.535 m or more
 * saturate at 65535. float32 metres: 0 becomes NaN (invalid), everything else is written as is.
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
   * @param input the decoded input frame header (identity, size, intrinsics)
   * @param dense the reconstructed depth, same size as the input frame
   * @param timings the earlier stages' timings; encode_ns is set here
   */
  public DenseDepth encode(DepthFrame input, DepthMap dense, String method, String modelVersion,
      StageTimings.Builder timings) {
    long start = System.nanoTime();
    DenseDepth.Builder out = DenseDepth.newBuilder()
        .setId(input.getId())
        .setWidth(dense.width())
        .setHeight(dense.height())
        .setIntrinsics(input.getIntrinsics())
        .setMethod(method)
        .setModelVersion(modelVersion);
    // The byte array is handed to protobuf without a copy; it is freshly allocated per frame and never reused.
    if (float32) {
      out.setDenseM(DenseFloat32Metres.newBuilder().setData(UnsafeByteOperations.unsafeWrap(toFloat32(dense))));
    } else {
      out.setDenseMm(DenseUint16Millimetres.newBuilder().setData(UnsafeByteOperations.unsafeWrap(toUint16(dense))));
    }
    timings.setEncodeNs(System.nanoTime() - start);
    return out.setTimings(timings).setPublishTimeNs(WallClock.nanos()).build();
  }

  /** uint16 little-endian millimetres, 0 = invalid, saturating at 65535. */
  public static byte[] toUint16(DepthMap depth) {
    float[] d = depth.data();
    byte[] bytes = new byte[d.length * 2];
    for (int i = 0, j = 0; i < d.length; i++, j += 2) {
      int mm = d[i] > 0f ? Math.min(65_535, Math.max(1, Math.round(d[i] * 1000f))) : 0;
      bytes[j] = (byte) mm;
      bytes[j + 1] = (byte) (mm >>> 8);
    }
    return bytes;
  }

  /** float32 little-endian metres, NaN = invalid. */
  public static byte[] toFloat32(DepthMap depth) {
    float[] d = depth.data();
    ByteBuffer bb = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : d) {
      bb.putFloat(v > 0f ? v : Float.NaN);
    }
    return bb.array();
  }
}
