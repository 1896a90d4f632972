package io.depthstream.connect.frames;

import com.google.protobuf.UnsafeByteOperations;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.proto.frames.RosConventions;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SparseSamples;
import java.util.List;

/** Builds wire {@link DepthFrame}s from depth maps (metres, 0 = no measurement); shared by every source. */
public final class DepthFrames {
  private DepthFrames() {}

  /**
   * Intrinsics of a {@code width x height} undistorted image: {@value RosConventions#PLUMB_BOB} with five zero coefficients.
   * Every source's input is undistorted or says nothing else: KITTI's LiDAR is projected into the rectified camera
   * (P_rect), a synthetic drive is an ideal pinhole, and the RGB-D, vSLAM and focal-stack settings carry no
   * distortion coefficients.
   */
  public static CameraIntrinsics intrinsics(double fx, double fy, double cx, double cy, int width, int height) {
    return CameraIntrinsics.newBuilder().setFx(fx).setFy(fy).setCx(cx).setCy(cy).setWidth(width).setHeight(height)
        .setDistortionModel(RosConventions.PLUMB_BOB).addAllDistortion(List.of(0.0, 0.0, 0.0, 0.0, 0.0)).build();
  }

  /** A dense uint16-millimetre frame (Kinect-style: holes are 0). */
  public static DepthFrame denseMillimetres(FrameId id, CameraIntrinsics k, DepthMap depth) {
    return header(id, k, depth)
        .setDenseMm(DenseUint16Millimetres.newBuilder()
            .setData(UnsafeByteOperations.unsafeWrap(DepthWire.toUint16Millimetres(depth))))
        .build();
  }

  /**
   * A dense uint16-millimetre frame from ready wire bytes ({@code 2 * width * height}, little-endian, 0 = none);
   * the bytes are wrapped, not copied, so the caller must not reuse the array.
   */
  public static DepthFrame denseMillimetres(FrameId id, CameraIntrinsics k, int width, int height, byte[] mmLe) {
    if (mmLe.length != 2L * width * height) {
      throw new IllegalArgumentException("dense mm payload has " + mmLe.length + " bytes, " + width + "x" + height
          + " needs " + 2L * width * height);
    }
    return DepthFrame.newBuilder().setId(id).setWidth(width).setHeight(height).setIntrinsics(k)
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(UnsafeByteOperations.unsafeWrap(mmLe)))
        .build();
  }

  /** A sparse frame listing the valid pixels of {@code depth} in row-major order (LiDAR and vSLAM style). */
  public static DepthFrame sparse(FrameId id, CameraIntrinsics k, DepthMap depth) {
    float[] d = depth.data();
    SparseSamples.Builder samples = SparseSamples.newBuilder();
    for (int i = 0; i < d.length; i++) {
      if (d[i] > 0f) {
        samples.addIndex(i).addDepthM(d[i]);
      }
    }
    return header(id, k, depth).setSparse(samples).build();
  }

  private static DepthFrame.Builder header(FrameId id, CameraIntrinsics k, DepthMap depth) {
    return DepthFrame.newBuilder().setId(id).setWidth(depth.width()).setHeight(depth.height()).setIntrinsics(k);
  }
}
