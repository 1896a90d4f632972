package io.depthstream.streams.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.ProximityAlert;
import io.depthstream.streams.guidance.GuidanceSettings.GroundPlane;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, failure 1, for every method: reconstruction + {@link SupportMap} + {@link GuidanceComputer} on a
 * synthetic 10 m room seen by a 64-line LiDAR-like sampling (640x480), in-process.
 *
 * <p>The room: camera 0.5 m above the floor, level; back wall at z = 10 m, side walls at x = +/-5 m, ceiling 2 m
 * above the camera. Guidance runs with the node's defaults plus the ground plane of that mounting and a 1.2 m robot.
 */
class GuidanceMethodsTest {
  private static final int W = 640;
  private static final int H = 480;
  private static final double FX = 525;
  private static final double CX = 319.5;
  private static final double CY = 239.5;
  private static final double CAMERA_HEIGHT = 0.5;
  private static final CameraIntrinsics K = CameraIntrinsics.newBuilder()
      .setFx((float) FX).setFy((float) FX).setCx((float) CX).setCy((float) CY).setWidth(W).setHeight(H).build();
  private static final FrameId ID = FrameId.newBuilder().setSensorId("room").build();
  private static final int SUPPORT_PX = 4;
  /** How far from a supported pixel a measurement can shape its filled depth: across the gap it lies in. */
  private static final int REACH = 3 * SUPPORT_PX + 1;
  private static final GuidanceSettings SETTINGS = new GuidanceSettings(64, 0.35, 0.65, 0.1, 80.0, 0.6, 1.5,
      SUPPORT_PX, new GroundPlane(CAMERA_HEIGHT, 0, 0.1, 1.2));
  /** The strip nobody measured, right in front: columns [STRIP_BEGIN, STRIP_END), all rows. */
  private static final int STRIP_BEGIN = 270;
  private static final int STRIP_END = 370;
  /** The low obstacle at the bottom centre: its face at z = 0.5 m, |x| <= 0.15 m, from the floor to 0.3 m up. */
  private static final float OBSTACLE_Z = 0.5f;
  private static final MethodCatalog CATALOG = new MethodCatalog(
      Path.of(System.getProperty("depthstream.root", "..")).resolve("models"), InferenceSettings.defaults());

  /** Ground truth of the room, metres. */
  private static DepthMap room(boolean withObstacle) {
    DepthMap d = DepthMap.allocate(W, H);
    for (int v = 0; v < H; v++) {
      double dy = (v - CY) / FX;
      for (int u = 0; u < W; u++) {
        double lateral = Math.abs((u - CX) / FX);
        double z = 10.0;
        if (dy > 0) {
          z = Math.min(z, CAMERA_HEIGHT / dy); // floor, y = +0.5 m
        } else if (dy < 0) {
          z = Math.min(z, 2.0 / -dy); // ceiling, y = -2 m
        }
        if (lateral > 0) {
          z = Math.min(z, 5.0 / lateral); // side walls
        }
        if (withObstacle) {
          double x = (u - CX) / FX * OBSTACLE_Z;
          double y = dy * OBSTACLE_Z;
          if (Math.abs(x) <= 0.15 && y >= CAMERA_HEIGHT - 0.3 && y <= CAMERA_HEIGHT && OBSTACLE_Z < z) {
            z = OBSTACLE_Z;
          }
        }
        d.set(u, v, (float) z);
      }
    }
    return d;
  }

  /** What a 64-line LiDAR-like sensor measures of {@code truth}. */
  private static DepthMap lidar(DepthMap truth) {
    DepthMap sparse = DepthMap.allocate(W, H);
    SamplingPatterns.parse("lidar:lines=64").sample(truth, sparse, 5);
    return sparse;
  }

  /** One frame through a method, the support map and the guidance, with what the assertions need. */
  private record Run(DepthMap truth, DepthMap input, DepthMap dense, SupportMap support, NavigationGuidance guidance) {}

  private static Run run(String method, DepthMap truth, DepthMap input, SpecialPixels specials) {
    try (DepthReconstructor r = CATALOG.createDepth(method)) {
      int f = r.scaleFactor();
      assertThat(f).as("the room's truth is at the input size").isEqualTo(1);
      DepthMap dense = DepthMap.allocate(W, H);
      r.reconstruct(input, dense);
      SupportMap support = new SupportMap();
      support.compute(input, specials, f);
      NavigationGuidance g = new GuidanceComputer(SETTINGS).compute(ID, K, dense, support);
      assertInventedDepthIsIgnored(dense, support, g);
      assertFiniteRangesRestOnMeasurements(truth, input, g.getScan());
      return new Run(truth, input, dense, support, g);
    }
  }

