package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.PointCloud;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The back-projection against points computed by hand from depth_image_proc's point_cloud_xyz formula, X = (u - cx) Z
 * / fx, Y = (v - cy) Z / fy, Z: intrinsics of powers of two make every expected value exact in float.
 */
class PointCloudEncoderTest {
  /** fx = 2, fy = 4, cx = 1.5, cy = 1 on a 4x3 image. */
  private static final CameraIntrinsics K = CameraIntrinsics.newBuilder().setFx(2).setFy(4).setCx(1.5).setCy(1)
      .setWidth(4).setHeight(3).build();

  private static final FrameId ID = FrameId.newBuilder().setSensorId("cam").setSequence(7)
      .setCaptureTimeNs(1_700_000_000_000_000_123L).build();

  /** Depth in metres, 0 = none. */
  private static DepthMap dense() {
    return DepthMap.wrap(4, 3, new float[] {
        2, 0, 4, 8,
        1, 2, 3, 4,
        5, 5, 5, 5});
  }

  /** Support codes of a map where every pixel with depth counts as measured (0) and the rest 250. */
  private static SupportMap allMeasured(DepthMap dense) {
    SupportMap support = new SupportMap();
    support.allMeasured(dense);
    return support;
  }

  /** The xyz of a cloud, as floats. */
  private static float[] xyz(byte[] bytes) {
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private static float[] point(float[] xyz, int index) {
    return new float[] {xyz[3 * index], xyz[3 * index + 1], xyz[3 * index + 2]};
  }

  private static final float NaN = Float.NaN;

  @Test
  void everyPixelBecomesItsPointInTheOpticalFrameAndAPixelWithoutDepthIsANanPoint() {
    PointCloudEncoder encoder = new PointCloudEncoder(1, 4, 0);
    DepthMap dense = dense();
    byte[] out = new byte[(int) encoder.payloadBytes(4, 3)];
    int valid = encoder.backProject(dense, allMeasured(dense), K, out);

    float[] p = xyz(out);
    assertThat(p).hasSize(12 * 3);
    assertThat(valid).isEqualTo(11);
    // (u, v, Z) -> ((u - 1.5) Z / 2, (v - 1) Z / 4, Z)
    assertThat(point(p, 0)).containsExactly(-1.5f, -0.5f, 2f);       // (0, 0), Z 2
    assertThat(point(p, 1)).containsExactly(NaN, NaN, NaN);          // (1, 0): no depth
    assertThat(point(p, 2)).containsExactly(1f, -1f, 4f);            // (2, 0), Z 4
    assertThat(point(p, 3)).containsExactly(6f, -2f, 8f);            // (3, 0), Z 8
    assertThat(point(p, 4)).containsExactly(-0.75f, 0f, 1f);         // (0, 1), Z 1: on the principal row
    assertThat(point(p, 6)).containsExactly(0.75f, 0f, 3f);          // (2, 1), Z 3
    assertThat(point(p, 11)).containsExactly(3.75f, 1.25f, 5f);      // (3, 2), Z 5: right of and below the centre
  }

  @Test
  void decimationKeepsEveryNthPixelInBothDirectionsAsAnOrganizedGrid() {
    PointCloudEncoder encoder = new PointCloudEncoder(2, 4, 0);
    assertThat(encoder.columns(4)).isEqualTo(2);
    assertThat(encoder.rows(3)).isEqualTo(2); // ceil(3 / 2): row 2 is kept
    DepthMap dense = dense();
    byte[] out = new byte[(int) encoder.payloadBytes(4, 3)];
    assertThat(out).hasSize(2 * 2 * PointCloudEncoder.POINT_BYTES);

    assertThat(encoder.backProject(dense, allMeasured(dense), K, out)).isEqualTo(4);
    float[] p = xyz(out);
    assertThat(point(p, 0)).containsExactly(-1.5f, -0.5f, 2f);  // pixel (0, 0)
    assertThat(point(p, 1)).containsExactly(1f, -1f, 4f);       // pixel (2, 0)
    assertThat(point(p, 2)).containsExactly(-3.75f, 1.25f, 5f); // pixel (0, 2)
    assertThat(point(p, 3)).containsExactly(1.25f, 1.25f, 5f);  // pixel (2, 2)
  }

  @Test
  void depthInventedFartherFromAMeasurementThanTheLimitIsNoPoint() {
    // Only column 0 was measured: the support distance of column c is c pixels.
    DepthMap input = DepthMap.wrap(4, 3, new float[] {2, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0});
    SupportMap support = new SupportMap();
    support.compute(input, new SpecialPixels(), 1);
    PointCloudEncoder encoder = new PointCloudEncoder(1, 1, 0);
    byte[] out = new byte[(int) encoder.payloadBytes(4, 3)];

    int valid = encoder.backProject(dense(), support, K, out);

    float[] p = xyz(out);
    // Columns 0 and 1 (distance 0 and 1) keep their points, except (1, 0), which has no depth; 2 and 3 are invented.
    assertThat(valid).isEqualTo(5);
    assertThat(point(p, 5)).containsExactly(-0.5f, 0f, 2f); // (1, 1), Z 2, one pixel from a measurement
    for (int i : new int[] {2, 3, 6, 7, 10, 11}) {
      assertThat(point(p, i)).as("point %d", i).containsExactly(NaN, NaN, NaN);
    }
    assertThat(new PointCloudEncoder(1, 0, 0).backProject(dense(), support, K, out)).as("measured pixels only")
        .isEqualTo(3);
  }

  @Test
  void pixelsWhereTheSensorReportedInfinityAndDepthBeyondTheRangeLimitAreNoPoints() {
    DepthMap input = dense();
    SpecialPixels specials = new SpecialPixels();
    specials.add(1, SpecialPixels.NO_RETURN);   // (1, 0): +Inf, the method then fills in some depth
    SupportMap support = new SupportMap();
    support.compute(input, specials, 1);
    DepthMap filled = dense();
    filled.set(1, 0, 9f);
    // Every support distance (250 included) passes; only the +Inf code (254) does not.
    PointCloudEncoder everything = new PointCloudEncoder(1, SupportMap.MAX_DISTANCE, 0);
    byte[] out = new byte[(int) everything.payloadBytes(4, 3)];
    assertThat(everything.backProject(filled, support, K, out)).isEqualTo(11);
    assertThat(point(xyz(out), 1)).containsExactly(NaN, NaN, NaN);

    PointCloudEncoder nearOnly = new PointCloudEncoder(1, SupportMap.MAX_DISTANCE, 4.5);
    assertThat(nearOnly.backProject(filled, support, K, out)).as("z 8 and the 5 m row are beyond 4.5 m")
        .isEqualTo(6);
    assertThat(point(xyz(out), 2)).containsExactly(1f, -1f, 4f);
    assertThat(point(xyz(out), 3)).containsExactly(NaN, NaN, NaN);
  }

  @Test
  void realCalibrationsFollowTheFormulaToFloatPrecision() {
    // KITTI 2011_09_26 P_rect_02: fx = fy = 721.5377, cx = 609.5593, cy = 172.854, a 1242x375 image.
    CameraIntrinsics kitti = CameraIntrinsics.newBuilder().setFx(721.5377).setFy(721.5377).setCx(609.5593)
        .setCy(172.854).setWidth(1242).setHeight(375).build();
    DepthMap dense = DepthMap.allocate(1242, 375);
    dense.set(1000, 300, 12.5f);
    PointCloudEncoder encoder = new PointCloudEncoder(1, 4, 0);
    byte[] out = new byte[(int) encoder.payloadBytes(1242, 375)];
    assertThat(encoder.backProject(dense, allMeasured(dense), kitti, out)).isOne();
    float[] p = point(xyz(out), 300 * 1242 + 1000);
    // (1000 - 609.5593) * 12.5 / 721.5377 = 6.764038...; (300 - 172.854) * 12.5 / 721.5377 = 2.202692...
    assertThat(p[0]).isCloseTo(6.764038f, within(2e-5f));
    assertThat(p[1]).isCloseTo(2.202692f, within(2e-5f));
    assertThat(p[2]).isEqualTo(12.5f);
  }

  @Test
  void theMessageCarriesTheGridTheSettingsAndThePointsLittleEndian() {
    PointCloudEncoder encoder = new PointCloudEncoder(2, 3, 6.0);
    DepthMap dense = dense();
    PointCloud cloud = encoder.encode(ID, K, dense, allMeasured(dense));

    assertThat(cloud.getId()).isEqualTo(ID);
    assertThat(cloud.getWidth()).isEqualTo(2);
    assertThat(cloud.getHeight()).isEqualTo(2);
    assertThat(cloud.getDecimation()).isEqualTo(2);
    assertThat(cloud.getIntrinsics()).isEqualTo(K);
    assertThat(cloud.getSupportMaxPx()).isEqualTo(3);
    assertThat(cloud.getRangeMaxM()).isEqualTo(6f);
    assertThat(cloud.getValidPoints()).isEqualTo(4).isEqualTo(encoder.validPoints());
    assertThat(cloud.getXyz().size()).isEqualTo(2 * 2 * 12);
    assertThat(point(xyz(cloud.getXyz().toByteArray()), 3)).containsExactly(1.25f, 1.25f, 5f);
    assertThat(new PointCloudEncoder(1, 4, 0).encode(ID, K, dense, allMeasured(dense)).getRangeMaxM())
        .as("no range limit is 0 on the wire").isZero();
  }

  @Test
  void badSettingsAndAMismatchedSupportMapAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> new PointCloudEncoder(0, 4, 0)).hasMessageContaining("decimation must be >= 1");
    assertThatThrownBy(() -> new PointCloudEncoder(1, 251, 0)).hasMessageContaining("0 .. 250");
    assertThatThrownBy(() -> new PointCloudEncoder(1, 4, Double.NaN)).hasMessageContaining("range limit");
    SupportMap wrongSize = allMeasured(DepthMap.allocate(2, 2));
    PointCloudEncoder encoder = new PointCloudEncoder(1, 4, 0);
    assertThatThrownBy(() -> encoder.backProject(dense(), wrongSize, K, new byte[144]))
        .hasMessageContaining("support map is 2x2 but the dense depth is 4x3");
  }
}
