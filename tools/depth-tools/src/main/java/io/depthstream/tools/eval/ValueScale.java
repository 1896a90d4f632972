package io.depthstream.tools.eval;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How a depth file's stored values become metres: {@code metres = value * metresPerUnit}. Named scales cover the
 * usual 16-bit conventions; any positive number is taken as metres per stored unit ({@code 1} keeps the values as
 * they are, for disparity files or float files already in metres).
 *
 * @param label the name given on the command line
 * @param metresPerUnit metres per stored unit, finite and positive
 */
public record ValueScale(String label, double metresPerUnit) {
  /** Plain uint16 millimetres (Kinect, this project's wire format). */
  public static final ValueScale MILLIMETRES = new ValueScale("mm", 1e-3);
  /** Metres as stored (float files). */
  public static final ValueScale METRES = new ValueScale("m", 1.0);

  /** The accepted names, for help and error messages. */
  public static final String NAMES = "mm (1/1000), kitti256 (1/256), tum (1/5000), m (1), or metres per unit";

  public ValueScale {
    if (!(metresPerUnit > 0) || Double.isInfinite(metresPerUnit)) {
      throw new IllegalArgumentException("scale must be finite and > 0, got " + metresPerUnit);
    }
  }

  /**
   * Parses {@code mm}, {@code kitti256}, {@code tum}, {@code m} or a positive number of metres per unit.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static ValueScale parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "mm" -> MILLIMETRES;
      case "kitti256" -> new ValueScale("kitti256", 1.0 / 256);
      case "tum" -> new ValueScale("tum", 1.0 / 5000);
      case "m" -> METRES;
      default -> {
        double v;
        try {
          v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("unknown scale '" + text + "'; use " + NAMES, e);
        }
        if (!(v > 0) || Double.isInfinite(v)) {
          throw new IllegalArgumentException("scale '" + text + "' must be a positive number of metres per unit");
        }
        yield new ValueScale(text, v);
      }
    };
  }

  /** The picocli converter: a bad value is reported with the option's name. */
  static final class Converter implements ITypeConverter<ValueScale> {
    @Override
    public ValueScale convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
