package io.depthstream.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The one way the commands read a duration option: {@code 20s}, {@code 2m}, {@code 1h}, {@code 500ms}, a plain
 * number of seconds ({@code 2.5}) or ISO-8601 ({@code PT20S}); never negative. A picocli converter, so a bad value
 * is reported naming the option ({@code Invalid value for option '--duration': ...}).
 */
public final class DurationOption implements CommandLine.ITypeConverter<Duration> {
  /** What the converter accepts, for option descriptions. */
  public static final String FORMATS = "20s, 2m, 1h, 500ms, plain seconds or ISO-8601 PT20S";

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Reads {@code value} as a duration.
   *
   * @throws CommandLine.TypeConversionException naming the value and the formats accepted
   */
  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (v.startsWith("pt")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 2))));
      } else if (v.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      } else if (v.endsWith("m")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
      } else if (v.endsWith("h")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 3_600_000));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (" + FORMATS + ")");
    }
    if (d.isNegative()) {
      throw new CommandLine.TypeConversionException("duration must not be negative: " + value);
    }
    return d;
  }
}
