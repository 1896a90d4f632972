package io.depthstream.depth.sampling;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/** Parses the {@code key=value,key=value} part of a pattern spec and reports bad keys or values by name. */
final class SpecParser {
  private final String pattern;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> allowed;

  SpecParser(String pattern, String params, List<String> allowed) {
    this.pattern = pattern;
    this.allowed = allowed;
    if (params.isBlank()) {
      return;
    }
    for (String part : params.split(",", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            pattern + ": expected key=value, got '" + part.strip() + "' (keys: " + String.join(", ", allowed) + ")");
      }
      String key = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            pattern + ": unknown key '" + key + "' (keys: " + String.join(", ", allowed) + ")");
      }
      if (values.put(key, value) != null) {
        throw new IllegalArgumentException(pattern + ": key '" + key + "' given twice");
      }
    }
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  String string(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /** A number in {@code (lo, hi]} if {@code openLow}, else in {@code [lo, hi]}. */
  double number(String key, double fallback, double lo, boolean openLow, double hi) {
    String raw = values.get(key);
    if (raw == null) {
      return fallback;
    }
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(pattern + ": " + key + "=" + raw + " is not a number", e);
    }
    if (!(openLow ? v > lo : v >= lo) || !(v <= hi)) {
      throw new IllegalArgumentException(
          pattern + ": " + key + "=" + raw + " must be in " + (openLow ? "(" : "[") + fmt(lo) + ", " + fmt(hi) + "]");
    }
    return v;
  }

  int integer(String key, int fallback, int lo, int hi) {
    String raw = values.get(key);
    if (raw == null) {
      return fallback;
    }
    int v;
    try {
      v = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(pattern + ": " + key + "=" + raw + " is not an integer", e);
    }
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(pattern + ": " + key + "=" + raw + " must be in [" + lo + ", " + hi + "]");
    }
    return v;
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
