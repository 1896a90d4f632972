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

  private Topics() {}
}
