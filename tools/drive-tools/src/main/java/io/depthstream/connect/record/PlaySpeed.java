package io.depthstream.connect.record;

import java.util.Locale;
import picocli.CommandLine;

/**
 * The replay speed options ({@code play --rate}, {@code demo --replay-rate}) as {@link DrivePlayer} takes them:
 * {@code 1} = the recorded rate, {@code N} (or {@code Nx}) = N times faster, {@code max} = as fast as possible
 * (speed 0). A picocli converter, so a bad value is reported naming the option.
 */
public final class PlaySpeed implements CommandLine.ITypeConverter<Double> {
  /** What the converter accepts, for option descriptions. */
  public static final String FORMATS = "1 = recorded rate, N = N times faster, max = as fast as possible";

  @Override
  public Double convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("max")) {
      return 0.0;
    }
    try {
      double speed = Double.parseDouble(v.endsWith("x") ? v.substring(0, v.length() - 1) : v);
      if (speed > 0 && !Double.isInfinite(speed)) {
        return speed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CommandLine.TypeConversionException("'" + value + "' is not a positive number or 'max'");
  }
}
