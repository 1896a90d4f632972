package io.depthstream.streams.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GuidanceComputerTest {
  // 5 columns, fx = 2, cx = 2: column u has lateral factor (u - 2) / 2 = -1, -0.5, 0, 0.5, 1.
  private static final CameraIntrinsics K =
      CameraIntrinsics.newBuilder().setFx(2).setFy(2).setCx(2).setCy(1).setWidth(5).setHeight(3).build();
  private static final FrameId ID = FrameId.newBuilder().setSensorId("s").build();

  private static GuidanceComputer computer(int sectors, double alert) {
    return new GuidanceComputer(new GuidanceSettings(sectors, 0.0, 1.0, 0.1, 10.0, 0.6, alert));
  }

  private static DepthMap wall(float z) {
    float[] d = new float[15];
    Arrays.fill(d, z);
    return DepthMap.wrap(5, 3, d);
  }

  @Test
  void oneSectorPerColumnGivesTheHorizontalRangeOfAFlatWall() {
    NavigationGuidance g = computer(5, 1.0).compute(ID, K, wall(2f));
    LaserScan scan = g.getScan();
    // r = z * sqrt(1 + lateral^2); sectors run right (u = 4) to left (u = 0).
    assertThat(scan.getRangesMList()).hasSize(5);
    assertThat(scan.getRangesM(0)).isCloseTo((float) (2 * Math.sqrt(2)), within(1e-5f)); // u = 4, lateral 1
    assertThat(scan.getRangesM(1)).isCloseTo((float) (2 * Math.sqrt(1.25)), within(1e-5f)); // u = 3
    assertThat(scan.getRangesM(2)).isCloseTo(2f, within(1e-6f)); // u = 2, on the axis
    assertThat(scan.getRangesM(4)).isCloseTo((float) (2 * Math.sqrt(2)), within(1e-5f)); // u = 0
    // The centre sector points straight ahead; angles grow to the left.
    float centre = scan.getAngleMinRad() + 2 * scan.getAngleIncrementRad();
    assertThat(centre).isCloseTo(0f, within(1e-6f));
    assertThat(scan.getAngleIncrementRad()).isPositive();
  }

  @Test
  void theFloorBelowTheScanBandRaisesNoAlert() {
    // Band = the middle row only (rows [1, 2) of 3); the bottom row is floor 0.4 m away, the middle row a wall at 3 m.
    GuidanceComputer banded = new GuidanceComputer(new GuidanceSettings(5, 1.0 / 3, 2.0 / 3, 0.1, 10.0, 0.6, 1.0));
    float[] d = new float[15];
    Arrays.fill(d, 3f);
    Arrays.fill(d, 10, 15, 0.4f);
    NavigationGuidance g = banded.compute(ID, K, DepthMap.wrap(5, 3, d));
    assertThat(g.getAlert().getObstacle()).isFalse();
    assertThat(g.getAlert().getNearestM()).isEqualTo(3f);
    assertThat(g.getScan().getRowBegin()).isEqualTo(1);
    assertThat(g.getScan().getRowEnd()).isEqualTo(2);
  }

  @Test
  void conventionsForNoDataTooFarAndTooNear() {
    float[] d = new float[15];
    // Column 0 (leftmost, sector 4): nothing. Column 2: 50 m (beyond range_max 10). Column 4: 0.05 m (< 0.1).
    for (int v = 0; v < 3; v++) {
      d[v * 5 + 2] = 50f;
      d[v * 5 + 4] = 0.05f;
    }
    LaserScan scan = computer(5, 1.0).compute(ID, K, DepthMap.wrap(5, 3, d)).getScan();
    assertThat(scan.getRangesM(4)).isNaN();
    assertThat(scan.getRangesM(2)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(scan.getRangesM(0)).isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void alertsOnlyForObstaclesInsideTheCorridor() {
    // A wall at 1 m: the corridor |x| <= 0.6 m holds columns with |lateral| * 1 <= 0.6, i.e. u = 1, 2, 3.
    NavigationGuidance near = computer(5, 1.5).compute(ID, K, wall(1f));
    assertThat(near.getAlert().getObstacle()).isTrue();
    assertThat(near.getAlert().getNearestM()).isEqualTo(1f);
    // Something at 0.5 m but only in column 0 (x = -0.5 m, inside) vs column 4 at 0.2 m with x = 0.2 m.
    float[] d = new float[15];
    Arrays.fill(d, 5f);
    d[5] = 0.5f; // (u=0, v=1): x = -1 * 0.5 = -0.5, inside
    NavigationGuidance g = computer(5, 1.0).compute(ID, K, DepthMap.wrap(5, 3, d));
    assertThat(g.getAlert().getObstacle()).isTrue();
    assertThat(g.getAlert().getNearestM()).isEqualTo(0.5f);
    assertThat(g.getAlert().getBearingRad()).isCloseTo((float) Math.atan(1.0), within(1e-6f)); // to the left
    // Far to the side: z = 3 at column 0 puts x = -3 m, outside the corridor; nothing else is near.
    Arrays.fill(d, 5f);
    d[5] = 3f;
    NavigationGuidance clear = computer(5, 4.0).compute(ID, K, DepthMap.wrap(5, 3, d));
    assertThat(clear.getAlert().getNearestM()).isEqualTo(5f);
    assertThat(clear.getAlert().getObstacle()).isFalse();
  }
}
