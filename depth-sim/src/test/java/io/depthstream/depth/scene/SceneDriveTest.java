package io.depthstream.depth.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.scene.SceneDrive.Kind;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SceneDriveTest {
  private static final int W = 80;
  private static final int H = 60;

  private static DepthMap depth(SceneDrive drive, int frame, byte[] rgb) {
    DepthMap d = DepthMap.allocate(drive.camera().width(), drive.camera().height());
    drive.render(frame, d, rgb);
    return d;
  }

  @Test
  void sameSeedGivesIdenticalFramesWhateverWasRenderedBefore() {
    for (Kind kind : Kind.values()) {
      PinholeCamera camera = SceneDrive.defaultCamera(kind, W, H);
      SceneDrive a = SceneDrive.of(kind, 42, camera);
      SceneDrive b = SceneDrive.of(kind, 42, camera);
      // b renders other frames first (filling its caches differently), then the same frame.
      depth(b, 500, new byte[3 * W * H]);
      depth(b, 3, new byte[3 * W * H]);
      byte[] rgbA = new byte[3 * W * H];
      byte[] rgbB = new byte[3 * W * H];
      DepthMap da = depth(a, 17, rgbA);
      DepthMap db = depth(b, 17, rgbB);
      assertThat(da.data()).as(kind.name()).isEqualTo(db.data());
      assertThat(rgbA).as(kind.name()).isEqualTo(rgbB);
      assertThat(da.validCount()).isGreaterThan(W * H / 2);
    }
  }

  @Test
  void differentSeedsGiveDifferentScenes() {
    for (Kind kind : Kind.values()) {
      PinholeCamera camera = SceneDrive.defaultCamera(kind, W, H);
      byte[] rgbA = new byte[3 * W * H];
      byte[] rgbB = new byte[3 * W * H];
      DepthMap da = depth(SceneDrive.of(kind, 1, camera), 10, rgbA);
      DepthMap db = depth(SceneDrive.of(kind, 2, camera), 10, rgbB);
      assertThat(Arrays.equals(da.data(), db.data())).as(kind.name()).isFalse();
      assertThat(Arrays.equals(rgbA, rgbB)).as(kind.name()).isFalse();
    }
  }

  @Test
  void consecutiveFramesFormASmoothDrive() {
    for (Kind kind : Kind.values()) {
      SceneDrive drive = SceneDrive.of(kind, 9, SceneDrive.defaultCamera(kind, W, H));
      CameraPose p0 = drive.pose(20);
      CameraPose p1 = drive.pose(21);
      double step = Math.hypot(p1.x() - p0.x(), p1.z() - p0.z());
      assertThat(step).as(kind.name()).isPositive().isLessThan(1.5);
      assertThat(Math.abs(p1.yaw() - p0.yaw())).isLessThan(0.05);
      // Two frames a step apart look alike: most pixels change by less than 10 %.
      DepthMap d0 = depth(drive, 20, null);
      DepthMap d1 = depth(drive, 21, null);
      int similar = 0;
      for (int i = 0; i < d0.size(); i++) {
        float a = d0.data()[i];
        float b = d1.data()[i];
        if (a == 0 ? b == 0 : Math.abs(a - b) < 0.1f * a) {
          similar++;
        }
      }
      assertThat(similar).as(kind.name()).isGreaterThan(d0.size() * 6 / 10);
    }
  }

  @Test
  void roadDriveMovesForwardAtItsSpeedAndSeesSkyAndRoad() {
    SceneDrive drive = SceneDrive.road(5, SceneDrive.defaultCamera(Kind.ROAD, W, H));
    double metresPer10Frames = drive.pose(10).z() - drive.pose(0).z();
    // 8 to 14 m/s at 10 Hz: 8 to 14 m per 10 frames.
    assertThat(metresPer10Frames).isBetween(8.0, 14.0);
    DepthMap d = depth(drive, 0, null);
    // Top row: mostly sky (0) or far buildings; bottom centre: the road, about h / b ahead of a level camera.
    assertThat(d.get(W / 2, 0)).isZero();
    PinholeCamera c = drive.camera();
    double b = (H - 1 - c.cy()) / c.fy();
    assertThat((double) d.get(W / 2, H - 1)).isCloseTo(drive.pose(0).y() / b, within(0.15 * drive.pose(0).y() / b));
  }

  @Test
  void cameraNeverGetsCloseToGeometryOverAWholeLoop() {
    for (Kind kind : Kind.values()) {
      for (long seed = 1; seed <= 4; seed++) {
        SceneDrive drive = SceneDrive.of(kind, seed, SceneDrive.defaultCamera(kind, 16, 12));
        DepthMap d = DepthMap.allocate(16, 12);
        float min = Float.MAX_VALUE;
        for (int f = 0; f < IndoorWorld.LOOP_FRAMES; f++) {
          drive.render(f, d, null);
          for (float v : d.data()) {
            if (v > 0) {
              min = Math.min(min, v);
            }
          }
        }
        assertThat(min).as("%s seed %d", kind, seed).isGreaterThan(0.3f);
      }
    }
  }

  @Test
  void rgbHasTextureGradients() {
    for (Kind kind : Kind.values()) {
      byte[] rgb = new byte[3 * W * H];
      depth(SceneDrive.of(kind, 11, SceneDrive.defaultCamera(kind, W, H)), 0, rgb);
      Set<Integer> colours = new HashSet<>();
      long gradient = 0;
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int i = 3 * (y * W + x);
          colours.add(((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff));
          if (x > 0) {
            gradient += Math.abs((rgb[i + 1] & 0xff) - (rgb[i - 2] & 0xff));
          }
        }
      }
      assertThat(colours.size()).as(kind.name()).isGreaterThan(200);
      assertThat(gradient / (double) (H * (W - 1))).as(kind.name()).isGreaterThan(2.0);
    }
  }

  @Test
  void rejectsNegativeFramesAndWrongBuffers() {
    SceneDrive drive = SceneDrive.indoor(1, SceneDrive.defaultCamera(Kind.INDOOR, W, H));
    assertThatThrownBy(() -> drive.render(-1, DepthMap.allocate(W, H), null)).hasMessageContaining("frame index");
    assertThatThrownBy(() -> drive.render(0, DepthMap.allocate(W + 1, H), null)).hasMessageContaining("depth output");
    assertThatThrownBy(() -> drive.render(0, DepthMap.allocate(W, H), new byte[W * H]))
        .hasMessageContaining("rgb output");
  }

  @Test
  void kindCodesMatchTheShardContract() {
    assertThat(Kind.INDOOR.code()).isZero();
    assertThat(Kind.ROAD.code()).isEqualTo(1);
  }
}
