package io.depthstream.connect.formats;

import io.depthstream.connect.formats.BadFileException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A KITTI object-format calibration file ({@code calib/NNNNNN.txt}): lines {@code KEY: v1 v2 ...} with
 * {@code P0..P3} (3x4 rectified projections), {@code R0_rect} (3x3 rectifying rotation) and
 * {@code Tr_velo_to_cam} (3x4 Velodyne to camera 0). Row-major.
 *
 * <p>A Velodyne point X projects into the image of camera 2 as {@code y = P2 * R0_rect * Tr_velo_to_cam * X}
 * (homogeneous; R0_rect and Tr padded to 4x4), pixel {@code (y0 / y2, y1 / y2)} and depth {@code y2} in metres
 * (Geiger et al., "Vision meets Robotics: The KITTI Dataset", IJRR 2013, eq. 1 and the object devkit readme).
 *
 * @param p2 camera 2 projection, 3x4 row-major (pixels)
 * @param r0Rect rectifying rotation, 3x3 row-major
 * @param trVeloToCam Velodyne to camera 0 rigid transform, 3x4 row-major (metres)
 */
public record KittiCalibration(double[] p2, double[] r0Rect, double[] trVeloToCam) {
  public KittiCalibration {
    if (p2.length != 12 || r0Rect.length != 9 || trVeloToCam.length != 12) {
      throw new IllegalArgumentException("KITTI calibration needs P2 3x4, R0_rect 3x3 and Tr_velo_to_cam 3x4");
    }
  }

  /**
   * Reads and checks a calibration file.
   *
   * @throws BadFileException if the file is unreadable, a matrix is missing or has the wrong number of values
   */
  public static KittiCalibration read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new BadFileException(file, Reason.UNREADABLE_FILE, "cannot read calibration: " + e, e);
    }
    Map<String, double[]> m = new HashMap<>();
    int lineNo = 0;
    for (String line : text.split("\\R")) {
      lineNo++;
      int colon = line.indexOf(':');
      if (line.isBlank() || colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String[] parts = line.substring(colon + 1).trim().split("\\s+");
      double[] v = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          v[i] = Double.parseDouble(parts[i]);
        } catch (NumberFormatException e) {
          throw new BadFileException(file, Reason.CALIBRATION_MISMATCH, "line " + lineNo + " (" + key
              + "): '" + parts[i] + "' is not a number");
        }
        if (!Double.isFinite(v[i])) {
          throw new BadFileException(file, Reason.CALIBRATION_MISMATCH, "line " + lineNo + " (" + key
              + "): non-finite value " + parts[i]);
        }
      }
      m.put(key, v);
    }
    double[] p2 = matrix(m, file, 12, "P2");
    double[] r0 = matrix(m, file, 9, "R0_rect", "R_rect");
    double[] tr = matrix(m, file, 12, "Tr_velo_to_cam", "Tr_velo_cam");
    if (p2[10] == 0 && p2[8] == 0 && p2[9] == 0) {
      throw new BadFileException(file, Reason.CALIBRATION_MISMATCH, "P2's third row is zero: not a projection");
    }
    return new KittiCalibration(p2, r0, tr);
  }

  private static double[] matrix(Map<String, double[]> m, Path file, int size, String... names) {
    for (String n : names) {
      double[] v = m.get(n);
      if (v != null) {
        if (v.length != size) {
          throw new BadFileException(file, Reason.CALIBRATION_MISMATCH, n + " has " + v.length + " values, expected "
              + size);
        }
        return v;
      }
    }
    throw new BadFileException(file, Reason.CALIBRATION_MISMATCH, "missing " + names[0] + " (keys needed: P2, "
        + "R0_rect, Tr_velo_to_cam)");
  }

  /** {@code P2 * R0_rect * Tr_velo_to_cam}: the 3x4 matrix taking Velodyne points to camera-2 pixels. */
  public double[] veloToImage() {
    double[] r0Tr = new double[12]; // R0 (3x3) * Tr (3x4)
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += r0Rect[3 * r + k] * trVeloToCam[4 * k + c];
        }
        r0Tr[4 * r + c] = s;
      }
    }
    double[] out = new double[12]; // P2 (3x4) * [R0Tr; 0 0 0 1]
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        double s = c == 3 ? p2[4 * r + 3] : 0;
        for (int k = 0; k < 3; k++) {
          s += p2[4 * r + k] * r0Tr[4 * k + c];
        }
        out[4 * r + c] = s;
      }
    }
    return out;
  }

  /** Camera 2's focal lengths and principal point in pixels: {@code fx, fy, cx, cy}. */
  public double[] intrinsics() {
    return new double[] {p2[0], p2[5], p2[2], p2[6]};
  }
}
