package io.depthstream.connect.source.lidar;

import io.depthstream.proto.kafka.Topics;
import io.depthstream.connect.source.DriveConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Settings of {@link LidarSourceConnector}: the shared drive keys plus format, calibration and extrinsic. */
public final class LidarConfig extends DriveConfig {
  public static final String FORMAT = "lidar.format";
  public static final String CALIB_FILE = "calib.file";
  public static final String CALIB_DIR = "calib.dir";
  public static final String EXTRINSIC = "lidar.extrinsic";

  public static final String KITTI_BIN = "kitti-bin";
  public static final String PCD = "pcd";
  public static final String KITTI_DEPTH_PNG = "kitti-depth-png";

  /** Shared keys with KITTI defaults (10 Hz, 1242x375) plus the LiDAR keys. */
  public static final ConfigDef CONFIG_DEF = common(Topics.RAW_LIDAR, 10.0, 1242, 375)
      .define(FORMAT, Type.STRING, KITTI_BIN, ConfigDef.ValidString.in(KITTI_BIN, PCD, KITTI_DEPTH_PNG),
          Importance.HIGH, "Files of the drive: 'kitti-bin' (Velodyne .bin + KITTI calibration), 'pcd' (PCD "
              + "ascii/binary + camera.intrinsics + lidar.extrinsic), 'kitti-depth-png' (16-bit depth*256 PNG).")
      .define(CALIB_FILE, Type.STRING, "", Importance.HIGH,
          "KITTI calibration for the whole drive: an object-format file (P2, R0_rect, Tr_velo_to_cam), an "
              + "odometry calib.txt (P2, Tr), or a raw drive's calibration directory (or either of its "
              + "calib_cam_to_cam.txt / calib_velo_to_cam.txt).")
      .define(CALIB_DIR, Type.STRING, "", Importance.MEDIUM,
          "Directory of per-frame KITTI calibrations named like the scans (calib/000008.txt for 000008.bin); "
              + "used instead of calib.file.")
      .define(EXTRINSIC, Type.STRING, "", new NumberList(12, true, false), Importance.MEDIUM,
          "PCD only: 3x4 row-major [R | t] from the LiDAR frame to the camera frame (x right, y down, z forward),"
              + " metres.");

  public LidarConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    String format = format();
    if (format.equals(KITTI_BIN) && getString(CALIB_FILE).isBlank() && getString(CALIB_DIR).isBlank()) {
      throw new ConfigException(CALIB_FILE, "", "lidar.format=kitti-bin needs calib.file or calib.dir");
    }
    if (format.equals(PCD)) {
      intrinsics("for lidar.format=pcd");
      if (NumberList.parse(getString(EXTRINSIC)).length == 0) {
        throw new ConfigException(EXTRINSIC, "", "required for lidar.format=pcd");
      }
    }
    if (format.equals(KITTI_DEPTH_PNG) && getString(CALIB_FILE).isBlank()
        && NumberList.parse(getString(CAMERA_INTRINSICS)).length == 0) {
      throw new ConfigException(CAMERA_INTRINSICS, "", "lidar.format=kitti-depth-png needs camera.intrinsics or "
          + "calib.file");
    }
  }

  public String format() {
    return getString(FORMAT);
  }
}
