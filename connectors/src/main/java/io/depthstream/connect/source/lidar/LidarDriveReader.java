package io.depthstream.connect.source.lidar;

import io.depthstream.connect.formats.BadFileException;
import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.connect.formats.KittiCalibration;
import io.depthstream.connect.formats.KittiVelodyne;
import io.depthstream.connect.formats.PcdReader;
import io.depthstream.connect.formats.PointCloud;
import io.depthstream.connect.formats.PointProjector;
import io.depthstream.connect.frames.DepthFrames;
import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveItem;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.Drives;
import io.depthstream.connect.source.Emission;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.DepthImages;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * LiDAR drives as sparse depth in the camera image (nearest point per pixel wins, points behind the camera
 * dropped): KITTI Velodyne scans projected with a KITTI calibration, PCD clouds projected with a configured
 * intrinsic and extrinsic, or KITTI depth-completion PNGs that are sparse depth already.
 */
public final class LidarDriveReader implements DriveReader {
  private final String format;
  private final String topic;
  private final List<DriveItem> items;
  private final DepthMap depth;
  private final int[] scratch;
  private final KittiCalibration driveCalib;
  private final Path calibDir;
  private final double[] projection;
  private final CameraIntrinsics intrinsics;

  public LidarDriveReader(LidarConfig c) {
    this.format = c.format();
    this.topic = c.topic();
    this.depth = DepthMap.allocate(c.width(), c.height());
    this.scratch = format.equals(LidarConfig.KITTI_DEPTH_PNG) ? new int[c.width() * c.height()] : new int[0];
    String calibFile = c.getString(LidarConfig.CALIB_FILE);
    String dir = c.getString(LidarConfig.CALIB_DIR);
    this.calibDir = dir.isBlank() ? null : Path.of(dir);
    try {
      this.driveCalib = calibFile.isBlank() ? null : KittiCalibration.read(c.requireFile(LidarConfig.CALIB_FILE));
    } catch (BadFileException e) {
      // The drive's one calibration is a setting: a bad one stops the connector, naming the key.
      throw new org.apache.kafka.common.config.ConfigException(LidarConfig.CALIB_FILE, calibFile, e.getMessage());
    }
    String suffix = switch (format) {
      case LidarConfig.PCD -> ".pcd";
      case LidarConfig.KITTI_DEPTH_PNG -> ".png";
      default -> ".bin";
    };
    this.items = Drives.files(c.inputDir(), suffix, n -> true);
    if (format.equals(LidarConfig.PCD)) {
      double[] k = c.intrinsics("for lidar.format=pcd");
      this.projection = PointProjector.pinhole(k[0], k[1], k[2], k[3],
          DriveConfig.NumberList.parse(c.getString(LidarConfig.EXTRINSIC)));
      this.intrinsics = DepthFrames.intrinsics(k[0], k[1], k[2], k[3], c.width(), c.height());
    } else if (driveCalib != null) {
      checkCalibration(driveCalib, c.requireFile(LidarConfig.CALIB_FILE));
      this.projection = driveCalib.veloToImage();
      this.intrinsics = intrinsicsOf(driveCalib);
    } else {
      this.projection = null;
      double[] k = format.equals(LidarConfig.KITTI_DEPTH_PNG) ? c.intrinsics("for kitti-depth-png") : null;
      this.intrinsics = k == null ? null : DepthFrames.intrinsics(k[0], k[1], k[2], k[3], c.width(), c.height());
    }
  }

  private CameraIntrinsics intrinsicsOf(KittiCalibration calib) {
    double[] k = calib.intrinsics();
    return DepthFrames.intrinsics(k[0], k[1], k[2], k[3], depth.width(), depth.height());
  }

  /** A calibration whose principal point is outside the configured image belongs to another camera or size. */
  private void checkCalibration(KittiCalibration calib, Path file) {
    double[] k = calib.intrinsics();
    if (k[2] < 0 || k[2] > depth.width() || k[3] < 0 || k[3] > depth.height()) {
      throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH, "principal point (" + k[2] + ", " + k[3]
          + ") lies outside the configured " + depth.width() + "x" + depth.height() + " image");
    }
  }

  @Override
  public List<DriveItem> items() {
    return items;
  }

  @Override
  public List<Emission> read(DriveItem item, FrameId id) {
    Path file = item.path();
    byte[] bytes = Drives.readBytes(file);
    CameraIntrinsics k = intrinsics;
    if (format.equals(LidarConfig.KITTI_DEPTH_PNG)) {
      try {
        DepthImages.decodeScaledPng(bytes, file, 256.0, scratch, depth);
      } catch (ImageFileException e) {
        throw BadFileException.of(e);
      }
    } else {
      PointCloud cloud = format.equals(LidarConfig.PCD) ? PcdReader.parse(bytes, file)
          : KittiVelodyne.parse(bytes, file);
      double[] m = projection;
      if (calibDir != null) {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path calibFile = calibDir.resolve(stem + ".txt");
        if (!Files.isRegularFile(calibFile)) {
          throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH, "no calibration " + calibFile
              + " for this scan");
        }
        KittiCalibration calib = KittiCalibration.read(calibFile);
        checkCalibration(calib, calibFile);
        m = calib.veloToImage();
        k = intrinsicsOf(calib);
      }
      PointProjector.Stats s = PointProjector.project(cloud, m, depth);
      // A scan with points in front of the camera of which none lands in the image was taken with another
      // calibration (or the wrong axes): report it rather than publish an empty frame.
      if (s.inFront() >= 10 && s.inImage() == 0) {
        throw new BadFileException(file, DeadLetterReason.CALIBRATION_MISMATCH, "none of the " + s.inFront()
            + " points in front of the camera projects into the " + depth.width() + "x" + depth.height()
            + " image: calibration does not match this scan");
      }
    }
    return List.of(new Emission(topic, DepthFrames.sparse(id, k, depth).toByteArray()));
  }
}
