package io.depthstream.proto.foxglove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import foxglove.CameraCalibrationOuterClass.CameraCalibration;
import foxglove.LaserScanOuterClass.LaserScan;
import foxglove.QuaternionOuterClass.Quaternion;
import foxglove.RawImageOuterClass.RawImage;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DenseUint16Scaled;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.SparseSamples;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FoxgloveConversionTest {
  /** 1.5 s and 7 ns after the epoch. */
  private static final FrameId ID = FrameId.newBuilder().setSensorId("kinect0").setSequence(3)
      .setCaptureTimeNs(1_500_000_007L).build();

  @Test
  void uint16MillimetresAre16UC1WithTheSameBytes() {
    ByteString mm = ByteString.copyFrom(new byte[] {(byte) 0xe8, 0x03, 0, 0, 1, 0}); // 1000 mm, hole, 1 mm
    RawImage image = FoxgloveConversion.image(DepthFrame.newBuilder().setId(ID).setWidth(3).setHeight(1)
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(mm)).build()).orElseThrow();
    assertThat(image.getEncoding()).isEqualTo("16UC1");
    assertThat(image.getWidth()).isEqualTo(3);
    assertThat(image.getHeight()).isEqualTo(1);
    assertThat(image.getStep()).isEqualTo(6);
    assertThat(image.getData()).isEqualTo(mm);
    assertThat(image.getFrameId()).isEqualTo("kinect0_optical_frame");
    assertThat(image.getTimestamp().getSeconds()).isEqualTo(1);
    assertThat(image.getTimestamp().getNanos()).isEqualTo(500_000_007);
  }

  @Test
  void float32MetresAre32FC1AndScaledDepthBecomesMetres() {
    ByteString m = ByteString.copyFrom(floats(1.25f, Float.NaN));
    RawImage dense = FoxgloveConversion.image(DenseDepth.newBuilder().setId(ID).setWidth(2).setHeight(1)
        .setDenseM(DenseFloat32Metres.newBuilder().setData(m)).build()).orElseThrow();
    assertThat(dense.getEncoding()).isEqualTo("32FC1");
    assertThat(dense.getStep()).isEqualTo(8);
    assertThat(dense.getData()).isEqualTo(m);

    // KITTI-style 1/256 m: 512 = 2 m, 0 = no depth (NaN in float metres)
    ByteString scaled = ByteString.copyFrom(new byte[] {0, 2, 0, 0});
    RawImage fromScaled = FoxgloveConversion.image(DenseDepth.newBuilder().setId(ID).setWidth(2).setHeight(1)
        .setDenseScaled(DenseUint16Scaled.newBuilder().setData(scaled).setUnitsPerMetre(256)).build()).orElseThrow();
    assertThat(fromScaled.getEncoding()).isEqualTo("32FC1");
    assertThat(fromScaled.getData().toByteArray()).isEqualTo(floats(2f, Float.NaN));

    // A caller's reused array, longer than this image: the image is its first 8 bytes.
    byte[] reused = new byte[64];
    RawImage intoReused = FoxgloveConversion.image(DenseDepth.newBuilder().setId(ID).setWidth(2).setHeight(1)
        .setDenseScaled(DenseUint16Scaled.newBuilder().setData(scaled).setUnitsPerMetre(256)).build(),
        bytes -> reused).orElseThrow();
    assertThat(intoReused.getData().toByteArray()).isEqualTo(floats(2f, Float.NaN));
    assertThat(intoReused.getStep()).isEqualTo(8);

    // Scaled depth that shares a larger array (a message parsed with aliasing): its bytes start at an offset.
    byte[] record = {9, 9, 9, 0, 2, 0, 0, 9};
    ByteString atOffset = com.google.protobuf.UnsafeByteOperations.unsafeWrap(record, 3, 4);
    RawImage fromShared = FoxgloveConversion.image(DenseDepth.newBuilder().setId(ID).setWidth(2).setHeight(1)
        .setDenseScaled(DenseUint16Scaled.newBuilder().setData(atOffset).setUnitsPerMetre(256)).build())
        .orElseThrow();
    assertThat(fromShared.getData().toByteArray()).isEqualTo(floats(2f, Float.NaN));
  }

  @Test
  void sparseSamplesAreDrawnIntoAFloatImageWithNaNElsewhere() {
    DepthFrame sparse = DepthFrame.newBuilder().setId(ID).setWidth(3).setHeight(2)
        .setSparse(SparseSamples.newBuilder().addIndex(1).addDepthM(4.5f).addIndex(5)
            .addDepthM(Float.POSITIVE_INFINITY))
        .build();
    RawImage image = FoxgloveConversion.image(sparse).orElseThrow();
    assertThat(image.getEncoding()).isEqualTo("32FC1");
    assertThat(image.getData().toByteArray())
        .isEqualTo(floats(Float.NaN, 4.5f, Float.NaN, Float.NaN, Float.NaN, Float.NaN));
    DepthFrame outside = sparse.toBuilder().setSparse(SparseSamples.newBuilder().addIndex(6).addDepthM(1)).build();
    assertThatThrownBy(() -> FoxgloveConversion.image(outside)).hasMessageContaining("index 6 outside 3x2");
    assertThat(FoxgloveConversion.image(DepthFrame.newBuilder().setId(ID).build())).isEmpty();
  }

  @Test
  void calibrationIsThePinholeMatrixScaledToTheImage() {
    CameraIntrinsics k = CameraIntrinsics.newBuilder().setFx(500).setFy(400).setCx(320).setCy(240).setWidth(640)
        .setHeight(480).build();
    CameraCalibration same = FoxgloveConversion.calibration(ID, k, 640, 480).orElseThrow();
    assertThat(same.getKList()).containsExactly(500.0, 0.0, 320.0, 0.0, 400.0, 240.0, 0.0, 0.0, 1.0);
    assertThat(same.getPList()).containsExactly(500.0, 0.0, 320.0, 0.0, 0.0, 400.0, 240.0, 0.0, 0.0, 0.0, 1.0, 0.0);
    assertThat(same.getRList()).containsExactly(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0);
    assertThat(same.getDistortionModel()).isEqualTo("plumb_bob");
    assertThat(same.getDList()).containsExactly(0.0, 0.0, 0.0, 0.0, 0.0);
    assertThat(same.getFrameId()).isEqualTo("kinect0_optical_frame");
    CameraCalibration half = FoxgloveConversion.calibration(ID, k, 320, 240).orElseThrow();
    assertThat(half.getKList()).containsExactly(250.0, 0.0, 160.0, 0.0, 200.0, 120.0, 0.0, 0.0, 1.0);
    assertThat(half.getWidth()).isEqualTo(320);
    assertThat(FoxgloveConversion.calibration(ID, CameraIntrinsics.getDefaultInstance(), 640, 480)).isEmpty();
  }

  @Test
  void calibrationCarriesTheDistortionTheIntrinsicsGiveUnscaled() {
    CameraIntrinsics k = CameraIntrinsics.newBuilder().setFx(500).setFy(400).setCx(320).setCy(240).setWidth(640)
        .setHeight(480).setDistortionModel("rational_polynomial")
        .addAllDistortion(java.util.List.of(0.1, -0.2, 0.001, 0.002, 0.03, 0.4, -0.5, 0.06)).build();
    CameraCalibration half = FoxgloveConversion.calibration(ID, k, 320, 240).orElseThrow();
    assertThat(half.getDistortionModel()).isEqualTo("rational_polynomial");
    // Coefficients act on normalized coordinates: the same at any image size.
    assertThat(half.getDList()).containsExactly(0.1, -0.2, 0.001, 0.002, 0.03, 0.4, -0.5, 0.06);
  }

  @Test
  void theScanKeepsItsBearingsAndLiesInTheCameraPlaneAheadAndLeft() {
    NavigationGuidance g = NavigationGuidance.newBuilder().setId(ID).setScan(io.depthstream.proto.v1.LaserScan
        .newBuilder().setAngleMinRad(-0.5f).setAngleIncrementRad(0.25f).addRangesM(2).addRangesM(Float.NaN)
        .addRangesM(Float.POSITIVE_INFINITY).addRangesM(3).addRangesM(1)).build();
    LaserScan scan = FoxgloveConversion.laserScan(g).orElseThrow();
    assertThat(scan.getStartAngle()).isEqualTo(-0.5);
    assertThat(scan.getEndAngle()).isEqualTo(0.5);
    assertThat(scan.getRangesList()).containsExactly(2.0, Double.NaN, Double.POSITIVE_INFINITY, 3.0, 1.0);
    assertThat(scan.getFrameId()).isEqualTo("kinect0_optical_frame");
    // The pose rotates scan axes into the optical frame: ahead (scan +x) is camera +z, left (scan +y) is camera
    // -x, up (scan +z) is camera -y (image rows grow downwards).
    Quaternion q = scan.getPose().getOrientation();
    assertThat(rotate(q, 1, 0, 0)).containsExactly(new double[] {0, 0, 1}, within(1e-12));
    assertThat(rotate(q, 0, 1, 0)).containsExactly(new double[] {-1, 0, 0}, within(1e-12));
    assertThat(rotate(q, 0, 0, 1)).containsExactly(new double[] {0, -1, 0}, within(1e-12));
    assertThat(FoxgloveConversion.laserScan(NavigationGuidance.newBuilder().setId(ID).build())).isEmpty();
  }

  /** v' = q v q*, expanded (the standard rotation-matrix form of a unit quaternion). */
  private static double[] rotate(Quaternion q, double x, double y, double z) {
    double qx = q.getX();
    double qy = q.getY();
    double qz = q.getZ();
    double qw = q.getW();
    return new double[] {
        (1 - 2 * (qy * qy + qz * qz)) * x + 2 * (qx * qy - qz * qw) * y + 2 * (qx * qz + qy * qw) * z,
        2 * (qx * qy + qz * qw) * x + (1 - 2 * (qx * qx + qz * qz)) * y + 2 * (qy * qz - qx * qw) * z,
        2 * (qx * qz - qy * qw) * x + 2 * (qy * qz + qx * qw) * y + (1 - 2 * (qx * qx + qy * qy)) * z};
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }
}
