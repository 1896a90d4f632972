package io.depthstream.depth.io;

/**
 * A value range mapped onto a colour map: {@code min} to the first colour, {@code max} to the last. Units are
 * those of the map (metres, or disparity units for Middlebury).
 */
public record ColorRange(float min, float max) {
  public ColorRange {
    if (!Float.isFinite(min) || !Float.isFinite(max) || !(max > min)) {
      throw new IllegalArgumentException("colour range needs finite min < max, got [" + min + ", " + max + "]");
    }
  }
}
