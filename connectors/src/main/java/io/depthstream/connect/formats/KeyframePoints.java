package io.depthstream.connect.formats;

import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.depth.DepthMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A vSLAM keyframe's semi-dense point list, one text file per keyframe (the per-pixel inverse-depth
 * parametrisation of LSD-SLAM and DSO: Engel et al. 2014, 2018). Format ({@code depthstream keyframe v1}):
 *
 * <pre>
 * # comments start with '#'
 * timestamp 1305031102.175304          (optional; seconds since epoch)
 * camera fx fy cx cy width height       (optional; pixels; else the connector's intrinsics)
 * pose tx ty tz qx qy qz qw             (optional; camera-to-world, TUM trajectory convention, metres)
 * u v inverse_depth variance            (one line per point; pixels, 1/m, (1/m)^2)
 * </pre>
 *
 * Points with {@code inverse_depth <= 0} or a variance above the limit are dropped (not yet converged, as DSO
 * and LSD-SLAM do before using a point); the rest become sparse depth {@code 1 / inverse_depth} at the rounded
 * pixel, nearest winning.
 *
 * @param timeNs capture time, ns since epoch, or {@code Long.MIN_VALUE} when absent
 * @param camera {@code fx fy cx cy width height}, or null when absent
 * @param pose {@code tx ty tz qx qy qz qw}, or null when absent
 * @param kept points written into the depth map
 * @param dropped points dropped (non-positive inverse depth, too uncertain, or outside the image)
 */
public record KeyframePoints(long timeNs, double[] camera, double[] pose, int kept, int dropped) {

  /**
   * Parses a keyframe file into {@code out} (cleared first).
   *
   * @param maxVariance largest inverse-depth variance kept, (1/m)^2
   * @throws BadFileException on a malformed line, a non-finite value, or a camera line of another image size
   */
  public static KeyframePoints parse(byte[] bytes, Path file, double maxVariance, DepthMap out) {
    out.clear();
    float[] d = out.data();
    int w = out.width();
    int h = out.height();
    long time = Long.MIN_VALUE;
    double[] camera = null;
    double[] pose = null;
    int kept = 0;
    int dropped = 0;
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] t = line.split("\\s+");
      switch (t[0]) {
        case "timestamp" -> time = TimestampedList.secondsToNanos(t.length > 1 ? t[1] : "", file, i + 1);
        case "camera" -> {
          camera = numbers(t, 6, file, i + 1);
          if ((int) camera[4] != w || (int) camera[5] != h) {
            throw new BadFileException(file, DeadLetterReason.WRONG_IMAGE_SIZE,
                "keyframe camera is " + (int) camera[4] + "x"
                    + (int) camera[5] + ", the connector is configured for " + w + "x" + h);
          }
          if (!(camera[0] > 0 && camera[1] > 0)) {
            throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH,
                "keyframe focal lengths must be > 0");
          }
        }
        case "pose" -> pose = numbers(t, 7, file, i + 1);
        default -> {
          double[] p = numbers(t, 4, file, i + 1, 0);
          double idepth = p[2];
          long u = Math.round(p[0]);
          long v = Math.round(p[1]);
          if (!(idepth > 0) || p[3] > maxVariance || u < 0 || v < 0 || u >= w || v >= h) {
            dropped++;
            continue;
          }
          float z = (float) (1.0 / idepth);
          int idx = (int) v * w + (int) u;
          if (d[idx] == 0f || z < d[idx]) {
            d[idx] = z;
          }
          kept++;
        }
      }
    }
    return new KeyframePoints(time, camera, pose, kept, dropped);
  }

  private static double[] numbers(String[] t, int n, Path file, int lineNo) {
    return numbers(t, n, file, lineNo, 1);
  }

  private static double[] numbers(String[] t, int n, Path file, int lineNo, int first) {
    int expected = n;
    if (t.length - first != expected) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "line " + lineNo + " ('" + String.join(" ", t)
          + "') needs " + expected + " numbers");
    }
    double[] v = new double[expected];
    for (int k = 0; k < expected; k++) {
      try {
        v[k] = Double.parseDouble(t[first + k]);
      } catch (NumberFormatException e) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "line " + lineNo + ": '" + t[first + k]
            + "' is not a number");
      }
      if (!Double.isFinite(v[k])) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
            "line " + lineNo + ": non-finite value " + t[first + k]);
      }
    }
    return v;
  }
}
