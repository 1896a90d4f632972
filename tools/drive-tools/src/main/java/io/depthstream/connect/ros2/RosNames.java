package io.depthstream.connect.ros2;

/**
 * depthstream's ROS topic names: a Kafka topic and key made into a valid ROS topic name. The coordinate frame ids
 * (REP-103 and REP-105 naming) are the runtime's, {@link io.depthstream.proto.frames.RosConventions}, shared with
 * the node.
 */
public final class RosNames {
  private RosNames() {}

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
