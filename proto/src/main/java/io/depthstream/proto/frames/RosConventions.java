package io.depthstream.proto.frames;

/**
 * The coordinate-frame names and camera-model name every depthstream output uses (REP-103 and REP-105 naming), in
 * one place for the node, the connectors and the recorder, so a message on Kafka, in a Foxglove recording and in a
 * ROS 2 bag names the same frame.
 *
 * <ul>
 *   <li>{@link #opticalFrame}: {@code <sensor id>_optical_frame}, the camera's optical frame (x right, y down,
 *       z ahead): depth images, calibrations, point clouds and the Foxglove views are in it.
 *   <li>{@link #bodyFrame}: {@code <sensor id>_frame}, the same origin with REP-103's body axes (x ahead, y left,
 *       z up): a ROS LaserScan (which has no pose of its own) and the navigation guidance are in its x-y plane, as
 *       depthimage_to_laserscan's output frame.
 * </ul>
 */
public final class RosConventions {
  /** The distortion model of an undistorted image, with five zero coefficients (ROS {@code plumb_bob}). */
  public static final String PLUMB_BOB = "plumb_bob";

  private RosConventions() {}

  /** The optical frame of a sensor: images, camera info and point clouds. */
  public static String opticalFrame(String sensorId) {
    return sensorId + "_optical_frame";
  }

  /** The body frame of a sensor (x ahead, y left, z up): the laser scan's frame. */
  public static String bodyFrame(String sensorId) {
    return sensorId + "_frame";
  }
}
