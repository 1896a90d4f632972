package io.depthstream.streams.codec;

import io.depthstream.depth.wire.DepthWire;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a dense depth map is written into DenseDepth (see dense_depth.proto), chosen per sensor kind. */
public enum OutputEncoding {
  /** uint16 millimetres, 0 = invalid; 2 bytes a pixel; saturates at 65.535 m. */
  UINT16_MM("uint16-mm", 2),
  /** float32 metres, NaN = invalid; 4 bytes a pixel; no saturation. */
  FLOAT32_M("float32-m", 4),
  /** uint16 in 1/256 m (KITTI's depth-PNG convention), 0 = invalid; 2 bytes a pixel; saturates at 255.996 m. */
  UINT16_256("uint16-256", 2);

  private final String configName;
  private final int bytesPerPixel;

  OutputEncoding(String configName, int bytesPerPixel) {
    this.configName = configName;
    this.bytesPerPixel = bytesPerPixel;
  }

  /** The name used in configuration. */
  public String configName() {
    return configName;
  }

  public int bytesPerPixel() {
    return bytesPerPixel;
  }

  /** Units per metre of the uint16 encodings. */
  float unitsPerMetre() {
    return this == UINT16_256 ? DepthWire.KITTI_256THS : DepthWire.MILLIMETRES;
  }

  /** @throws IllegalArgumentException listing the valid names */
  public static OutputEncoding parse(String name) {
    for (OutputEncoding e : values()) {
      if (e.configName.equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown output encoding '" + name + "'; valid: " + names());
  }

  /** The configuration names, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(OutputEncoding::configName).collect(Collectors.joining(", "));
  }
}
