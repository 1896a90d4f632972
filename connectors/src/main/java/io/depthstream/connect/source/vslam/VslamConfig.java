package io.depthstream.connect.source.vslam;

import io.depthstream.proto.kafka.Topics;
import io.depthstream.connect.source.DriveConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of {@link VslamSourceConnector}. */
public final class VslamConfig extends DriveConfig {
  public static final String FORMAT = "vslam.format";
  public static final String VALUE = "vslam.value";
  public static final String UNITS = "depth.units.per.metre";
  public static final String MASK_SUFFIX = "mask.suffix";
  public static final String MAX_VARIANCE = "vslam.max.variance";

  public static final String DEPTH_PNG = "depth-png";
  public static final String PFM = "pfm";
  public static final String KEYFRAMES = "keyframes";
  public static final String DEPTH = "depth";
  public static final String INVERSE_DEPTH = "inverse-depth";

  /** Shared keys with keyframe-rate defaults (10 Hz, 640x480) plus the vSLAM keys. */
  public static final ConfigDef CONFIG_DEF = common(Topics.RAW_VSLAM, 10.0, 640, 480)
      .define(FORMAT, Type.STRING, DEPTH_PNG, ConfigDef.ValidString.in(DEPTH_PNG, PFM, KEYFRAMES), Importance.HIGH,
          "'depth-png': 16-bit PNG maps; 'pfm': float32 PFM maps; 'keyframes': text point lists "
              + "(u v inverse_depth variance, with camera pose).")
      .define(VALUE, Type.STRING, DEPTH, ConfigDef.ValidString.in(DEPTH, INVERSE_DEPTH), Importance.HIGH,
          "What the map images hold: depth (m) or inverse depth (1/m).")
      .define(UNITS, Type.DOUBLE, 1000.0, Range.between(1e-9, 1e9), Importance.MEDIUM,
          "depth-png only: file units per metre (or per 1/m for inverse depth).")
      .define(MASK_SUFFIX, Type.STRING, "_mask.png", Importance.LOW,
          "A map 'kf_0001.png' / '.pfm' has its validity mask (8-bit, non-zero = valid) in 'kf_0001<suffix>' "
              + "when that file exists; without one, 0 / NaN / Inf mean invalid.")
      .define(MAX_VARIANCE, Type.DOUBLE, 1e9, Range.atLeast(0.0), Importance.LOW,
          "keyframes only: points with a larger inverse-depth variance ((1/m)^2) are dropped.");

  public VslamConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    intrinsics("for vSLAM frames");
  }
}
