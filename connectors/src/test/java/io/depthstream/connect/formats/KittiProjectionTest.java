package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.connect.testing.SharedData;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.io.DepthEncoding;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KittiProjectionTest {
  @TempDir
  Path dir;

  private static final String CALIB = """
      P2: 100 0 50 0 0 100 20 0 0 0 1 0
      R0_rect: 1 0 0 0 1 0 0 0 1
      Tr_velo_to_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0
      """;

  @Test
  void projectsTinyScanNearestWinsAndDropsPointsBehind() throws Exception {
    Path calibFile = dir.resolve("calib.txt");
    Files.writeString(calibFile, CALIB);
    KittiCalibration calib = KittiCalibration.read(calibFile);
    // Velodyne frame: x forward, y left, z up. Camera: x right, y down, z forward (Tr above maps between them).
    float[] pts = {
        10f, 0f, 0f,     // straight ahead at 10 m: u = 50, v = 20
        5f, 0f, 0f,      // same pixel, nearer: wins
        4f, -1f, 0.5f,   // z_cam = 4, x_cam = 1, y_cam = -0.5: u = 50 + 100 * 1/4 = 75, v = 20 - 12.5 = 7.5 -> floor 7
        -3f, 0f, 0f      // behind the camera: dropped
    };
    Path bin = dir.resolve("000000.bin");
    Files.write(bin, KittiVelodyne.encode(pts, 4));
    PointCloud cloud = KittiVelodyne.parse(Files.readAllBytes(bin), bin);
    assertThat(cloud.count()).isEqualTo(4);
    DepthMap out = DepthMap.allocate(100, 40);
    PointProjector.Stats s = PointProjector.project(cloud, calib.veloToImage(), out);
    assertThat(s.inFront()).isEqualTo(3);
    assertThat(s.inImage()).isEqualTo(3);
    assertThat(out.get(50, 20)).isEqualTo(5f);
    assertThat(out.get(75, 7)).isEqualTo(4f);
    assertThat(out.validCount()).isEqualTo(2);
    assertThat(calib.intrinsics()).containsExactly(100, 100, 50, 20);
  }

  @Test
  void truncatedScanAndBadCalibrationNameTheFile() throws Exception {
    Path bin = dir.resolve("bad.bin");
    byte[] ok = KittiVelodyne.encode(new float[] {1, 2, 3}, 1);
    assertThatThrownBy(() -> KittiVelodyne.parse(java.util.Arrays.copyOf(ok, 10), bin))
        .isInstanceOf(BadFileException.class).hasMessageContaining("bad.bin").hasMessageContaining("truncated")
        .extracting(e -> ((BadFileException) e).reason()).isEqualTo(DeadLetterReason.TRUNCATED_FILE);
    Path calib = dir.resolve("calib.txt");
    Files.writeString(calib, "P2: 1 0 0 0 0 1 0 0 0 0 1 0\nR0_rect: 1 0 0 0 1 0 0 0 1\n");
    assertThatThrownBy(() -> KittiCalibration.read(calib)).hasMessageContaining("calib.txt")
        .hasMessageContaining("missing Tr_velo_to_cam");
    Files.writeString(calib, "P2: 1 0 0 0 0 1 0 0 0 0 1\nR0_rect: 1 0 0 0 1 0 0 0 1\n");
    assertThatThrownBy(() -> KittiCalibration.read(calib)).hasMessageContaining("P2 has 11 values");
  }

  @Test
  void odometryAndRawLayoutsGiveTheSameProjectionAsTheObjectLayout(@TempDir Path dir) throws Exception {
    // One camera: P2 = [500 0 320 10; 0 500 240 0; 0 0 1 0.002], a 90-degree-rotated Velodyne (x fwd -> z fwd)
    // offset by (0.1, -0.2, 0.3), and a small rectifying rotation about the optical axis.
    String p2 = "500 0 320 10 0 500 240 0 0 0 1 0.002";
    String r0 = "0.99995 -0.01 0 0.01 0.99995 0 0 0 1";
    String tr = "0 -1 0 0.1 0 0 -1 -0.2 1 0 0 0.3";
    Path object = dir.resolve("object.txt");
    Files.writeString(object, "P2: " + p2 + "\nR0_rect: " + r0 + "\nTr_velo_to_cam: " + tr + "\n");
    Path raw = Files.createDirectories(dir.resolve("2011_09_26"));
    Files.writeString(raw.resolve("calib_cam_to_cam.txt"), "calib_time: 09-Jan-2012 13:57:47\ncorner_dist: 9.95\n"
        + "P_rect_02: " + p2 + "\nR_rect_00: " + r0 + "\n");
    Files.writeString(raw.resolve("calib_velo_to_cam.txt"), "calib_time: 15-Mar-2012 11:37:16\n"
        + "R: 0 -1 0 0 0 -1 1 0 0\nT: 0.1 -0.2 0.3\n");
    double[] expected = KittiCalibration.read(object).veloToImage();
    assertThat(KittiCalibration.read(raw).veloToImage()).containsExactly(expected);
    assertThat(KittiCalibration.read(raw.resolve("calib_velo_to_cam.txt")).veloToImage()).containsExactly(expected);

    // Odometry: Tr goes straight to the rectified camera, so it equals R0_rect * Tr_velo_to_cam of the object file.
    double[] r = {0.99995, -0.01, 0, 0.01, 0.99995, 0, 0, 0, 1};
    double[] t = {0, -1, 0, 0.1, 0, 0, -1, -0.2, 1, 0, 0, 0.3};
    StringBuilder rectified = new StringBuilder();
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 4; col++) {
        double v = 0;
        for (int k = 0; k < 3; k++) {
          v += r[3 * row + k] * t[4 * k + col];
        }
        rectified.append(v).append(' ');
      }
    }
    Path odometry = dir.resolve("calib.txt");
    Files.writeString(odometry, "P0: " + p2 + "\nP2: " + p2 + "\nTr: " + rectified.toString().trim() + "\n");
    double[] odo = KittiCalibration.read(odometry).veloToImage();
    for (int i = 0; i < 12; i++) {
      assertThat(odo[i]).isCloseTo(expected[i], within(1e-9));
    }
  }

  @Test
  void aRawCalibrationWithoutItsVeloFileNamesTheMissingFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("calib_cam_to_cam.txt"), "P_rect_02: 1 0 0 0 0 1 0 0 0 0 1 0\n");
    assertThatThrownBy(() -> KittiCalibration.read(dir)).hasMessageContaining("calib_velo_to_cam.txt");
  }

  @Test
  void realKittiFrameMatchesTheReferenceProjection() throws Exception {
    Path bin = SharedData.require("kitti_object_000008/000008.bin");
    Path calibFile = SharedData.require("kitti_object_000008/derived/calib_000008_from_pkl.txt");
    Path ref = SharedData.require("kitti_object_000008/derived/000008_sparse_depth_x256.png");
    PointCloud cloud = KittiVelodyne.parse(Files.readAllBytes(bin), bin);
    assertThat(cloud.count()).isEqualTo(17_238);
    DepthMap out = DepthMap.allocate(1242, 375);
    PointProjector.project(cloud, KittiCalibration.read(calibFile).veloToImage(), out);
    RawImage expected = DepthImageIO.readPng(ref);
    DepthMap want = DepthEncoding.KITTI.decode(expected);
    assertThat(want.validCount()).isEqualTo(17_144);
    int samePixels = 0;
    float maxDiff = 0f;
    for (int i = 0; i < want.size(); i++) {
      if ((want.data()[i] > 0) == (out.data()[i] > 0)) {
        samePixels++;
      }
      if (want.data()[i] > 0 && out.data()[i] > 0) {
        maxDiff = Math.max(maxDiff, Math.abs(want.data()[i] - out.data()[i]));
      }
    }
    assertThat(out.validCount()).isEqualTo(17_144);
    assertThat(samePixels).isEqualTo(want.size());
    // The reference stores depth * 256 rounded: within half a step (1/512 m) of the exact projection.
    assertThat(maxDiff).isLessThanOrEqualTo(1f / 512 + 1e-4f);
  }

  @Test
  void aCalibrationThatIsNotAsciiIsCorruptNotUnreadable() throws Exception {
    // Found by FileReaderFuzzTest: garbage bytes were reported as UNREADABLE_FILE, the reason for a missing file.
    Path calib = Files.write(dir.resolve("calib.txt"), new byte[] {'P', '2', ':', (byte) 0xE9});
    assertThatThrownBy(() -> KittiCalibration.read(calib))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CORRUPT_FILE))
        .hasMessageContaining("calib.txt");
  }
}
