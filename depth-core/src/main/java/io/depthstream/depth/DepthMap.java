package io.depthstream.depth;

import java.util.Arrays;

/**
 * A depth image in memory: float32 metres, row-major ({@code data[y * width + x]}).
 *
 * <p>Invalid-value convention inside the JVM: {@code 0f} means "no measurement". Every stored value is
 * finite and {@code >= 0}; decoders turn the wire's NaN (float32) or 0 (uint16) into {@code 0f}, and
 * encoders turn {@code 0f} back into the wire's convention. Keeping one sentinel lets hot loops test
 * {@code d > 0f} without NaN checks.
 *
 * <p>The backing array is exposed on purpose: stages reuse one {@code DepthMap} per frame size and
 * write into {@link #data()} directly, with no per-pixel objects.
 */
public final class DepthMap {
  /** Largest accepted side, in pixels; beyond it a frame is treated as corrupt rather than allocated. */
  public static final int MAX_SIDE = 8192;

  private final int width;
  private final int height;
  private final float[] data;

  private DepthMap(int width, int height, float[] data) {
    this.width = width;
    this.height = height;
    this.data = data;
  }

  /** A new map of zeros (all pixels invalid). */
  public static DepthMap allocate(int width, int height) {
    checkSize(width, height);
    return new DepthMap(width, height, new float[width * height]);
  }

  /**
   * Wraps an existing array without copying.
   *
   * @throws IllegalArgumentException if the sizes are out of range or the array length is not {@code width*height}
   */
  public static DepthMap wrap(int width, int height, float[] data) {
    checkSize(width, height);
    if (data.length != width * height) {
      throw new IllegalArgumentException(
          "depth array has " + data.length + " values, expected width*height = " + width + "*" + height + " = "
              + (width * height));
    }
    return new DepthMap(width, height, data);
  }

  /**
   * Checks that {@code width x height} is a plausible image size.
   *
   * @throws IllegalArgumentException naming the offending size
   */
  public static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException(
          "image size " + width + "x" + height + " exceeds the maximum side of " + MAX_SIDE + " pixels");
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int size() {
    return data.length;
  }

  /** The backing array, row-major, metres, 0 = no measurement. */
  public float[] data() {
    return data;
  }

  public float get(int x, int y) {
    return data[y * width + x];
  }

  public void set(int x, int y, float metres) {
    data[y * width + x] = metres;
  }

  /**
   * Checks that every value follows the convention (finite metres {@code >= 0}, 0 = no measurement) and counts
   * the measurements.
   *
   * @param what names the map in the error, e.g. {@code "morphological input"}
   * @return the number of pixels with a measurement ({@code > 0})
   * @throws IllegalArgumentException naming {@code what}, the first bad pixel and its value
   */
  public int requireValidDepths(String what) {
    int valid = 0;
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      // One comparison covers the common case; NaN, negatives and infinities fall through to the message.
      if (v > 0f && v < Float.POSITIVE_INFINITY) {
        valid++;
      } else if (v != 0f) {
        throw new IllegalArgumentException(what + ": depth at (x=" + (i % width) + ", y=" + (i / width) + ") is "
            + v + " m; expected finite metres >= 0 (0 = no measurement)");
      }
    }
    return valid;
  }

  /** Number of pixels with a measurement ({@code > 0}). */
  public int validCount() {
    int n = 0;
    for (float d : data) {
      if (d > 0f) {
        n++;
      }
    }
    return n;
  }

  public boolean sameSizeAs(DepthMap other) {
    return width == other.width && height == other.height;
  }

  /**
   * @throws IllegalArgumentException if {@code other} differs in size, naming both sizes and {@code what}
   */
  public void requireSameSize(DepthMap other, String what) {
    if (!sameSizeAs(other)) {
      throw new IllegalArgumentException(
          what + ": size mismatch, " + width + "x" + height + " vs " + other.width + "x" + other.height);
    }
  }

  /** Copies every value of {@code source} (same size) into this map. */
  public void copyFrom(DepthMap source) {
    requireSameSize(source, "copyFrom");
    System.arraycopy(source.data, 0, data, 0, data.length);
  }

  /** A deep copy. */
  public DepthMap copy() {
    return new DepthMap(width, height, data.clone());
  }

  /** Sets every pixel to "no measurement". */
  public void clear() {
    Arrays.fill(data, 0f);
  }

  @Override
  public String toString() {
    return "DepthMap[" + width + "x" + height + ", valid=" + validCount() + "]";
  }
}
