package io.depthstream.proto.kafka;

/**
 * The default topic names, in one place for the node, the connectors, the tools and the docs; each stays
 * configurable where it is used.
 */
public final class Topics {
  public static final String RAW_LIDAR = "depth.raw.lidar";
  public static final String RAW_RGBD = "depth.raw.rgbd";
  public static final String RAW_VSLAM = "depth.raw.vslam";
  public static final String RAW_FOCAL = "focalstack.raw";
  public static final String DENSE = "depth.dense";
  public static final String GUIDANCE = "nav.guidance";
  public static final String DEAD_LETTERS = "depth.dlq";
  /** Point clouds of the dense depth; written only when the node's point output is on. */
  public static final String POINTS = "depth.points";
  /**
   * The live Foxglove export (written only when the node's Foxglove export is on), keyed by sensor id, protobuf
   * encoded with Foxglove's published schemas: the dense depth as foxglove.RawImage, its calibration as
   * foxglove.CameraCalibration and the guidance's scan as foxglove.LaserScan.
   */
  public static final String FOXGLOVE_IMAGE = "foxglove.depth.image";

  /** foxglove.CameraCalibration of each dense depth image; see {@link #FOXGLOVE_IMAGE}. */
  public static final String FOXGLOVE_CALIBRATION = "foxglove.depth.calibration";

  /** foxglove.LaserScan of each guidance; see {@link #FOXGLOVE_IMAGE}. */
  public static final String FOXGLOVE_SCAN = "foxglove.nav.scan";

  private Topics() {}
}
