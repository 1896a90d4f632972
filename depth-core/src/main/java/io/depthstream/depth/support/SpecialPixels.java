package io.depthstream.depth.support;

import java.util.Arrays;

/**
 * Input pixels whose sensor value was +Inf or -Inf (REP-117/118): a reused, growable list in primitive arrays.
 * Such pixels are no measurement for reconstruction, but they carry meaning for guidance.
 */
public final class SpecialPixels {
  /** +Inf: nothing within the sensor's range. */
  public static final byte NO_RETURN = 1;

  /** -Inf: something nearer than the sensor's minimum range. */
  public static final byte TOO_CLOSE = 2;

  private int[] index = new int[16];
  private byte[] kind = new byte[16];
  private int count;

  public void clear() {
    count = 0;
  }

  public void add(int pixelIndex, byte pixelKind) {
    if (count == index.length) {
      index = Arrays.copyOf(index, count * 2);
      kind = Arrays.copyOf(kind, count * 2);
    }
    index[count] = pixelIndex;
    kind[count] = pixelKind;
    count++;
  }

  public int count() {
    return count;
  }

  public int index(int i) {
    return index[i];
  }

  public byte kind(int i) {
    return kind[i];
  }
}
