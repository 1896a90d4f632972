package io.depthstream.streams.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A frame size in pixels, written {@code WIDTHxHEIGHT} in settings (e.g. {@code 1242x375}).
 *
 * @param width pixels, at least 1
 * @param height pixels, at least 1
 */
public record FrameSize(int width, int height) {
  /** Checks a list setting of sizes, so a bad one stops the node at start-up with its key named. */
  static final ConfigDef.Validator LIST_VALIDATOR = (name, value) -> {
    if (value instanceof List<?> sizes) {
      for (Object size : sizes) {
        try {
          parse(size.toString());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
      }
    }
  };

  public FrameSize {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("a frame size needs a width and a height of at least 1 pixel, not "
          + width + "x" + height);
    }
  }

  /**
   * Parses {@code WIDTHxHEIGHT}.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static FrameSize parse(String text) {
    String[] parts = text.trim().split("x", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("'" + text + "' is not a frame size WIDTHxHEIGHT such as 640x480");
    }
    try {
      return new FrameSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a frame size WIDTHxHEIGHT such as 640x480");
    }
  }

  public int pixels() {
    return width * height;
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
