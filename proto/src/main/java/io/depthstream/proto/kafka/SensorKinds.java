package io.depthstream.proto.kafka;

import io.depthstream.proto.v1.SensorKind;
import java.util.Locale;

/** Short names of sensor kinds (lidar, rgbd, vslam, focal_stack), as used in metrics tags, settings and logs. */
public final class SensorKinds {
  private static final String PREFIX = "SENSOR_KIND_";

  private SensorKinds() {}

  /** {@code SENSOR_KIND_LIDAR} -> {@code lidar}; {@code UNRECOGNIZED} -> {@code unrecognized}. */
  public static String shortName(SensorKind kind) {
    String name = kind.name();
    return (name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name).toLowerCase(Locale.ROOT);
  }
}