  /**
   * The guidance must not change when every pixel the method invented (support beyond the setting) is replaced
   * by anything at all: here 0.2 m, which would raise the alert and shorten every range if it were used.
   */
  private static void assertInventedDepthIsIgnored(DepthMap dense, SupportMap support, NavigationGuidance g) {
    DepthMap tampered = dense.copy();
    float[] t = tampered.data();
    int replaced = 0;
    for (int i = 0; i < t.length; i++) {
      if (support.distance(i) > SUPPORT_PX) {
        t[i] = 0.2f;
        replaced++;
      }
    }
    assertThat(replaced).as("the frame has unsupported pixels to tamper with").isPositive();
    assertThat(new GuidanceComputer(SETTINGS).compute(ID, K, tampered, support)).isEqualTo(g);
  }

  /**
   * Every finite range lies between the nearest measurement that could have shaped a supported pixel of its sector
   * and the nearest measurement inside its sector's band; both from the input's measured pixels,
   * r = z sqrt(1 + ((u - cx)/fx)^2), 3% for blending. A supported pixel is at most SUPPORT_PX from one
   * measurement and a method may interpolate towards the measurement across the gap, at most 2 SUPPORT_PX + 1
   * further; so the sector's columns and band rows are widened by {@link #REACH}.
   */
  private static void assertFiniteRangesRestOnMeasurements(DepthMap truth, DepthMap input, LaserScan scan) {
    float[] in = input.data();
    int rowBegin = scan.getRowBegin();
    int rowEnd = scan.getRowEnd();
    for (int s = 0; s < scan.getRangesMCount(); s++) {
      float r = scan.getRangesM(s);
      if (!Float.isFinite(r)) {
        continue;
      }
      int[] cols = columnsOf(scan, s);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.POSITIVE_INFINITY;
      for (int v = Math.max(0, rowBegin - REACH); v < Math.min(H, rowEnd + REACH); v++) {
        for (int u = Math.max(0, cols[0] - REACH); u <= Math.min(W - 1, cols[1] + REACH); u++) {
          float z = in[v * W + u];
          if (z > 0f) {
            double range = z * Math.sqrt(1 + Math.pow((u - CX) / FX, 2));
            lo = Math.min(lo, range);
            if (v >= rowBegin && v < rowEnd && u >= cols[0] && u <= cols[1]) {
              hi = Math.min(hi, range);
            }
          }
        }
      }
      assertThat(lo).as("sector %d (%f m) has measurements within reach", s, r).isFinite();
      assertThat((double) r).as("sector %d", s).isBetween(lo * 0.97, hi * 1.03);
    }
  }

  /** First and last column of sector {@code s}: bearing theta = atan(-(u - cx)/fx) inside the sector's bounds. */
  private static int[] columnsOf(LaserScan scan, int s) {
    double lowEdge = scan.getAngleMinRad() + (s - 0.5) * scan.getAngleIncrementRad();
    double highEdge = lowEdge + scan.getAngleIncrementRad();
    int first = W;
    int last = -1;
    for (int u = 0; u < W; u++) {
      double theta = Math.atan(-(u - CX) / FX);
      if (theta >= lowEdge - 1e-6 && theta < highEdge + 1e-6) {
        first = Math.min(first, u);
        last = Math.max(last, u);
      }
    }
    return new int[] {first, last};
  }

