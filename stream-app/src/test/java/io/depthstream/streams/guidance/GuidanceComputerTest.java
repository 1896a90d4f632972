package io.depthstream.streams.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.MeasuredBits;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.ProximityAlert;
import io.depthstream.streams.guidance.GuidanceSettings.GroundPlane;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GuidanceComputerTest {
  // 5 columns, fx = 2, cx = 2: column u has lateral factor (u - 2) / 2 = -1, -0.5, 0, 0.5, 1.
  // 3 rows, fy = 2, cy = 1: row v has (v - cy) / fy = -0.5, 0, 0.5.
  private static final CameraIntrinsics K =
      CameraIntrinsics.newBuilder().setFx(2).setFy(2).setCx(2).setCy(1).setWidth(5).setHeight(3).build();
  private static final FrameId ID = FrameId.newBuilder().setSensorId("s").build();

  private static GuidanceSettings settings(int sectors, double alert, int supportMaxPx, GroundPlane ground) {
    return new GuidanceSettings(sectors, 0.0, 1.0, 0.1, 10.0, 0.6, alert, supportMaxPx, ground);
  }

  private static GuidanceComputer computer(int sectors, double alert) {
    return new GuidanceComputer(settings(sectors, alert, 0, GroundPlane.OFF));
  }

  private static DepthMap wall(float z) {
    float[] d = new float[15];
    Arrays.fill(d, z);
    return DepthMap.wrap(5, 3, d);
  }

  /** The support of a map whose every pixel with depth was measured. */
  private static SupportMap measured(DepthMap dense) {
    SupportMap s = new SupportMap();
    s.compute(dense, new SpecialPixels(), 1);
    return s;
  }

  private static NavigationGuidance measuredGuidance(GuidanceComputer c, DepthMap dense) {
    return c.compute(ID, K, dense, measured(dense));
  }

  @Test
  void oneSectorPerColumnGivesTheHorizontalRangeOfAFlatWall() {
    NavigationGuidance g = measuredGuidance(computer(5, 1.0), wall(2f));
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
    // ROS LaserScan's angle_max is the last (leftmost) sector's centre, mirror image of angle_min; the columns of a
    // depth image are captured at once (time_increment 0) and the node does not know the frame rate (scan_time 0).
    assertThat(scan.getAngleMaxRad()).isCloseTo(scan.getAngleMinRad() + 4 * scan.getAngleIncrementRad(),
        within(1e-6f));
    assertThat(scan.getAngleMaxRad()).isCloseTo(-scan.getAngleMinRad(), within(1e-6f)).isPositive();
    assertThat(scan.getTimeIncrementS()).isZero();
    assertThat(scan.getScanTimeS()).isZero();
  }

  /** Middle row a wall at 3 m; bottom row (v - cy)/fy = 0.5: the floor of a camera 0.4 m up is at z = 0.4 / 0.5. */
  private static DepthMap wallWithFloor() {
    float[] d = new float[15];
    Arrays.fill(d, 3f);
    Arrays.fill(d, 10, 15, 0.8f);
    return DepthMap.wrap(5, 3, d);
  }

  @Test
  void theAlertCoversAllRowsSoTheFloorAlertsUnlessTheGroundPlaneIsSet() {
    // Band = the middle row only; the alert still looks at the bottom row.
    GuidanceSettings off = new GuidanceSettings(5, 1.0 / 3, 2.0 / 3, 0.1, 10.0, 0.6, 1.0, 0, GroundPlane.OFF);
    NavigationGuidance g = measuredGuidance(new GuidanceComputer(off), wallWithFloor());
    assertThat(g.getScan().getRowBegin()).isEqualTo(1);
    assertThat(g.getScan().getRowEnd()).isEqualTo(2);
    assertThat(g.getScan().getRangesM(2)).isEqualTo(3f); // the scan sees the band only
    assertThat(g.getAlert().getNearestM()).isEqualTo(0.8f);
    assertThat(g.getAlert().getObstacle()).isTrue();
    // Camera 0.4 m above the floor, level: floor height 0.4 - 0.8 * 0.5 = 0 <= clearance 0.1: not an obstacle.
    GuidanceSettings ground = new GuidanceSettings(5, 1.0 / 3, 2.0 / 3, 0.1, 10.0, 0.6, 1.0, 0,
        new GroundPlane(0.4, 0, 0.1, 0));
    NavigationGuidance floor = measuredGuidance(new GuidanceComputer(ground), wallWithFloor());
    assertThat(floor.getAlert().getObstacle()).isFalse();
    assertThat(floor.getAlert().getNearestM()).isEqualTo(3f);
  }

  @Test
  void aLowObstacleBelowTheBandAlertsAboveTheFloorAndUnderTheRobotsHeight() {
    DepthMap d = wallWithFloor();
    d.set(2, 2, 0.5f); // bottom centre: height 0.4 - 0.5 * 0.5 = 0.15 m above the floor
    GuidanceSettings ground = new GuidanceSettings(5, 1.0 / 3, 2.0 / 3, 0.1, 10.0, 0.6, 1.0, 0,
        new GroundPlane(0.4, 0, 0.1, 0));
    ProximityAlert alert = measuredGuidance(new GuidanceComputer(ground), d).getAlert();
    assertThat(alert.getObstacle()).isTrue();
    assertThat(alert.getNearestM()).isEqualTo(0.5f);
    assertThat(alert.getBearingRad()).isEqualTo(0f);
    // The same point as an overhang (nothing below it, like a table top) passes over a robot 0.12 m tall.
    GuidanceSettings low = new GuidanceSettings(5, 1.0 / 3, 2.0 / 3, 0.1, 10.0, 0.6, 1.0, 0,
        new GroundPlane(0.4, 0, 0.1, 0.12));
    ProximityAlert under = measuredGuidance(new GuidanceComputer(low), d).getAlert();
    assertThat(under.getObstacle()).isFalse();
    assertThat(under.getNearestM()).isEqualTo(Float.POSITIVE_INFINITY); // measured, and nothing in the way
  }

  @Test
  void aPitchedCameraSeesTheFloorOnItsOpticalAxis() {
    // Pitched 30 deg down, 0.4 m up: the axis (row 1) meets the floor at z = 0.4 / sin(30 deg) = 0.8 m.
    float[] d = new float[15];
    Arrays.fill(d, 5f);
    Arrays.fill(d, 5, 10, 0.8f);
    DepthMap dense = DepthMap.wrap(5, 3, d);
    ProximityAlert level = measuredGuidance(new GuidanceComputer(settings(5, 1.0, 0,
        new GroundPlane(0.4, 0, 0.1, 0))), dense).getAlert();
    assertThat(level.getObstacle()).as("level camera: a wall 0.8 m ahead at camera height").isTrue();
    ProximityAlert pitched = measuredGuidance(new GuidanceComputer(settings(5, 1.0, 0,
        new GroundPlane(0.4, 30, 0.1, 0))), dense).getAlert();
    assertThat(pitched.getObstacle()).isFalse();
  }

  @Test
  void depthFarFromAnyMeasurementIsUnknownNotFreeSpace() {
    // Measured: columns 0 and 4 only; the method filled the rest with 1 m. Support distance of column 2 is 2 px.
    DepthMap input = DepthMap.allocate(5, 3);
    for (int v = 0; v < 3; v++) {
      input.set(0, v, 1f);
      input.set(4, v, 1f);
    }
    SupportMap support = new SupportMap();
    support.compute(input, new SpecialPixels(), 1);
    NavigationGuidance strict = computer(5, 1.5).compute(ID, K, wall(1f), support);
    assertThat(strict.getScan().getRangesM(0)).isCloseTo((float) Math.sqrt(2), within(1e-6f)); // u = 4, measured
    assertThat(strict.getScan().getRangesM(1)).isNaN();
    assertThat(strict.getScan().getRangesM(2)).isNaN();
    assertThat(strict.getScan().getRangesM(3)).isNaN();
    // The corridor at 1 m holds columns 1..3 only (|x| = |lateral| <= 0.6): all unknown, so no alert.
    assertThat(strict.getAlert().getNearestM()).isNaN();
    assertThat(strict.getAlert().getObstacle()).isFalse();
    assertThat(strict.getAlert().getBearingRad()).isNaN();
    // Allowing 1 px of support takes in columns 1 and 3 (1 px from a measurement), not column 2.
    NavigationGuidance near = new GuidanceComputer(settings(5, 1.5, 1, GroundPlane.OFF))
        .compute(ID, K, wall(1f), support);
    assertThat(near.getScan().getRangesM(1)).isCloseTo((float) Math.sqrt(1.25), within(1e-6f));
    assertThat(near.getScan().getRangesM(2)).isNaN();
    assertThat(near.getAlert().getNearestM()).isEqualTo(1f);
    assertThat(near.getAlert().getObstacle()).isTrue();
  }

  @Test
  void infinitePixelsFollowRep117() {
    DepthMap input = wall(2f);
    SpecialPixels specials = new SpecialPixels();
    for (int v = 0; v < 3; v++) {
      input.set(0, v, 0f); // column 0: no return at all
      specials.add(v * 5, SpecialPixels.NO_RETURN);
    }
    input.set(4, 0, 0f); // column 4: one no-return pixel, two returns at 2 m
    specials.add(4, SpecialPixels.NO_RETURN);
    input.set(2, 1, 0f); // centre: nearer than the sensor's minimum range
    specials.add(7, SpecialPixels.TOO_CLOSE);
    SupportMap support = new SupportMap();
    support.compute(input, specials, 1);
    NavigationGuidance g = computer(5, 1.0).compute(ID, K, wall(2f), support); // the method filled the holes
    LaserScan scan = g.getScan();
    assertThat(scan.getRangesM(4)).isEqualTo(Float.POSITIVE_INFINITY); // only +Inf in the sector
    assertThat(scan.getRangesM(0)).isCloseTo((float) (2 * Math.sqrt(2)), within(1e-5f)); // a nearer return wins
    assertThat(scan.getRangesM(2)).isEqualTo(Float.NEGATIVE_INFINITY); // -Inf wins over the 2 m returns
    assertThat(g.getAlert().getObstacle()).isTrue();
    assertThat(g.getAlert().getNearestM()).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(g.getAlert().getBearingRad()).isEqualTo(0f);
  }

  @Test
  void conventionsForTooFarAndTooNear() {
    float[] d = new float[15];
    // Column 2: 50 m (beyond range_max 10). Column 4: 0.05 m (< 0.1). Column 0: nothing measured, 2 px away.
    for (int v = 0; v < 3; v++) {
      d[v * 5 + 2] = 50f;
      d[v * 5 + 4] = 0.05f;
    }
    LaserScan scan = measuredGuidance(computer(5, 1.0), DepthMap.wrap(5, 3, d)).getScan();
    assertThat(scan.getRangesM(4)).isNaN();
    assertThat(scan.getRangesM(2)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(scan.getRangesM(0)).isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void alertsOnlyForObstaclesInsideTheCorridor() {
    // A wall at 1 m: the corridor |x| <= 0.6 m holds columns with |lateral| * 1 <= 0.6, i.e. u = 1, 2, 3.
    NavigationGuidance near = measuredGuidance(computer(5, 1.5), wall(1f));
    assertThat(near.getAlert().getObstacle()).isTrue();
    assertThat(near.getAlert().getNearestM()).isEqualTo(1f);
    // Something at 0.5 m in column 0 (x = -0.5 m, inside).
    float[] d = new float[15];
    Arrays.fill(d, 5f);
    d[5] = 0.5f; // (u=0, v=1): x = -1 * 0.5 = -0.5, inside
    NavigationGuidance g = measuredGuidance(computer(5, 1.0), DepthMap.wrap(5, 3, d));
    assertThat(g.getAlert().getObstacle()).isTrue();
    assertThat(g.getAlert().getNearestM()).isEqualTo(0.5f);
    assertThat(g.getAlert().getBearingRad()).isCloseTo((float) Math.atan(1.0), within(1e-6f)); // to the left
    // Far to the side: z = 3 at column 0 puts x = -3 m, outside the corridor; nothing else is near.
    Arrays.fill(d, 5f);
    d[5] = 3f;
    NavigationGuidance clear = measuredGuidance(computer(5, 4.0), DepthMap.wrap(5, 3, d));
    assertThat(clear.getAlert().getNearestM()).isEqualTo(5f);
    assertThat(clear.getAlert().getObstacle()).isFalse();
  }

  /**
   * The scan and the alert visit exactly the supported pixels, whatever their layout in the support's 64-bit words:
   * runs that start at bit 0, end at bit 63, span whole words, single pixels, and a last word only partly inside the
   * image. The reference is the same computer given one supported pixel at a time: every range is a minimum over
   * pixels, so the frame's result is the minimum of the one-pixel results (unknown sectors aside). Each trial puts
   * the frame's nearest point on a word's first or last column, so a run cut short or started late changes the alert.
   */
  @Test
  void supportedPixelsAreVisitedWhateverTheirLayoutInTheWords() {
    int w = 150;
    int h = 3;
    CameraIntrinsics k = CameraIntrinsics.newBuilder().setFx(120).setFy(120).setCx(75).setCy(1).setWidth(w)
        .setHeight(h).build();
    GuidanceComputer computer = new GuidanceComputer(settings(16, 1.5, 0, GroundPlane.OFF));
    Random random = new Random(16);
    int[] wordEdges = {0, 63, 64, 127, 128, 149};
    for (int trial = 0; trial < 2 * wordEdges.length; trial++) {
      DepthMap dense = DepthMap.allocate(w, h);
      MeasuredBits bits = new MeasuredBits();
      bits.reset(w, h);
      for (int v = 0; v < h; v++) {
        for (int u = 0; u < w; u++) {
          dense.set(u, v, random.nextInt(10) == 0 ? 0f : 1f + 4f * random.nextFloat());
        }
        // Runs of random lengths, some across word boundaries (64, 128) and up to the last column.
        for (int u = random.nextInt(3); u < w; u += 1 + random.nextInt(40)) {
          for (int end = Math.min(w, u + 1 + random.nextInt(v == 1 ? 70 : 8)); u < end; u++) {
            bits.set(u, v);
          }
        }
      }
      int nearestColumn = wordEdges[trial % wordEdges.length];
      dense.set(nearestColumn, 1, 0.5f); // the nearest point of the frame, inside the corridor
      bits.set(nearestColumn, 1);
      NavigationGuidance whole = computer.compute(ID, k, dense, support(bits));

      float[] scan = new float[16];
      Arrays.fill(scan, Float.NaN);
      float alert = Float.NaN;
      for (int v = 0; v < h; v++) {
        for (int u = 0; u < w; u++) {
          if (bits.get(u, v)) {
            MeasuredBits one = new MeasuredBits();
            one.reset(w, h);
            one.set(u, v);
            NavigationGuidance single = computer.compute(ID, k, dense, support(one));
            for (int s = 0; s < scan.length; s++) {
              scan[s] = minIgnoringUnknown(scan[s], single.getScan().getRangesM(s));
            }
            alert = minIgnoringUnknown(alert, single.getAlert().getNearestM());
          }
        }
      }
      for (int s = 0; s < scan.length; s++) { // boxed: an unknown sector (NaN) must be unknown in both
        assertThat(Float.valueOf(whole.getScan().getRangesM(s))).as("trial %d, sector %d", trial, s)
            .isEqualTo(Float.valueOf(scan[s]));
      }
      assertThat(whole.getScan().getRangesMList()).filteredOn(r -> !r.isNaN()).hasSizeGreaterThan(scan.length / 2);
      assertThat(alert).isEqualTo(0.5f);
      assertThat(whole.getAlert().getNearestM()).as("trial %d, nearest at column %d", trial, nearestColumn)
          .isEqualTo(alert);
    }
  }

  private static SupportMap support(MeasuredBits measured) {
    SupportMap s = new SupportMap();
    s.compute(measured, new SpecialPixels(), 1);
    return s;
  }

  private static float minIgnoringUnknown(float a, float b) {
    return Float.isNaN(a) ? b : Float.isNaN(b) ? a : Math.min(a, b);
  }

  @Test
  void settingsOutsideTheSupportCodesAreRefused() {
    assertThatThrownBy(() -> settings(5, 1.0, 251, GroundPlane.OFF)).hasMessageContaining("supportMaxPixels");
    assertThatThrownBy(() -> settings(5, 1.0, 0, null)).hasMessageContaining("groundPlane");
  }

  @Test
  void aSupportMapOfAnotherSizeIsRefused() {
    SupportMap small = new SupportMap();
    small.compute(DepthMap.allocate(2, 2), new SpecialPixels(), 1);
    assertThatThrownBy(() -> computer(5, 1.0).compute(ID, K, wall(1f), small))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2x2")
        .hasMessageContaining("5x3");
  }
}
