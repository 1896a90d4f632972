package io.depthstream.depth.io;

import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.image.Png;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Reads and writes single-channel 8/16-bit depth images as {@link RawImage} samples: PNG read by the project's one
 * PNG decoder (depth-core's {@link Png}, samples untouched) and written through {@code javax.imageio}, and binary
 * PGM (P5) and uncompressed grey BMP parsed here (an 8-bit palette or 24-bit BMP is accepted when every pixel is
 * grey, r = g = b, as image editors save grey images; a colour BMP is refused).
 *
 * <p>PGM byte order: the Netpbm spec says 16-bit samples are big-endian, but some datasets (the NYU Depth v2 raw
 * Kinect dumps) write little-endian, so the PGM reader takes an explicit {@link ByteOrder}. Nothing here guesses.
 */
public final class DepthImageIO {
  private DepthImageIO() {}

  /**
   * Reads a PNG or PGM by its magic bytes; a 16-bit PGM is read big-endian (the spec's order).
   *
   * @throws IOException if the file cannot be read or is neither PNG nor P5 PGM
   */
  public static RawImage read(Path file) throws IOException {
    return read(file, ByteOrder.BIG_ENDIAN);
  }

  /** Reads a PNG, PGM or BMP by its magic bytes; {@code pgmOrder} applies to 16-bit PGM samples. */
  public static RawImage read(Path file, ByteOrder pgmOrder) throws IOException {
    byte[] head = new byte[2];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 2) < 2) {
        throw new IOException(file + ": file too short to be an image");
      }
    }
    if (head[0] == 'P' && head[1] == '5') {
      return readPgm(file, pgmOrder);
    }
    if ((head[0] & 0xff) == 0x89 && head[1] == 'P') {
      return readPng(file);
    }
    if (head[0] == 'B' && head[1] == 'M') {
      return readGreyBmp(file);
    }
    throw new IOException(file + ": not a PNG, binary PGM (P5) or BMP file");
  }

  /**
   * Reads a single-channel 8- or 16-bit grey PNG.
   *
   * @throws IOException if the file cannot be read, is not a valid PNG, or is not 8- or 16-bit grey (colour images
   *     are not depth)
   */
  public static RawImage readPng(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try (Png.Decoder decoder = new Png.Decoder()) {
      Png.Header h = Png.header(bytes, file);
      if (!h.isGrey(8) && !h.isGrey(16)) {
        throw new IOException(file + ": expected a single-channel (grey) 8- or 16-bit PNG, found " + h.describe());
      }
      decoder.decodeSamples(bytes, file);
      int[] samples = Arrays.copyOf(decoder.samples(), h.width() * h.height());
      return new RawImage(h.width(), h.height(), samples, h.maxSample());
    } catch (ImageFileException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Reads an uncompressed grey BMP (Windows bitmap, BITMAPINFOHEADER or later, {@code BI_RGB}): 8-bit with a
   * palette, or 24-bit, each pixel's grey level (0-255). Rows are stored bottom-up (top-down when the height is
   * negative) and padded to 4 bytes.
   *
   * @throws IOException if the file is not such a BMP or a pixel is not grey (r, g and b differ)
   */
  public static RawImage readGreyBmp(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 54 || bytes[0] != 'B' || bytes[1] != 'M') {
      throw new IOException(file + ": not a BMP file");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int dataOffset = b.getInt(10);
    int dibSize = b.getInt(14);
    int w = b.getInt(18);
    int signedH = b.getInt(22);
    int bpp = b.getShort(28);
    int compression = b.getInt(30);
    int h = Math.abs(signedH);
    if (dibSize < 40 || w <= 0 || h == 0 || (bpp != 8 && bpp != 24) || compression != 0) {
      throw new IOException(file + ": expected an uncompressed 8-bit (palette) or 24-bit BMP, found " + bpp
          + " bits per pixel, compression " + compression);
    }
    int stride = ((w * bpp / 8) + 3) & ~3;
    if (dataOffset < 0 || (long) dataOffset + (long) stride * h > bytes.length) {
      throw new IOException(file + ": truncated BMP data");
    }
    int[] palette = new int[256];
    if (bpp == 8) {
      int colours = b.getInt(46) == 0 ? 256 : Math.min(256, b.getInt(46));
      int at = 14 + dibSize;
      for (int i = 0; i < colours && at + 4 * i + 2 < bytes.length; i++) {
        palette[i] = greyLevel(bytes[at + 4 * i + 2], bytes[at + 4 * i + 1], bytes[at + 4 * i], file, "palette entry "
            + i);
      }
    }
    int[] samples = new int[w * h];
    for (int y = 0; y < h; y++) {
      int row = dataOffset + stride * (signedH > 0 ? h - 1 - y : y);
      for (int x = 0; x < w; x++) {
        samples[y * w + x] = bpp == 8 ? palette[bytes[row + x] & 0xff]
            : greyLevel(bytes[row + 3 * x + 2], bytes[row + 3 * x + 1], bytes[row + 3 * x], file,
                "pixel (" + x + ", " + y + ")");
      }
    }
    return new RawImage(w, h, samples, 255);
  }

  private static int greyLevel(byte r, byte g, byte b, Path file, String where) throws IOException {
    if (r != g || g != b) {
      throw new IOException(file + ": expected a grey BMP (depth), " + where + " is colour (" + (r & 0xff) + ", "
          + (g & 0xff) + ", " + (b & 0xff) + ")");
    }
    return r & 0xff;
  }

  /** Writes an 8-bit ({@code maxValue < 256}) or 16-bit grey PNG with the samples unchanged. */
  public static void writePng(Path file, RawImage image) throws IOException {
    int type = image.bitDepth() == 8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY;
    BufferedImage out = new BufferedImage(image.width(), image.height(), type);
    WritableRaster raster = out.getRaster();
    raster.setSamples(0, 0, image.width(), image.height(), 0, image.samples());
    if (!ImageIO.write(out, "png", file.toFile())) {
      throw new IOException(file + ": no PNG writer available");
    }
  }

  /**
   * Reads a binary PGM (P5); 16-bit samples ({@code maxval > 255}) are decoded in {@code order}.
   *
   * @throws IOException on a malformed header or truncated data
   */
  public static RawImage readPgm(Path file, ByteOrder order) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      if (in.read() != 'P' || in.read() != '5') {
        throw new IOException(file + ": not a binary PGM (magic P5 expected)");
      }
      int w = readHeaderInt(in, file);
      int h = readHeaderInt(in, file);
      int maxval = readHeaderInt(in, file);
      // readHeaderInt consumed exactly one whitespace after maxval, as the spec requires before the raster.
      if (w <= 0 || h <= 0 || maxval <= 0 || maxval > 65535) {
        throw new IOException(file + ": bad PGM header " + w + "x" + h + " maxval " + maxval);
      }
      int bytesPer = maxval < 256 ? 1 : 2;
      byte[] raw = in.readNBytes(w * h * bytesPer);
      if (raw.length != w * h * bytesPer) {
        throw new IOException(file + ": truncated PGM data, " + raw.length + " of " + w * h * bytesPer + " bytes");
      }
      int[] samples = new int[w * h];
      if (bytesPer == 1) {
        for (int i = 0; i < samples.length; i++) {
          samples[i] = raw[i] & 0xff;
        }
      } else if (order == ByteOrder.BIG_ENDIAN) {
        for (int i = 0; i < samples.length; i++) {
          samples[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
        }
      } else {
        for (int i = 0; i < samples.length; i++) {
          samples[i] = (raw[2 * i] & 0xff) | ((raw[2 * i + 1] & 0xff) << 8);
        }
      }
      return new RawImage(w, h, samples, maxval);
    }
  }

  /** Writes a binary PGM (P5); 16-bit samples are written in {@code order} (the spec's is big-endian). */
  public static void writePgm(Path file, RawImage image, ByteOrder order) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      out.write(("P5\n" + image.width() + " " + image.height() + "\n" + image.maxValue() + "\n")
          .getBytes(StandardCharsets.US_ASCII));
      int[] s = image.samples();
      boolean wide = image.bitDepth() == 16;
      byte[] raw = new byte[s.length * (wide ? 2 : 1)];
      for (int i = 0; i < s.length; i++) {
        int v = s[i];
        if (v < 0 || v > image.maxValue()) {
          throw new IllegalArgumentException("sample " + v + " at index " + i + " outside [0, " + image.maxValue()
              + "]");
        }
        if (!wide) {
          raw[i] = (byte) v;
        } else if (order == ByteOrder.BIG_ENDIAN) {
          raw[2 * i] = (byte) (v >>> 8);
          raw[2 * i + 1] = (byte) v;
        } else {
          raw[2 * i] = (byte) v;
          raw[2 * i + 1] = (byte) (v >>> 8);
        }
      }
      out.write(raw);
    }
  }

  /** Parses one decimal header field, skipping whitespace and '#' comments; consumes one trailing whitespace. */
  private static int readHeaderInt(InputStream in, Path file) throws IOException {
    int c = in.read();
    while (true) {
      if (c == '#') {
        while (c != '\n' && c != '\r' && c != -1) {
          c = in.read();
        }
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        c = in.read();
      } else {
        break;
      }
    }
    if (c < '0' || c > '9') {
      throw new IOException(file + ": malformed PGM header");
    }
    long value = 0;
    while (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      if (value > Integer.MAX_VALUE) {
        throw new IOException(file + ": PGM header number too large");
      }
      c = in.read();
    }
    return (int) value;
  }
}
