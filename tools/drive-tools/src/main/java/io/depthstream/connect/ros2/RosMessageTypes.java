package io.depthstream.connect.ros2;

import java.util.List;

/**
 * The ROS 2 message types depthstream writes, each with its complete {@code ros2msg} definition: the type's .msg
 * text first, then every type it uses, each after a line of 80 {@code =} and a line {@code MSG: pkg/Type}, as
 * rosbag2 stores them (ros2/rosbag2 {@code docs/message_definition_encoding.md}) and as the MCAP {@code ros2}
 * profile asks (schema encoding {@code ros2msg}, schema name {@code pkg/msg/Type}). The {@code MSG:} lines name a
 * type as the fields refer to it ({@code std_msgs/Header}), as Humble's rosbag2 MCAP plugin wrote them: Foxglove's
 * parser (@foxglove/rosmsg) matches field types to these names literally and rejects {@code std_msgs/msg/Header}
 * there. Field lines, constants and
 * defaults are those of the .msg files of ROS 2 Humble to Rolling (common_interfaces, rcl_interfaces,
 * geometry2); their comments are left out.
 */
public final class RosMessageTypes {
  /** A message type: its name ({@code sensor_msgs/msg/Image}) and complete definition text. */
  public record MessageType(String name, String definition) {}

  private record Msg(String name, String text) {}

  private static final String SEPARATOR = "=".repeat(80);

  private static final Msg TIME = new Msg("builtin_interfaces/msg/Time", """
      int32 sec
      uint32 nanosec""");
  private static final Msg HEADER = new Msg("std_msgs/msg/Header", """
      builtin_interfaces/Time stamp
      string frame_id""");
  private static final Msg REGION_OF_INTEREST = new Msg("sensor_msgs/msg/RegionOfInterest", """
      uint32 x_offset
      uint32 y_offset
      uint32 height
      uint32 width
      bool do_rectify""");
  private static final Msg POINT_FIELD = new Msg("sensor_msgs/msg/PointField", """
      uint8 INT8    = 1
      uint8 UINT8   = 2
      uint8 INT16   = 3
      uint8 UINT16  = 4
      uint8 INT32   = 5
      uint8 UINT32  = 6
      uint8 FLOAT32 = 7
      uint8 FLOAT64 = 8
      string name
      uint32 offset
      uint8  datatype
      uint32 count""");
  private static final Msg TRANSFORM_STAMPED = new Msg("geometry_msgs/msg/TransformStamped", """
      std_msgs/Header header
      string child_frame_id
      Transform transform""");
  private static final Msg TRANSFORM = new Msg("geometry_msgs/msg/Transform", """
      Vector3 translation
      Quaternion rotation""");
  private static final Msg VECTOR3 = new Msg("geometry_msgs/msg/Vector3", """
      float64 x
      float64 y
      float64 z""");
  private static final Msg QUATERNION = new Msg("geometry_msgs/msg/Quaternion", """
      float64 x 0
      float64 y 0
      float64 z 0
      float64 w 1""");

  /** sensor_msgs/msg/Image: a depth image, 16UC1 (millimetres) or 32FC1 (metres). */
  public static final MessageType IMAGE = type("sensor_msgs/msg/Image", """
      std_msgs/Header header
      uint32 height
      uint32 width
      string encoding
      uint8 is_bigendian
      uint32 step
      uint8[] data""", HEADER, TIME);

  /** sensor_msgs/msg/CameraInfo: the pinhole model and distortion of an image. */
  public static final MessageType CAMERA_INFO = type("sensor_msgs/msg/CameraInfo", """
      std_msgs/Header header
      uint32 height
      uint32 width
      string distortion_model
      float64[] d
      float64[9]  k
      float64[9]  r
      float64[12] p
      uint32 binning_x
      uint32 binning_y
      RegionOfInterest roi""", HEADER, TIME, REGION_OF_INTEREST);

  /** sensor_msgs/msg/LaserScan: the guidance's scan. */
  public static final MessageType LASER_SCAN = type("sensor_msgs/msg/LaserScan", """
      std_msgs/Header header
      float32 angle_min
      float32 angle_max
      float32 angle_increment
      float32 time_increment
      float32 scan_time
      float32 range_min
      float32 range_max
      float32[] ranges
      float32[] intensities""", HEADER, TIME);

  /** sensor_msgs/msg/PointCloud2: dense depth back-projected to x, y, z. */
  public static final MessageType POINT_CLOUD2 = type("sensor_msgs/msg/PointCloud2", """
      std_msgs/Header header
      uint32 height
      uint32 width
      PointField[] fields
      bool    is_bigendian
      uint32  point_step
      uint32  row_step
      uint8[] data
      bool is_dense""", HEADER, TIME, POINT_FIELD);

  /** tf2_msgs/msg/TFMessage: the static transforms between a sensor's body and optical frames. */
  public static final MessageType TF_MESSAGE = type("tf2_msgs/msg/TFMessage", """
      geometry_msgs/TransformStamped[] transforms""", TRANSFORM_STAMPED, HEADER, TIME, TRANSFORM, VECTOR3, QUATERNION);

  /** Every type above. */
  public static final List<MessageType> ALL = List.of(IMAGE, CAMERA_INFO, LASER_SCAN, POINT_CLOUD2, TF_MESSAGE);

  private RosMessageTypes() {}

  private static MessageType type(String name, String text, Msg... dependencies) {
    StringBuilder full = new StringBuilder(text).append('\n');
    for (Msg d : dependencies) {
      full.append(SEPARATOR).append('\n').append("MSG: ").append(d.name().replace("/msg/", "/")).append('\n')
          .append(d.text()).append('\n');
    }
    return new MessageType(name, full.toString());
  }
}
