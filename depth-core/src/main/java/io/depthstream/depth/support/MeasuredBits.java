package io.depthstream.depth.support;

import java.util.Arrays;

/**
 * Which pixels of a frame hold a measurement (depth {@code > 0}), one bit each: bit {@code x % 64} of word
 * {@code y * wordsPerRow() + x / 64}, the layout of {@link SupportMap#within}. A decoder that reads every pixel (or,
 * for sparse samples, only the samples) fills it as it goes, so the {@link SupportMap} need not read the frame
 * again. Bits past the width stay 0. Reused across frames; not thread-safe.
 */
public final class MeasuredBits {
  private int width;
  private int height;
  private int words;
  private long[] bits = new long[0];

  /** Clears every bit and sets the size to {@code width x height}, reallocating only when the size changes. */
  public void reset(int width, int height) {
    if (width != this.width || height != this.height) {
      this.width = width;
      this.height = height;
      this.words = (width + 63) >>> 6;
      this.bits = new long[words * height];
    } else {
      Arrays.fill(bits, 0L);
    }
  }

  /** Marks pixel {@code index} (row-major) measured. */
  public void set(int index) {
    set(index % width, index / width);
  }

  /** Marks pixel {@code (x, y)} measured. */
  public void set(int x, int y) {
    bits[y * words + (x >>> 6)] |= 1L << x;
  }

  /**
   * Sets word {@code word} of row {@code y}: pixels {@code [64 word, 64 word + 64)}, bit {@code x % 64} for pixel
   * {@code x}. For loops that pack 64 pixels at a time.
   */
  public void setWord(int y, int word, long value) {
    bits[y * words + word] = value;
  }

  /** Marks every pixel with {@code depth[i] > 0} (row-major, {@code width * height} values) and nothing else. */
  public void pack(float[] depth) {
    for (int y = 0; y < height; y++) {
      int row = y * width;
      for (int x0 = 0; x0 < width; x0 += 64) {
        int end = Math.min(width, x0 + 64);
        long word = 0L;
        for (int x = x0; x < end; x++) {
          // v > 0 exactly when v's bits are a positive int (NaN aside, which DepthMap refuses): the sign bit of
          // -bits & ~bits (which also keeps -0f, bits MIN_VALUE, unmeasured), without a branch per pixel.
          int v = Float.floatToRawIntBits(depth[row + x]);
          word |= (long) ((-v & ~v) >>> 31) << x;
        }
        bits[y * words + (x0 >>> 6)] = word;
      }
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** {@code ceil(width / 64)}. */
  public int wordsPerRow() {
    return words;
  }

  /** The bits, {@link #wordsPerRow()} longs per row; valid until the next {@link #reset}. */
  public long[] words() {
    return bits;
  }

  /** Whether pixel {@code (x, y)} is marked. */
  public boolean get(int x, int y) {
    return (bits[y * words + (x >>> 6)] & (1L << x)) != 0;
  }
}
