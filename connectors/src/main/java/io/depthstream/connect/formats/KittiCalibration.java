package io.depthstream.connect.formats;

import io.depthstream.proto.kafka.DeadLetterReason;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * KITTI calibration, in any of the dataset's three layouts (lines {@code KEY: v1 v2 ...}, matrices row-major):
 *
 * <ul>
 *   <li>object detection ({@code calib/NNNNNN.txt}): {@code P2} (3x4 rectified projection of camera 2),
 *       {@code R0_rect} (3x3 rectifying rotation), {@code Tr_velo_to_cam} (3x4 Velodyne to camera 0);
 *   <li>odometry ({@code sequences/NN/calib.txt}): {@code P2} and {@code Tr} (Velodyne to the already rectified
 *       camera 0, so R0_rect is the identity);
 *   <li>raw ({@code calib_cam_to_cam.txt} with {@code P_rect_02} and {@code R_rect_00}, plus its sibling
 *       {@code calib_velo_to_cam.txt} with {@code R} (3x3) and {@code T} (3x1)): pass either file or their
 *       directory.
 * </ul>
 *
 * <p>A Velodyne point X projects into the image of camera 2 as {@code y = P2 * R0_rect * Tr_velo_to_cam * X}
 * (homogeneous; R0_rect and Tr padded to 4x4), pixel {@code (y0 / y2, y1 / y2)} and depth {@code y2} in metres
 * (Geiger et al., "Vision meets Robotics: The KITTI Dataset", IJRR 2013, eq. 1 and the devkit readmes).
 *
 * @param p2 camera 2 projection, 3x4 row-major (pixels)
 * @param r0Rect rectifying rotation, 3x3 row-major
 * @param trVeloToCam Velodyne to camera 0 rigid transform, 3x4 row-major (metres)
 */
public record KittiCalibration(double[] p2, double[] r0Rect, double[] trVeloToCam) {
  static final String RAW_CAM_TO_CAM = "calib_cam_to_cam.txt";
  static final String RAW_VELO_TO_CAM = "calib_velo_to_cam.txt";
  private static final double[] IDENTITY_3X3 = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  public KittiCalibration {
    if (p2.length != 12 || r0Rect.length != 9 || trVeloToCam.length != 12) {
      throw new IllegalArgumentException("KITTI calibration needs P2 3x4, R0_rect 3x3 and Tr_velo_to_cam 3x4");
    }
  }

  /**
   * Reads and checks a calibration in any of the three layouts.
   *
   * @param file an object or odometry calibration file, a raw {@code calib_cam_to_cam.txt} or
   *     {@code calib_velo_to_cam.txt}, or the raw drive's calibration directory
   * @throws BadFileException naming the file if it is unreadable, a needed matrix is missing, not numeric, or has
   *     the wrong number of values
   */
  public static KittiCalibration read(Path file) {
    if (Files.isDirectory(file)) {
      return readRaw(file.resolve(RAW_CAM_TO_CAM), file.resolve(RAW_VELO_TO_CAM));
    }
    String name = file.getFileName().toString();
    if (name.equals(RAW_CAM_TO_CAM) || name.equals(RAW_VELO_TO_CAM)) {
      Path dir = file.toAbsolutePath().getParent();
      return readRaw(dir.resolve(RAW_CAM_TO_CAM), dir.resolve(RAW_VELO_TO_CAM));
    }
    Entries m = Entries.parse(file);
    double[] p2 = m.matrix(12, "P2");
    double[] r0;
    double[] tr;
    if (m.has("Tr") && !m.has("Tr_velo_to_cam") && !m.has("Tr_velo_cam")) {
      r0 = IDENTITY_3X3; // odometry: Tr already maps to the rectified camera 0
      tr = m.matrix(12, "Tr");
    } else {
      r0 = m.matrix(9, "R0_rect", "R_rect");
      tr = m.matrix(12, "Tr_velo_to_cam", "Tr_velo_cam");
    }
    return checked(file, p2, r0, tr);
  }

  private static KittiCalibration readRaw(Path camToCam, Path veloToCam) {
    Entries cam = Entries.parse(camToCam);
    Entries velo = Entries.parse(veloToCam);
    double[] rotation = velo.matrix(9, "R");
    double[] translation = velo.matrix(3, "T");
    double[] tr = new double[12];
    for (int r = 0; r < 3; r++) {
      System.arraycopy(rotation, 3 * r, tr, 4 * r, 3);
      tr[4 * r + 3] = translation[r];
    }
    return checked(camToCam, cam.matrix(12, "P_rect_02"), cam.matrix(9, "R_rect_00"), tr);
  }

  private static KittiCalibration checked(Path file, double[] p2, double[] r0, double[] tr) {
    if (p2[10] == 0 && p2[8] == 0 && p2[9] == 0) {
      throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH,
          "P2's third row is zero: not a projection");
    }
    return new KittiCalibration(p2, r0, tr);
  }

  /**
   * The {@code KEY: values} lines of one file. Lines whose values are not numbers (the raw files'
   * {@code calib_time: 09-Jan-2012 ...}) are kept as errors and reported only if that key is needed.
   */
  private record Entries(Path file, Map<String, double[]> numeric, Map<String, String> notNumeric) {
    static Entries parse(Path file) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (CharacterCodingException e) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "calibration is not ASCII text: " + e, e);
      } catch (IOException e) {
        throw new BadFileException(file, DeadLetterReason.UNREADABLE_FILE, "cannot read calibration: " + e, e);
      }
      Map<String, double[]> numeric = new HashMap<>();
      Map<String, String> notNumeric = new HashMap<>();
      int lineNo = 0;
      lines:
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
            notNumeric.put(key, "line " + lineNo + " (" + key + "): '" + parts[i] + "' is not a number");
            continue lines;
          }
          if (!Double.isFinite(v[i])) {
            notNumeric.put(key, "line " + lineNo + " (" + key + "): non-finite value " + parts[i]);
            continue lines;
          }
        }
        numeric.put(key, v);
      }
      return new Entries(file, numeric, notNumeric);
    }

    boolean has(String key) {
      return numeric.containsKey(key) || notNumeric.containsKey(key);
    }

    double[] matrix(int size, String... names) {
      for (String n : names) {
        if (notNumeric.containsKey(n)) {
          throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH, notNumeric.get(n));
        }
        double[] v = numeric.get(n);
        if (v != null) {
          if (v.length != size) {
            throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH,
                n + " has " + v.length + " values, expected " + size);
          }
          return v;
        }
      }
      throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH, "missing " + String.join(" or ", names)
          + " (object layout: P2, R0_rect, Tr_velo_to_cam; odometry: P2, Tr; raw: P_rect_02, R_rect_00 in "
          + RAW_CAM_TO_CAM + " and R, T in " + RAW_VELO_TO_CAM + ")");
    }
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
