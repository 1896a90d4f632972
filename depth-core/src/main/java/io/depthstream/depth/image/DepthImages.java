package io.depthstream.depth.image;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.ImageFileException.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Depth images as drives store them, decoded into a {@link DepthMap} (metres, 0 = no measurement).
 *
 * <ul>
 *   <li>16-bit grey PNG with a scale: {@code metres = value / unitsPerMetre}, 0 = none. Kinect-style
 *       millimetres (1000), TUM RGB-D (5000), KITTI depth completion (256).
 *   <li>PFM (Portable Float Map, {@code Pf} grey): float32 rows stored bottom-to-top, little-endian when the
 *       header's scale is negative. Used by SLAM and stereo tools for float depth or inverse depth.
 * </ul>
 *
 * Every reader checks the image against the configured size and bit depth and names the file when it does not
 * match ({@link ImageFileException}), instead of producing a frame of the wrong shape. These are the project's
 * only depth image readers: the connectors' sources and the tools' dataset reader both decode through them.
 */
public final class DepthImages {
  private DepthImages() {}

  /**
   * Decodes a 16-bit grey PNG of scaled depths into {@code out}.
   *
   * @param unitsPerMetre file units per metre (1000 for millimetres, 5000 for TUM, 256 for KITTI)
   * @param scratch at least {@code out.size()} samples, reused across frames
   * @throws ImageFileException on a wrong size or bit depth, or a corrupt or truncated PNG
   */
  public static void decodeScaledPng(byte[] bytes, Path file, double unitsPerMetre, int[] scratch, DepthMap out) {
    checkSize(Png.header(bytes, file), file, out);
    Png.decodeGrey(bytes, file, 16, scratch);
    float[] d = out.data();
    // Divide in double and round once to float, so value / 5000 is the float nearest the true quotient.
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (scratch[i] / unitsPerMetre);
    }
  }

  /**
   * A table from 16-bit file samples to wire millimetres, giving exactly what converting to metres
   * ({@code (float) (v / unitsPerMetre)}) and then to uint16 millimetres (DepthWire: rounded, at least 1 for a
   * measurement, saturating at 65535) would give, without the float map in between.
   */
  public static char[] millimetreTable(double unitsPerMetre) {
    char[] lut = new char[65536];
    for (int v = 1; v < lut.length; v++) {
      float metres = (float) (v / unitsPerMetre);
      lut[v] = (char) (metres > 0f ? Math.min(65_535, Math.max(1, Math.round(metres * 1000f))) : 0);
    }
    return lut;
  }

  /**
   * Decodes a 16-bit grey PNG of scaled depths straight into wire bytes (uint16 little-endian millimetres,
   * 0 = none) through a {@link #millimetreTable}: the fast path for dense RGB-D frames. The big-endian samples
   * are read from the decoder's scanlines and looked up in one pass, with no intermediate sample array.
   *
   * @param decoder the calling thread's decoder (its buffers are reused)
   * @param outLe {@code 2 * width * height} bytes
   * @throws ImageFileException on a wrong size or bit depth, or a corrupt or truncated PNG
   */
  public static void decodeToMillimetres(byte[] bytes, Path file, char[] table, Png.Decoder decoder, byte[] outLe,
      int width, int height) {
    Png.Header h = Png.header(bytes, file);
    checkSize(h.width(), h.height(), file, width, height);
    if (outLe.length < 2 * width * height) {
      throw new IllegalArgumentException("output has " + outLe.length + " bytes, " + width + "x" + height
          + " needs " + 2 * width * height);
    }
    decoder.decode(bytes, file, 16);
    byte[] raw = decoder.scanlines();
    int stride = 2 * width;
    int j = 0;
    for (int y = 0; y < height; y++) {
      int end = y * (stride + 1) + 1 + stride; // skip each row's filter byte
      for (int i = end - stride; i < end; i += 2, j += 2) {
        char mm = table[((raw[i] & 0xff) << 8) | (raw[i + 1] & 0xff)];
        outLe[j] = (byte) mm;
        outLe[j + 1] = (byte) (mm >>> 8);
      }
    }
  }

  /**
   * Decodes an 8-bit grey PNG validity mask: {@code valid[i]} is true where the sample is non-zero.
   *
   * @throws ImageFileException on a wrong size or bit depth
   */
  public static void decodeMask(byte[] bytes, Path file, int[] scratch, boolean[] valid, DepthMap like) {
    checkSize(Png.header(bytes, file), file, like);
    Png.decodeGrey(bytes, file, 8, scratch);
    for (int i = 0; i < like.size(); i++) {
      valid[i] = scratch[i] != 0;
    }
  }

  private static void checkSize(Png.Header h, Path file, DepthMap out) {
    checkSize(h.width(), h.height(), file, out.width(), out.height());
  }

  private static void checkSize(int w, int h, Path file, int width, int height) {
    if (w != width || h != height) {
      throw new ImageFileException(file, Problem.WRONG_SIZE, "image is " + w + "x" + h + ", the configured size is "
          + width + "x" + height);
    }
  }

  /**
   * Decodes a grey PFM into {@code out} as stored (top row first), without interpreting the values.
   *
   * @throws ImageFileException on a colour PFM ({@code PF}), a bad header, a wrong size or truncated data
   */
  public static void decodePfm(byte[] bytes, Path file, float[] out, int width, int height) {
    int[] pos = {0};
    String magic = token(bytes, pos, file);
    if ("PF".equals(magic)) {
      throw new ImageFileException(file, Problem.WRONG_FORMAT, "colour PFM (PF, 3 channels); depth needs grey (Pf)");
    }
    if (!"Pf".equals(magic)) {
      throw new ImageFileException(file, Problem.CORRUPT, "not a PFM file (magic '" + magic + "', expected Pf)");
    }
    int w;
    int h;
    double scale;
    try {
      w = Integer.parseInt(token(bytes, pos, file));
      h = Integer.parseInt(token(bytes, pos, file));
      scale = Double.parseDouble(token(bytes, pos, file));
    } catch (NumberFormatException e) {
      throw new ImageFileException(file, Problem.CORRUPT, "malformed PFM header: " + e.getMessage());
    }
    pos[0]++; // exactly one whitespace byte separates the header from the raster
    checkSize(w, h, file, width, height);
    if (scale == 0 || !Double.isFinite(scale)) {
      throw new ImageFileException(file, Problem.CORRUPT, "PFM scale must be a non-zero number, got " + scale);
    }
    long need = 4L * w * h;
    if (bytes.length - pos[0] < need) {
      throw new ImageFileException(file, Problem.TRUNCATED, "PFM raster has " + (bytes.length - pos[0])
          + " bytes, " + w + "x" + h + " float32 need " + need);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, pos[0], (int) need)
        .order(scale < 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    // PFM stores the bottom row first.
    for (int y = h - 1; y >= 0; y--) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = b.getFloat();
      }
    }
  }

  /** Encodes a grey little-endian PFM (top row first in {@code values}); for tests and tools. */
  public static byte[] encodePfm(float[] values, int width, int height) {
    byte[] header = ("Pf\n" + width + " " + height + "\n-1.0\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(header.length + 4 * width * height).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header);
    for (int y = height - 1; y >= 0; y--) {
      for (int x = 0; x < width; x++) {
        b.putFloat(values[y * width + x]);
      }
    }
    return b.array();
  }

  private static String token(byte[] bytes, int[] pos, Path file) {
    int p = pos[0];
    while (p < bytes.length && Character.isWhitespace(bytes[p])) {
      p++;
    }
    int start = p;
    while (p < bytes.length && !Character.isWhitespace(bytes[p]) && p - start < 32) {
      p++;
    }
    if (p == start) {
      throw new ImageFileException(file, Problem.TRUNCATED, "PFM header ends early");
    }
    pos[0] = p;
    return new String(bytes, start, p - start, StandardCharsets.US_ASCII);
  }
}
