package io.depthstream.connect.testing;

import io.depthstream.connect.formats.KittiVelodyne;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny drives written by the tests themselves: small images and point clouds with hand-checkable geometry. */
public final class TinyDrives {
  /** A 100x40 camera: f = 100 px, principal point (50, 20); Velodyne x forward, y left, z up. */
  public static final String CALIB = """
      P2: 100 0 50 0 0 100 20 0 0 0 1 0
      R0_rect: 1 0 0 0 1 0 0 0 1
      Tr_velo_to_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0
      """;

  private TinyDrives() {}

  /**
   * Writes scan {@code i} of a KITTI drive: one point straight ahead at {@code 2 + i} metres (pixel (50, 20))
   * and one at 4 m, 1 m to the right (pixel (75, 20)).
   */
  public static Path kittiScan(Path dir, int i) throws IOException {
    float[] pts = {2f + i, 0f, 0f, 4f, -1f, 0f};
    return Files.write(dir.resolve(String.format("%06d.bin", i)), KittiVelodyne.encode(pts, 2));
  }

  /** A scan cut short: 10 bytes, not a whole 16-byte point. */
  public static Path truncatedScan(Path dir, int i) throws IOException {
    return Files.write(dir.resolve(String.format("%06d.bin", i)), new byte[10]);
  }
}
