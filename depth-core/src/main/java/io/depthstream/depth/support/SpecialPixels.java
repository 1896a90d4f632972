package io.depthstream.depth.support;

import java.util.Arrays;

/**
 * The input pixels of one frame whose sensor value was infinite (REP-117 / REP-118): {@code +Inf} means the
 * sensor looked and found nothing within its maximum range ({@link #NO_RETURN}), {@code -Inf} means something was
 * nearer than its minimum range ({@link #TOO_CLOSE}). A {@link io.depthstream.depth.DepthMap} cannot hold them (it
 * stores finite metres, 0 = no measurement), so a decoder stores 0 in the map and lists the pixel here.
 *
 * <p>A reused, growable list of primitive arrays: {@link #clear()} per frame, then {@link #add}; it grows by
 * doubling and never shrinks, so a steady stream allocates nothing. Not thread-safe.
 */
public final class SpecialPixels {
  /** The sensor reported {@code +Inf}: no return within its maximum range (free space up to that range). */
  public static final byte NO_RETURN = 1;
  /** The sensor reported {@code -Inf}: something nearer than its minimum range. */
  public static final byte TOO_CLOSE = 2;

  private int[] indices = new int[16];
  private byte[] kinds = new byte[16];
  private int count;

  /** Forgets every pixel, keeping the arrays. */
  public void clear() {
    count = 0;
  }

  /**
   * Adds one pixel.
   *
   * @param pixelIndex row-major index {@code y * width + x} in the input frame
   * @param kind {@link #NO_RETURN} or {@link #TOO_CLOSE}
   * @throws IllegalArgumentException for a negative index or an unknown kind
   */
  public void add(int pixelIndex, byte kind) {
    if (pixelIndex < 0) {
      throw new IllegalArgumentException("special pixel index must be >= 0, got " + pixelIndex);
    }
    if (kind != NO_RETURN && kind != TOO_CLOSE) {
      throw new IllegalArgumentException(
          "special pixel kind must be NO_RETURN (1) or TOO_CLOSE (2), got " + kind + " at index " + pixelIndex);
    }
    if (count == indices.length) {
      indices = Arrays.copyOf(indices, count * 2);
      kinds = Arrays.copyOf(kinds, count * 2);
    }
    indices[count] = pixelIndex;
    kinds[count] = kind;
    count++;
  }

  /** Number of pixels listed since the last {@link #clear()}. */
  public int count() {
    return count;
  }

  /** The row-major input pixel index of the {@code i}-th entry, {@code 0 <= i < count()}. */
  public int index(int i) {
    checkEntry(i);
    return indices[i];
  }

  /** {@link #NO_RETURN} or {@link #TOO_CLOSE} for the {@code i}-th entry, {@code 0 <= i < count()}. */
  public byte kind(int i) {
    checkEntry(i);
    return kinds[i];
  }

  private void checkEntry(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("special pixel entry " + i + " of " + count);
    }
  }
}
