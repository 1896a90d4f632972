package io.depthstream.connect.synthetic;

import io.depthstream.connect.formats.KittiCalibration;
import io.depthstream.connect.formats.KittiVelodyne;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.depth.scene.CameraPose;
import io.depthstream.depth.scene.PinholeCamera;
import io.depthstream.depth.tooling.ProgressBar;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The project's own sample drive: three synthetic sensors of the scene generator ({@link SyntheticSensor}) written
 * in the on-disk formats the source connectors read, so a drive can be played without any third-party data
 * (the real samples in {@code shared/data} may not be redistributed). Layout under the output directory:
 *
 * <ul>
 *   <li>{@value #LIDAR_SCANS}: KITTI Velodyne scans {@code NNNNNN.bin} (float32 x, y, z, reflectance 0, metres,
 *       Velodyne frame) and {@code timestamps.txt}; {@value #LIDAR_CALIB}: their KITTI object-layout calibration
 *       ({@code P2}, {@code R0_rect}, {@code Tr_velo_to_cam}). Every point is the inverse of the LiDAR connector's
 *       projection of one measured pixel, so the connector projects the scan back to the rendered sparse depth;
 *   <li>{@value #RGBD_SEQUENCE}: a TUM RGB-D sequence, {@code depth.txt} and {@code depth/NNNNNN.png} (16-bit
 *       grey, depth x 5000, 0 = no measurement) of the Kinect-like camera;
 *   <li>{@value #VSLAM_KEYFRAMES}: keyframe point lists {@code NNNNNN.txt} (format {@code depthstream keyframe v1} of
 *       the connectors' {@code KeyframePoints}) of the semi-dense vSLAM source, with capture time, camera and pose.
 * </ul>
 *
 * Every file is a function of the seed and the frame count only (file capture times start at
 * {@value #START_EPOCH_SECONDS} s since the epoch), so the same command writes the same bytes.
 */
public final class SampleDrive {
  /** Directory of the LiDAR scans, relative to the drive's root. */
  public static final String LIDAR_SCANS = "lidar/velodyne";
  /** The LiDAR's KITTI calibration file, relative to the drive's root. */
  public static final String LIDAR_CALIB = "lidar/calib.txt";
  /** The RGB-D camera's TUM sequence directory (holding depth.txt), relative to the drive's root. */
  public static final String RGBD_SEQUENCE = "rgbd";
  /** Directory of the vSLAM keyframe files, relative to the drive's root. */
  public static final String VSLAM_KEYFRAMES = "vslam/keyframes";

  /** The sensors' ids, as the compose stack's connectors publish them. */
  public static final String LIDAR_ID = "lidar-front";
  public static final String RGBD_ID = "kinect-front";
  public static final String VSLAM_ID = "vslam-front";

  /** KITTI's camera 2 image size, pixels. */
  public static final int LIDAR_WIDTH = 1242;
  public static final int LIDAR_HEIGHT = 375;
  /** Kinect v1's depth image size, pixels (the vSLAM camera has the same). */
  public static final int CAMERA_WIDTH = 640;
  public static final int CAMERA_HEIGHT = 480;

  /** Capture rates written into the files' timestamps, Hz: a 64-line LiDAR, a Kinect, vSLAM keyframes. */
  public static final double LIDAR_HZ = 10;
  public static final double RGBD_HZ = 30;
  public static final double VSLAM_HZ = 10;

  /** Capture time of every sensor's first frame, seconds since the epoch (2023-11-14 22:13:20 UTC). */
  public static final long START_EPOCH_SECONDS = 1_700_000_000L;

  /** TUM RGB-D's depth scale: file value = depth in metres x 5000. */
  public static final double TUM_UNITS_PER_METRE = 5000;

  /**
   * LiDAR to camera 0: KITTI's axes (Velodyne x forward, y left, z up; camera x right, y down, z forward) and its
   * mounting offset, rounded from the KITTI raw calibration ({@code calib_velo_to_cam.txt}, 2011-09-26): the
   * scanner 0.27 m behind and 0.08 m above the camera. 3x4 row-major [R | t], metres.
   */
  static final double[] VELO_TO_CAM = {
      0, -1, 0, -0.004,
      0, 0, -1, -0.076,
      1, 0, 0, -0.272};

  private SampleDrive() {}

  /**
   * Writes {@code frames} frames of each sensor under {@code root} (created; files of an earlier run replaced).
   *
   * @param progress where the progress bar goes (stderr for a command), or null for none
   */
  public static void write(Path root, int frames, long seed, PrintStream progress) throws IOException {
    if (frames < 1) {
      throw new IllegalArgumentException("a sample drive needs at least 1 frame per sensor, got " + frames);
    }
    ProgressBar bar = progress == null ? null : new ProgressBar(progress, "sample drive", "frames", 3L * frames);
    int done = 0;
    SyntheticSensor lidar = SyntheticSensor.lidar(LIDAR_ID, seed, LIDAR_WIDTH, LIDAR_HEIGHT);
    Path scans = Files.createDirectories(root.resolve(LIDAR_SCANS));
    KittiCalibration calib = lidarCalibration(lidar.camera());
    Files.writeString(root.resolve(LIDAR_CALIB), calibrationText(calib), StandardCharsets.US_ASCII);
    LidarUnprojector unprojector = new LidarUnprojector(calib.veloToImage());
    StringBuilder times = new StringBuilder();
    for (int i = 0; i < frames; i++) {
      DepthMap sparse = lidar.measure(i);
      int n = unprojector.unproject(sparse);
      Files.write(scans.resolve(fileName(i, ".bin")), KittiVelodyne.encode(unprojector.xyz(), n));
      times.append(seconds(i, LIDAR_HZ)).append('\n');
      progress(bar, ++done);
    }
    Files.writeString(scans.resolve("timestamps.txt"), times, StandardCharsets.US_ASCII);

    SyntheticSensor rgbd = SyntheticSensor.rgbd(RGBD_ID, seed + 1, CAMERA_WIDTH, CAMERA_HEIGHT);
    Path sequence = Files.createDirectories(root.resolve(RGBD_SEQUENCE));
    Files.createDirectories(sequence.resolve("depth"));
    StringBuilder list = new StringBuilder("# depth maps\n# file: 'depthstream sample drive, seed " + seed
        + "'\n# timestamp filename\n");
    int[] samples = new int[CAMERA_WIDTH * CAMERA_HEIGHT];
    for (int i = 0; i < frames; i++) {
      float[] d = rgbd.measure(i).data();
      for (int p = 0; p < samples.length; p++) {
        samples[p] = (int) Math.min(65535, Math.round(d[p] * TUM_UNITS_PER_METRE));
      }
      String name = "depth/" + fileName(i, ".png");
      DepthImageIO.writePng(sequence.resolve(name), new RawImage(CAMERA_WIDTH, CAMERA_HEIGHT, samples, 65535));
      list.append(seconds(i, RGBD_HZ)).append(' ').append(name).append('\n');
      progress(bar, ++done);
    }
    Files.writeString(sequence.resolve("depth.txt"), list, StandardCharsets.US_ASCII);

    SyntheticSensor vslam = SyntheticSensor.vslam(VSLAM_ID, seed + 2, CAMERA_WIDTH, CAMERA_HEIGHT);
    Path keyframes = Files.createDirectories(root.resolve(VSLAM_KEYFRAMES));
    for (int i = 0; i < frames; i++) {
      writeKeyframe(keyframes.resolve(fileName(i, ".txt")), vslam.measure(i), vslam.camera(), vslam.pose(i),
          seconds(i, VSLAM_HZ));
      progress(bar, ++done);
    }
    if (bar != null) {
      bar.finish();
    }
  }

  /** The sample LiDAR's calibration: camera 2 is the scene camera ({@code P2 = [K | 0]}), no rectification. */
  public static KittiCalibration lidarCalibration(PinholeCamera c) {
    double[] p2 = {c.fx(), 0, c.cx(), 0, 0, c.fy(), c.cy(), 0, 0, 0, 1, 0};
    return new KittiCalibration(p2, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, VELO_TO_CAM.clone());
  }

  /** KITTI object layout; {@code Double.toString} so the connector parses back the same doubles. */
  static String calibrationText(KittiCalibration calib) {
    return "P2: " + join(calib.p2()) + "\nR0_rect: " + join(calib.r0Rect()) + "\nTr_velo_to_cam: "
        + join(calib.trVeloToCam()) + "\n";
  }

  /**
   * One keyframe: header lines, then {@code u v inverse_depth variance} per measured pixel. The pose is
   * camera-to-world in the scene's world frame with y turned to point down (x right, y down, z forward: right
   * handed, and the camera at rest has the identity rotation): {@code R = Ry(yaw) Rx(pitch)}, as the quaternion
   * {@code q = q_y(yaw) q_x(pitch)}. The variance models a 2% standard deviation of the inverse depth.
   */
  private static void writeKeyframe(Path file, DepthMap depth, PinholeCamera c, CameraPose pose, String time)
      throws IOException {
    double cy = Math.cos(pose.yaw() / 2);
    double sy = Math.sin(pose.yaw() / 2);
    double cp = Math.cos(pose.pitch() / 2);
    double sp = Math.sin(pose.pitch() / 2);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      out.write("# depthstream keyframe v1: synthetic semi-dense vSLAM of the sample drive\n");
      out.write("timestamp " + time + "\n");
      out.write(String.format(Locale.ROOT, "camera %s %s %s %s %d %d%n", c.fx(), c.fy(), c.cx(), c.cy(), c.width(),
          c.height()));
      out.write(String.format(Locale.ROOT, "pose %.6f %.6f %.6f %.9f %.9f %.9f %.9f%n", pose.x(), -pose.y(), pose.z(),
          cy * sp, sy * cp, -sy * sp, cy * cp));
      float[] d = depth.data();
      int w = depth.width();
      for (int p = 0; p < d.length; p++) {
        if (d[p] > 0f) {
          double inverse = 1.0 / d[p];
          double sigma = 0.02 * inverse;
          out.write(String.format(Locale.ROOT, "%d %d %.9g %.3g%n", p % w, p / w, inverse, sigma * sigma));
        }
      }
    }
  }

  private static void progress(ProgressBar bar, int done) {
    if (bar != null) {
      bar.update(done);
    }
  }

  private static String fileName(int index, String suffix) {
    return String.format(Locale.ROOT, "%06d%s", index, suffix);
  }

  /** Capture time of frame {@code index} at {@code hz}, decimal seconds with microseconds (TUM's precision). */
  private static String seconds(int index, double hz) {
    long micros = START_EPOCH_SECONDS * 1_000_000L + Math.round(index * 1e6 / hz);
    return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000L, micros % 1_000_000L);
  }

  private static String join(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : " ").append(v);
    }
    return s.toString();
  }

  /**
   * The inverse of the LiDAR connector's projection ({@code PointProjector}: {@code [u w, v w, w] = M [x y z 1]},
   * pixel {@code (floor(u), floor(v))}): the measured pixel {@code (x, y)} at depth {@code w} becomes the point
   * {@code X = A^-1 (w [x + 0.5, y + 0.5, 1] - b)} for {@code M = [A | b]}. The pixel's middle, so that float32
   * rounding of the point cannot move its projection into a neighbouring pixel.
   */
  static final class LidarUnprojector {
    private final double[] m;
    private final double[] inverse;
    private float[] xyz = new float[0];

    LidarUnprojector(double[] veloToImage) {
      this.m = veloToImage.clone();
      this.inverse = invert3x3(new double[] {m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]});
    }

    /** Fills {@link #xyz()} with one point per measured pixel of {@code depth}, row-major; returns the count. */
    int unproject(DepthMap depth) {
      float[] d = depth.data();
      int w = depth.width();
      if (xyz.length < 3 * d.length) {
        xyz = new float[3 * d.length];
      }
      int n = 0;
      for (int p = 0; p < d.length; p++) {
        double z = d[p];
        if (!(z > 0)) {
          continue;
        }
        double r0 = z * (p % w + 0.5) - m[3];
        double r1 = z * (p / w + 0.5) - m[7];
        double r2 = z - m[11];
        for (int k = 0; k < 3; k++) {
          xyz[3 * n + k] = (float) (inverse[3 * k] * r0 + inverse[3 * k + 1] * r1 + inverse[3 * k + 2] * r2);
        }
        n++;
      }
      return n;
    }

    float[] xyz() {
      return xyz;
    }

    /** The inverse of a 3x3 row-major matrix by its adjugate. */
    private static double[] invert3x3(double[] a) {
      double c0 = a[4] * a[8] - a[5] * a[7];
      double c1 = a[5] * a[6] - a[3] * a[8];
      double c2 = a[3] * a[7] - a[4] * a[6];
      double det = a[0] * c0 + a[1] * c1 + a[2] * c2;
      if (Math.abs(det) < 1e-12) {
        throw new IllegalArgumentException("the LiDAR calibration's projection is singular");
      }
      return new double[] {
          c0 / det, (a[2] * a[7] - a[1] * a[8]) / det, (a[1] * a[5] - a[2] * a[4]) / det,
          c1 / det, (a[0] * a[8] - a[2] * a[6]) / det, (a[2] * a[3] - a[0] * a[5]) / det,
          c2 / det, (a[1] * a[6] - a[0] * a[7]) / det, (a[0] * a[4] - a[1] * a[3]) / det};
    }
  }
}