  @ParameterizedTest
  @ValueSource(strings = {"nearest-fill", "morphological", "inpaint", "fast_interp_x4"})
  void anUnmeasuredStripAheadIsUnknownNotFreeSpace(String method) {
    DepthMap truth = room(false);
    DepthMap input = lidar(truth);
    for (int v = 0; v < H; v++) {
      for (int u = STRIP_BEGIN; u < STRIP_END; u++) {
        input.set(u, v, 0f);
      }
    }
    Run run = run(method, truth, input, new SpecialPixels());
    LaserScan scan = run.guidance().getScan();
    int unknown = 0;
    for (int s = 0; s < scan.getRangesMCount(); s++) {
      int[] cols = columnsOf(scan, s);
      // Further than the support distance inside the strip: nothing measured within reach.
      if (cols[0] > STRIP_BEGIN + SUPPORT_PX && cols[1] < STRIP_END - 1 - SUPPORT_PX) {
        assertThat(scan.getRangesM(s)).as("%s sector %d, columns %d..%d", method, s, cols[0], cols[1]).isNaN();
        unknown++;
      } else if (cols[1] < STRIP_BEGIN || cols[0] >= STRIP_END) {
        assertThat(scan.getRangesM(s)).as("%s sector %d outside the strip", method, s).isFinite();
      }
    }
    assertThat(unknown).as("sectors wholly inside the strip").isGreaterThanOrEqualTo(8);
    ProximityAlert alert = run.guidance().getAlert();
    assertThat(alert.getObstacle()).as(method).isFalse();
    // The corridor beyond the floor lies in the strip: what is known of it is floor and ceiling (+Inf for the
    // classical methods). fast_interp_x4 lifts a few near-measured floor pixels at the strip's edge above the
    // 0.1 m clearance (3.24 m), which is no alert; the invariance check in run() shows it is not invented depth.
    assertThat(alert.getNearestM() < SETTINGS.alertDistanceMetres()).as(method + ": " + alert).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nearest-fill", "morphological", "inpaint", "fast_interp_x4"})
  void aMeasuredLowObstacleAtTheBottomCentreAlertsWithItsMeasuredDepth(String method) {
    DepthMap truth = room(true);
    DepthMap input = lidar(truth);
    int bandEnd = (int) Math.ceil(0.65 * H);
    int measuredOnObstacle = 0;
    for (int i = bandEnd * W; i < W * H; i++) {
      if (input.data()[i] == OBSTACLE_Z) {
        measuredOnObstacle++;
      }
    }
    assertThat(measuredOnObstacle).as("the LiDAR sees the obstacle, below the scan band").isPositive();
    ProximityAlert alert = run(method, truth, input, new SpecialPixels()).guidance().getAlert();
    assertThat(alert.getObstacle()).as(method).isTrue();
    // Never farther than the measurement. Pixels 1-4 px from a measurement carry the method's depth: the classical
    // methods stay within 3% of the measured 0.5 m; fast_interp_x4 undershoots near the obstacle's edges (0.418 m
    // at 3 px, 0.441 m at 1 px from a measured 0.5 m face), so it gets 20%; support.max.px = 0 makes it exact
    // (next test).
    float undershoot = method.startsWith("fast_interp") ? 0.20f : 0.03f;
    assertThat(alert.getNearestM()).as(method).isBetween(OBSTACLE_Z * (1 - undershoot), OBSTACLE_Z * 1.03f);
    // Its bearing points into the obstacle's columns, |x| <= 0.15 m at 0.5 m: |theta| <= atan(0.3).
    assertThat(Math.abs(alert.getBearingRad())).as(method).isLessThanOrEqualTo((float) Math.atan(0.3) + 0.01f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nearest-fill", "morphological", "inpaint", "fast_interp_x4"})
  void withMeasuredPixelsOnlyTheAlertReportsExactlyTheMeasuredDepth(String method) {
    DepthMap truth = room(true);
    DepthMap input = lidar(truth);
    GuidanceSettings measuredOnly = new GuidanceSettings(64, 0.35, 0.65, 0.1, 80.0, 0.6, 1.5, 0,
        SETTINGS.groundPlane());
    try (DepthReconstructor r = CATALOG.createDepth(method)) {
      DepthMap dense = DepthMap.allocate(W, H);
      r.reconstruct(input, dense);
      SupportMap support = new SupportMap();
      support.compute(input, new SpecialPixels(), 1);
      ProximityAlert alert = new GuidanceComputer(measuredOnly).compute(ID, K, dense, support).getAlert();
      assertThat(alert.getObstacle()).as(method).isTrue();
      assertThat(alert.getNearestM()).as(method).isCloseTo(OBSTACLE_Z, within(1e-4f));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nearest-fill", "morphological", "inpaint", "fast_interp_x4"})
  void theRoomsFloorAloneRaisesNoAlert(String method) {
    DepthMap truth = room(false);
    ProximityAlert alert = run(method, truth, lidar(truth), new SpecialPixels()).guidance().getAlert();
    assertThat(alert.getObstacle()).as(method).isFalse();
    // The corridor's known points: floor and ceiling (not obstacles) and the back wall at 10 m.
    assertThat(alert.getNearestM()).as(method).isBetween(9.7f, 10.3f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nearest-fill", "morphological", "inpaint", "fast_interp_x4"})
  void infiniteInputPixelsFollowRep117(String method) {
    DepthMap truth = room(false);
    DepthMap input = lidar(truth);
    SpecialPixels specials = new SpecialPixels();
    float[] in = input.data();
    for (int i = 0; i < in.length; i++) {
      int u = i % W;
      int v = i / W;
      if (in[i] > 0f && u < 60) { // an open door to the left: the beams there return nothing
        in[i] = 0f;
        specials.add(i, SpecialPixels.NO_RETURN);
      } else if (in[i] > 0f && u >= 310 && u < 330 && v >= 230 && v < 250) { // something on the lens, ahead
        in[i] = 0f;
        specials.add(i, SpecialPixels.TOO_CLOSE);
      }
    }
    assertThat(specials.count()).isGreaterThan(10);
    NavigationGuidance g = run(method, truth, input, specials).guidance();
    LaserScan scan = g.getScan();
    int noReturnSectors = 0;
    for (int s = 0; s < scan.getRangesMCount(); s++) {
      int[] cols = columnsOf(scan, s);
      if (cols[1] < 60 - SUPPORT_PX - 1) {
        assertThat(scan.getRangesM(s)).as("%s sector %d, columns %d..%d", method, s, cols[0], cols[1])
            .isEqualTo(Float.POSITIVE_INFINITY);
        noReturnSectors++;
      }
      if (cols[0] <= 320 && cols[1] >= 320) {
        assertThat(scan.getRangesM(s)).as("%s centre sector", method).isEqualTo(Float.NEGATIVE_INFINITY);
      }
    }
    assertThat(noReturnSectors).isPositive();
    assertThat(g.getAlert().getObstacle()).as(method).isTrue();
    assertThat(g.getAlert().getNearestM()).as(method).isEqualTo(Float.NEGATIVE_INFINITY);
  }
}
