package io.depthstream.depth.wire;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.MeasuredBits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Dense depth to the wire's byte layouts (little-endian, row-major), shared by every producer of frames.
 *
 * <ul>
 *   <li>uint16 millimetres: rounded to the nearest millimetre; no measurement (0) stays 0; a measurement that
 *       would round to 0 becomes 1 so it is not mistaken for a hole; 65.535 m or more saturates at 65535.
 *   <li>float32 metres: no measurement (0) becomes NaN (REP-118 style); everything else is written as is.
 * </ul>
 */
public final class DepthWire {
  private static final VarHandle LITTLE_ENDIAN_SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LITTLE_ENDIAN_FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  private DepthWire() {}

  /** Units per metre of the uint16 millimetre encoding. */
  public static final float MILLIMETRES = 1000f;

  /** Units per metre of the KITTI-style scaled uint16 encoding (1/256 m, up to 255.996 m). */
  public static final float KITTI_256THS = 256f;

  /** uint16 LE millimetres, {@code 2 * width * height} bytes, 0 = no measurement. */
  public static byte[] toUint16Millimetres(DepthMap depth) {
    byte[] bytes = new byte[depth.size() * 2];
    toUint16(depth, MILLIMETRES, bytes);
    return bytes;
  }

  /**
   * uint16 LE in units of {@code 1 / unitsPerMetre} metres into {@code out} ({@code 2 * width * height} bytes),
   * 0 = no measurement; a measurement that would round to 0 becomes 1 so it is not mistaken for a hole.
   *
   * @return how many measured pixels were at or beyond the encoding's range (65535 units) and saturated there
   */
  public static int toUint16(DepthMap depth, float unitsPerMetre, byte[] out) {
    return toUint16(depth, unitsPerMetre, out, 0);
  }

  /**
   * As {@link #toUint16(DepthMap, float, byte[])}, into {@code out} from {@code offset} on: a serialiser writes the
   * payload straight into the message's bytes.
   *
   * @return how many measured pixels saturated at 65535 units
   */
  public static int toUint16(DepthMap depth, float unitsPerMetre, byte[] out, int offset) {
    float[] d = depth.data();
    int saturated = 0;
    for (int i = 0; i < d.length; i++) {
      // (int) (x + 0.5f) rounds a positive x like Math.round, which is not an intrinsic on JDK 17 and cost a
      // fifth of a stream thread's Java time at 2 x 30 fps 640x480 (JFR); they differ by at most 1 unit on exact
      // half-unit ties, where the float sum rounds up. The cast saturates at Integer.MAX_VALUE, so clamping after it
      // is exact; one 16-bit store per pixel (a little-endian view of the byte array) instead of two byte stores.
      float v = d[i];
      float x = v * unitsPerMetre;
      int units = Math.min(65_535, Math.max(1, (int) (x + 0.5f)));
      saturated += x >= 65_534.5f ? 1 : 0;
      LITTLE_ENDIAN_SHORT.set(out, offset + (i << 1), (short) (v > 0f ? units : 0));
    }
    return saturated;
  }

  /** float32 LE metres, {@code 4 * width * height} bytes, NaN = no measurement. */
  public static byte[] toFloat32Metres(DepthMap depth) {
    byte[] out = new byte[depth.size() * 4];
    toFloat32Metres(depth, out, 0);
    return out;
  }

  /** float32 LE metres into {@code out} from {@code offset} on ({@code 4 * width * height} bytes), NaN = none. */
  public static void toFloat32Metres(DepthMap depth, byte[] out, int offset) {
    float[] d = depth.data();
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      LITTLE_ENDIAN_FLOAT.set(out, offset + (i << 2), v > 0f ? v : Float.NaN);
    }
  }

  /**
   * Reads uint16 LE millimetres into {@code out} (metres, 0 = no measurement).
   *
   * @throws IllegalArgumentException if {@code bytes} does not hold exactly {@code 2 * out.size()} bytes
   */
  public static void fromUint16Millimetres(ByteBuffer bytes, DepthMap out) {
    fromUint16(bytes, MILLIMETRES, out);
  }

  /**
   * Reads uint16 LE in units of {@code 1 / unitsPerMetre} metres into {@code out} (metres, 0 = no measurement).
   *
   * @throws IllegalArgumentException if {@code bytes} does not hold exactly {@code 2 * out.size()} bytes
   */
  public static void fromUint16(ByteBuffer bytes, float unitsPerMetre, DepthMap out) {
    fromUint16(bytes, unitsPerMetre, out, null);
  }

  /**
   * As {@link #fromUint16(ByteBuffer, float, DepthMap)}, and marks the measured pixels (stored value {@code > 0}) in
   * {@code measured} in the same pass, 64 pixels per word, so a decoder need not read the frame again for them.
   *
   * @param measured null, or bits already {@link MeasuredBits#reset reset} to {@code out}'s size
   * @throws IllegalArgumentException if the payload size is wrong, or {@code measured} has another size
   */
  public static void fromUint16(ByteBuffer bytes, float unitsPerMetre, DepthMap out, MeasuredBits measured) {
    requireBytes(bytes, out, 2, "uint16");
    int width = out.width();
    if (measured != null && (measured.width() != width || measured.height() != out.height())) {
      throw new IllegalArgumentException("measured bits are " + measured.width() + "x" + measured.height()
          + " but the depth map is " + width + "x" + out.height());
    }
    ByteBuffer bb = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int start = bb.position();
    float[] d = out.data();
    for (int y = 0; y < out.height(); y++) {
      int row = y * width;
      for (int x0 = 0; x0 < width; x0 += 64) {
        int end = Math.min(width, x0 + 64);
        long word = 0L;
        for (int x = x0; x < end; x++) {
          int raw = bb.getShort(start + 2 * (row + x)) & 0xFFFF;
          d[row + x] = raw / unitsPerMetre; // division, not * (1 / u): correctly rounded metres
          word |= (long) (-raw >>> 31) << x; // 1 for raw > 0
        }
        if (measured != null) {
          measured.setWord(y, x0 >>> 6, word);
        }
      }
    }
  }

  /**
   * Reads float32 LE metres into {@code out}, NaN becoming 0 (no measurement). Values are not range-checked.
   *
   * @throws IllegalArgumentException if {@code bytes} does not hold exactly {@code 4 * out.size()} bytes
   */
  public static void fromFloat32Metres(ByteBuffer bytes, DepthMap out) {
    requireBytes(bytes, out, 4, "float32");
    ByteBuffer bb = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] d = out.data();
    for (int i = 0; i < d.length; i++) {
      float v = bb.getFloat();
      d[i] = Float.isNaN(v) ? 0f : v;
    }
  }

  private static void requireBytes(ByteBuffer bytes, DepthMap out, int bytesPerPixel, String what) {
    long expected = (long) out.size() * bytesPerPixel;
    if (bytes.remaining() != expected) {
      throw new IllegalArgumentException(what + " payload has " + bytes.remaining() + " bytes, but " + out.width()
          + "x" + out.height() + "x" + bytesPerPixel + " = " + expected + " are required");
    }
  }
}
