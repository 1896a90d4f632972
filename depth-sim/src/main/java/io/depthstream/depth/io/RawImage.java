package io.depthstream.depth.io;

/**
 * Unsigned integer samples of a single-channel image exactly as stored in a file, before any unit conversion.
 *
 * <p>{@code samples[y * width + x]} holds the value in {@code [0, maxValue]}; {@code maxValue} is 255 for 8-bit
 * and 65535 for 16-bit images (or the PGM header's maxval). Turning samples into metres or disparity is the job of
 * {@link DepthEncoding}, so the file quirks (byte order, bit rotation, scale) stay in one place each.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param samples row-major raw sample values
 * @param maxValue largest representable sample (255 or 65535, or a PGM maxval)
 */
public record RawImage(int width, int height, int[] samples, int maxValue) {
  public RawImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (samples.length != width * height) {
      throw new IllegalArgumentException(
          "raw image has " + samples.length + " samples, expected " + width + "*" + height + " = " + width * height);
    }
    if (maxValue < 1 || maxValue > 65535) {
      throw new IllegalArgumentException("maxValue must be in [1, 65535], got " + maxValue);
    }
  }

  /** Bits per sample on disk: 8 when {@code maxValue < 256}, else 16. */
  public int bitDepth() {
    return maxValue < 256 ? 8 : 16;
  }
}
