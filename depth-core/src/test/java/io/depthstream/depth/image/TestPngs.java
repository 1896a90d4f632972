package io.depthstream.depth.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * PNG files for the codec's tests, made by an encoder other than the decoder under test: {@code javax.imageio}'s
 * writer, or the spec's definitions written out here (chunks, forward filters). Shared with other modules' tests
 * (stream-app's focal stacks) through depth-core's test jar.
 */
public final class TestPngs {
  private TestPngs() {}

  /** {@code image} as ImageIO's PNG writer encodes it, Adam7-interlaced when asked. */
  public static byte[] write(BufferedImage image, boolean interlaced) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** A grey PNG of {@code bits} (8 or 16) through ImageIO. */
  static byte[] grey(int bits, int width, int height, int... samples) {
    BufferedImage image = new BufferedImage(width, height,
        bits == 8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
    image.getRaster().setSamples(0, 0, width, height, 0, samples);
    return write(image, false);
  }

  /**
   * A grey PNG of 8 or 16 bits whose every row uses {@code filter}, encoded by the spec's forward filter
   * definitions (section 9.2), so the decoder's shortcuts for the first row and first pixel are checked against
   * the definition.
   */
  static byte[] filteredGrey(int[] samples, int w, int h, int bits, int filter) {
    int bpp = bits / 8;
    int stride = w * bpp;
    byte[][] rows = new byte[h][stride];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = samples[y * w + x];
        if (bpp == 2) {
          rows[y][2 * x] = (byte) (v >>> 8);
          rows[y][2 * x + 1] = (byte) v;
        } else {
          rows[y][x] = (byte) v;
        }
      }
    }
    byte[] filtered = new byte[(stride + 1) * h];
    for (int y = 0; y < h; y++) {
      filtered[y * (stride + 1)] = (byte) filter;
      for (int i = 0; i < stride; i++) {
        int a = i >= bpp ? rows[y][i - bpp] & 0xff : 0;
        int b = y > 0 ? rows[y - 1][i] & 0xff : 0;
        int c = i >= bpp && y > 0 ? rows[y - 1][i - bpp] & 0xff : 0;
        int pred = switch (filter) {
          case 0 -> 0;
          case 1 -> a;
          case 2 -> b;
          case 3 -> (a + b) / 2;
          default -> {
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          }
        };
        filtered[y * (stride + 1) + 1 + i] = (byte) ((rows[y][i] & 0xff) - pred);
      }
    }
    return assemble(w, h, bits, 0, false, filtered, null);
  }

  /**
   * A PNG of the given header whose image data is {@code scanlines} (filter bytes included) compressed, with a
   * PLTE chunk of {@code palette} (R, G, B triplets) when it is not null.
   */
  public static byte[] assemble(int w, int h, int bits, int colorType, boolean interlaced, byte[] scanlines,
      byte[] palette) {
    Deflater deflater = new Deflater();
    deflater.setInput(scanlines);
    deflater.finish();
    byte[] z = new byte[scanlines.length * 2 + 64];
    int zlen = deflater.deflate(z);
    deflater.end();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    // IHDR: width, height, bit depth, colour type, compression 0, filter 0, interlace
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bits).put((byte) colorType)
        .put((byte) 0).put((byte) 0).put((byte) (interlaced ? 1 : 0)).array());
    if (palette != null) {
      chunk(out, "PLTE", palette);
    }
    chunk(out, "IDAT", Arrays.copyOf(z, zlen));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** One chunk: length, type, data, CRC-32 of type and data (big-endian, section 5.3). */
  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    out.writeBytes(b.array());
  }
}
