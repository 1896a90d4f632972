package io.depthstream.connect.ros2;

/**
 * depthstream's ROS names, in one place: coordinate frame ids (REP-103 and REP-105 naming) and topic names.
 *
 * <ul>
 *   <li>{@link #opticalFrame}: {@code <sensor id>_optical_frame}, the camera's optical frame (x right, y down,
 *       z ahead): images, camera info, point clouds and Foxglove's views are in it.
 *   <li>{@link #bodyFrame}: {@code <sensor id>_frame}, the same origin with REP-103's body axes (x ahead, y left,
 *       z up): the laser scan is in its x-y plane (a ROS LaserScan has no pose of its own), as
 *       depthimage_to_laserscan's output frame.
 *   <li>{@link #topic}: a Kafka topic and key made into a valid ROS topic name.
 * </ul>
 */
public final class RosNames {
  private RosNames() {}

  /** The optical frame of a sensor: images, camera info and point clouds. */
  public static String opticalFrame(String sensorId) {
    return sensorId + "_optical_frame";
  }

  /** The body frame of a sensor (x ahead, y left, z up): the laser scan's frame. */
  public static String bodyFrame(String sensorId) {
    return sensorId + "_frame";
  }

  /**
   * {@code /<topic>/<key>/<view>} with every character outside {@code [A-Za-z0-9_]} of the topic and key made
   * {@code _}, runs of {@code _} made one (ROS names allow neither {@code .} nor {@code -} nor {@code __}), and
   * {@code _} put before a token that would start with a digit: {@code depth.raw.lidar} and {@code lidar-front}
   * give {@code /depth_raw_lidar/lidar_front/image}. A null or empty key becomes {@code _}.
   */
  public static String topic(String kafkaTopic, String key, String view) {
    return "/" + token(kafkaTopic) + "/" + (key == null || key.isEmpty() ? "_" : token(key)) + "/" + view;
  }

  private static String token(String s) {
    String t = s.replaceAll("[^A-Za-z0-9_]", "_").replaceAll("_{2,}", "_");
    return t.isEmpty() || Character.isDigit(t.charAt(0)) ? "_" + t : t;
  }
}
