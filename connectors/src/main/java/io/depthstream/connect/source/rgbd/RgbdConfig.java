package io.depthstream.connect.source.rgbd;

import io.depthstream.proto.kafka.Topics;
import io.depthstream.connect.source.DriveConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of {@link RgbdSourceConnector}. */
public final class RgbdConfig extends DriveConfig {
  public static final String FORMAT = "rgbd.format";
  public static final String UNITS_PER_METRE = "depth.units.per.metre";
  public static final String RGB_TOPIC = "rgb.topic";
  public static final String MAX_RGB_DIFFERENCE_MS = "rgb.max.difference.ms";

  /** A directory of 16-bit depth PNGs (Kinect/OpenNI style, millimetres by default). */
  public static final String PNG = "png";
  /** A TUM RGB-D sequence: depth.txt (+ rgb.txt) lists and depth/ rgb/ folders, depth * 5000. */
  public static final String TUM = "tum";

  /** Shared keys with Kinect defaults (30 Hz, 640x480) plus the RGB-D keys. */
  public static final ConfigDef CONFIG_DEF = common(Topics.RAW_RGBD, 30.0, 640, 480)
      .define(FORMAT, Type.STRING, PNG, ConfigDef.ValidString.in(PNG, TUM), Importance.HIGH,
          "'png': every *.png in input.dir is a 16-bit depth image; 'tum': a TUM RGB-D sequence directory "
              + "(depth.txt, optional rgb.txt).")
      .define(UNITS_PER_METRE, Type.DOUBLE, 0.0, Range.between(0.0, 1e6), Importance.MEDIUM,
          "File units per metre: 1000 = millimetres, 5000 = TUM; 0 = the format's default (png 1000, tum 5000).")
      .define(RGB_TOPIC, Type.STRING, "", Importance.LOW,
          "Topic for the associated colour image (its encoded file bytes, same key and timestamp; TUM only); "
              + "empty = depth only. The DepthFrame schema has no colour field.")
      .define(MAX_RGB_DIFFERENCE_MS, Type.INT, 20, Range.between(0, 1000), Importance.LOW,
          "Largest depth-to-RGB timestamp difference for an association (TUM associate.py default 20 ms).");

  public RgbdConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    intrinsics("for RGB-D frames (Kinect v1 / TUM: e.g. 525 525 319.5 239.5)");
  }

  public double unitsPerMetre() {
    double v = getDouble(UNITS_PER_METRE);
    return v > 0 ? v : (TUM.equals(getString(FORMAT)) ? 5000.0 : 1000.0);
  }
}
