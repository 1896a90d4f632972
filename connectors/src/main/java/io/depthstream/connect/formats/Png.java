package io.depthstream.connect.formats;

import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A small, fast PNG decoder for the single-channel images depth drives are made of: 16-bit grey depth maps and
 * 8-bit grey validity masks (non-interlaced, as every depth dataset writes them). It exists for speed: a
 * 640x480 16-bit frame decodes in a few milliseconds, several times faster than {@code javax.imageio}, which a
 * Kinect drive at 30 Hz needs to be replayed at 10x its rate.
 *
 * <p>PNG (ISO/IEC 15948): chunks of {@code length, type, data, CRC-32}; IHDR then IDAT (a zlib stream) then IEND.
 * Every scanline starts with a filter byte (None, Sub, Up, Average, Paeth; spec section 9). 16-bit samples are
 * big-endian. CRCs are checked, so a corrupt file is reported, never decoded into wrong depths.
 */
public final class Png {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int MAX_SIDE = 1 << 14;

  /** The IHDR fields a reader needs. {@code colorType}: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  public record Header(int width, int height, int bitDepth, int colorType, boolean interlaced) {
    /** Samples per pixel. */
    public int channels() {
      return switch (colorType) {
        case 0, 3 -> 1;
        case 2 -> 3;
        case 4 -> 2;
        case 6 -> 4;
        default -> throw new IllegalStateException("colour type " + colorType);
      };
    }

    /** Whether this is a single-channel grey image of {@code bits} bits per sample. */
    public boolean isGrey(int bits) {
      return colorType == 0 && bitDepth == bits;
    }

    /** Human-readable pixel format, e.g. "8-bit grey" or "16-bit RGB", for error messages. */
    public String describe() {
      String kind = switch (colorType) {
        case 0 -> "grey";
        case 2 -> "RGB";
        case 3 -> "palette";
        case 4 -> "grey+alpha";
        case 6 -> "RGBA";
        default -> "colour type " + colorType;
      };
      return bitDepth + "-bit " + kind;
    }
  }

  private Png() {}

  /** Whether {@code bytes} start with the PNG signature. */
  public static boolean isPng(byte[] bytes) {
    if (bytes.length < SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (bytes[i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads the IHDR chunk only (cheap: no decompression).
   *
   * @throws BadFileException if the bytes are not a PNG or the header is malformed
   */
  public static Header header(byte[] bytes, Path file) {
    if (!isPng(bytes)) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "not a PNG file (bad signature)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    if (bytes.length < 33) {
      throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PNG ends inside its IHDR header");
    }
    int len = buf.getInt(8);
    String type = new String(bytes, 12, 4, StandardCharsets.US_ASCII);
    if (len != 13 || !"IHDR".equals(type)) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG does not start with a 13-byte IHDR chunk");
    }
    checkCrc(bytes, 8, len, file);
    int w = buf.getInt(16);
    int h = buf.getInt(20);
    int bitDepth = bytes[24] & 0xff;
    int colorType = bytes[25] & 0xff;
    int interlace = bytes[28] & 0xff;
    if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG size " + w + "x" + h + " out of range");
    }
    if (colorType != 0 && colorType != 2 && colorType != 3 && colorType != 4 && colorType != 6) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG colour type " + colorType + " is invalid");
    }
    return new Header(w, h, bitDepth, colorType, interlace != 0);
  }

  /**
   * Checks a whole PNG of any colour type without decoding its pixels, for readers that pass PNG bytes on (focal-stack
   * slices): every chunk's CRC, and that the image data is one complete zlib stream of the size the header declares
   * (non-interlaced: {@code height} rows of a filter byte and {@code ceil(width * channels * bitDepth / 8)} bytes;
   * interlaced: at most twice that plus 16, as its seven passes add a filter byte, and a partial byte, per row).
   *
   * @throws BadFileException on a bad signature or header, a bad CRC, corrupt image data, or data cut short
   */
  public static Header verify(byte[] bytes, Path file) {
    Header h = header(bytes, file);
    long raw = (((long) h.width() * h.channels() * h.bitDepth() + 7) / 8 + 1) * h.height();
    long limit = h.interlaced() ? 2 * raw + 16 : raw;
    Inflater inflater = new Inflater();
    CRC32 crc = new CRC32();
    byte[] sink = new byte[8192];
    long produced = 0;
    boolean complete;
    try {
      int pos = 8;
      while (pos + 12 <= bytes.length && !inflater.finished()) {
        int len = ByteBuffer.wrap(bytes, pos, 4).getInt();
        if (len < 0 || pos + 12L + len > bytes.length) {
          throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE,
              "PNG chunk at byte " + pos + " runs past the end of the file (" + bytes.length + " bytes)");
        }
        checkCrc(crc, bytes, pos, len, file);
        if (bytes[pos + 4] == 'I' && bytes[pos + 5] == 'D' && bytes[pos + 6] == 'A' && bytes[pos + 7] == 'T') {
          inflater.setInput(bytes, pos + 8, len);
          int n;
          while ((n = inflater.inflate(sink)) > 0) {
            produced += n;
            if (produced > limit) { // a zip bomb, or data for a larger image
              throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG image data inflates to more than the "
                  + limit + " bytes its " + h.width() + "x" + h.height() + " header allows");
            }
          }
          if (inflater.needsDictionary()) {
            throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG image data asks for a zlib dictionary");
          }
        }
        pos += 12 + len;
      }
      complete = inflater.finished();
    } catch (DataFormatException e) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG image data is not a valid zlib stream: "
          + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    if (!complete || (!h.interlaced() && produced < raw)) {
      throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PNG image data ends after " + produced + " of "
          + raw + " bytes");
    }
    return h;
  }

  /**
   * Decodes a non-interlaced 8- or 16-bit grey PNG into {@code out} (row-major samples, 16-bit as 0..65535).
   * Allocates a {@link Decoder} per call; a reader decoding many frames keeps one {@link Decoder} instead.
   *
   * @param expectedBits 8 or 16: the bit depth the caller's format needs; anything else is rejected
   * @param out at least width * height long; reused across frames by the caller
   * @return the header of the decoded image
   * @throws BadFileException on a wrong bit depth or channel count, bad CRC, corrupt or truncated data
   */
  public static Header decodeGrey(byte[] bytes, Path file, int expectedBits, int[] out) {
    try (Decoder d = new Decoder()) {
      Header h = d.decode(bytes, file, expectedBits);
      int pixels = h.width() * h.height();
      if (out.length < pixels) {
        throw new IllegalArgumentException("output buffer has " + out.length + " samples, image needs " + pixels);
      }
      byte[] raw = d.scanlines();
      int stride = h.width() * (expectedBits / 8);
      int p = 0;
      for (int y = 0; y < h.height(); y++) {
        int row = y * (stride + 1) + 1;
        if (expectedBits == 16) {
          for (int x = 0; x < h.width(); x++, p++) {
            out[p] = ((raw[row + 2 * x] & 0xff) << 8) | (raw[row + 2 * x + 1] & 0xff);
          }
        } else {
          for (int x = 0; x < h.width(); x++, p++) {
            out[p] = raw[row + x] & 0xff;
          }
        }
      }
      return h;
    }
  }

  /**
   * A reusable grey-PNG decoder: one zlib {@link Inflater} (reset per frame, not re-created: creating one
   * allocates native zlib state) and one scanline buffer grown to the largest image seen, so a drive of
   * same-sized frames decodes without allocating. Not thread-safe: one per decoding thread.
   */
  public static final class Decoder implements AutoCloseable {
    private final Inflater inflater = new Inflater();
    private final CRC32 crc = new CRC32();
    private byte[] raw = new byte[0];

    /**
     * Decodes into {@link #scanlines()}: {@code height} rows of {@code 1 + width * bytesPerSample} bytes, each
     * a (now undone) filter byte followed by the row's samples as stored (16-bit big-endian).
     *
     * @param expectedBits 8 or 16: the bit depth the caller's format needs; anything else is rejected
     * @throws BadFileException on a wrong bit depth or channel count, bad CRC, corrupt or truncated data
     */
    public Header decode(byte[] bytes, Path file, int expectedBits) {
      Header h = header(bytes, file);
      if (!h.isGrey(expectedBits)) {
        throw new BadFileException(file, DeadLetterReason.WRONG_BIT_DEPTH,
            "expected a " + expectedBits + "-bit single-channel grey PNG, found " + h.describe());
      }
      if (h.interlaced()) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "interlaced (Adam7) PNG is not supported for depth");
      }
      int bpp = expectedBits / 8;
      int stride = h.width() * bpp;
      int expected = (stride + 1) * h.height();
      if (raw.length < expected) {
        raw = new byte[expected];
      }
      inflateIdat(bytes, file, expected);
      unfilter(raw, h.height(), stride, bpp, file);
      return h;
    }

    /** The decoded rows of the last {@link #decode}; overwritten by the next call. */
    public byte[] scanlines() {
      return raw;
    }

    /** Concatenates the IDAT chunks, checks CRCs and inflates exactly {@code expected} bytes into raw. */
    private void inflateIdat(byte[] bytes, Path file, int expected) {
      inflater.reset();
      int produced = 0;
      boolean sawIend = false;
      try {
        int pos = 8;
        while (pos + 12 <= bytes.length) {
          int len = ((bytes[pos] & 0xff) << 24) | ((bytes[pos + 1] & 0xff) << 16) | ((bytes[pos + 2] & 0xff) << 8)
              | (bytes[pos + 3] & 0xff);
          if (len < 0 || pos + 12L + len > bytes.length) {
            throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE,
                "PNG chunk at byte " + pos + " runs past the end of the file (" + bytes.length + " bytes)");
          }
          checkCrc(crc, bytes, pos, len, file);
          int t = pos + 4;
          if (bytes[t] == 'I' && bytes[t + 1] == 'D' && bytes[t + 2] == 'A' && bytes[t + 3] == 'T') {
            inflater.setInput(bytes, pos + 8, len);
            while (!inflater.needsInput() && produced < expected && !inflater.finished()) {
              int n = inflater.inflate(raw, produced, expected - produced);
              produced += n;
              if (n == 0 && (inflater.needsDictionary() || inflater.needsInput())) {
                break;
              }
            }
          } else if (bytes[t] == 'I' && bytes[t + 1] == 'E' && bytes[t + 2] == 'N' && bytes[t + 3] == 'D') {
            sawIend = true;
            break;
          }
          pos += 12 + len;
        }
      } catch (DataFormatException e) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG image data is not a valid zlib stream: "
            + e.getMessage(), e);
      }
      if (produced < expected) {
        throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PNG image data ends after " + produced + " of "
            + expected + " bytes" + (sawIend ? "" : " (no IEND chunk: file cut short)"));
      }
    }

    /** Frees the native zlib state now rather than at garbage collection. */
    @Override
    public void close() {
      inflater.end();
    }
  }

  private static void checkCrc(byte[] bytes, int chunkPos, int len, Path file) {
    checkCrc(new CRC32(), bytes, chunkPos, len, file);
  }

  private static void checkCrc(CRC32 crc, byte[] bytes, int chunkPos, int len, Path file) {
    crc.reset();
    crc.update(bytes, chunkPos + 4, len + 4);
    int at = chunkPos + 8 + len;
    long stored = ((bytes[at] & 0xffL) << 24) | ((bytes[at + 1] & 0xffL) << 16) | ((bytes[at + 2] & 0xffL) << 8)
        | (bytes[at + 3] & 0xffL);
    if (crc.getValue() != stored) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PNG chunk "
          + new String(bytes, chunkPos + 4, 4, StandardCharsets.US_ASCII) + " at byte " + chunkPos
          + " fails its CRC check");
    }
  }

  /**
   * Undoes the per-scanline filters in place (PNG spec section 9.2). The first {@code bpp} bytes of a row (no
   * left neighbour) and the first row (no row above) are handled outside the inner loops, so the loops that do
   * nearly all the work have no edge tests.
   */
  private static void unfilter(byte[] raw, int height, int stride, int bpp, Path file) {
    for (int y = 0; y < height; y++) {
      int row = y * (stride + 1);
      int filter = raw[row];
      int cur = row + 1;
      int prev = cur - (stride + 1); // only read when y > 0
      int end = cur + stride;
      switch (filter) {
        case 0 -> { }
        case 1 -> {
          for (int i = cur + bpp; i < end; i++) {
            raw[i] += raw[i - bpp];
          }
        }
        case 2 -> {
          if (y > 0) {
            for (int i = cur, j = prev; i < end; i++, j++) {
              raw[i] += raw[j];
            }
          }
        }
        case 3 -> {
          if (y == 0) { // up = 0: average of the left neighbour and 0
            for (int i = cur + bpp; i < end; i++) {
              raw[i] += (byte) ((raw[i - bpp] & 0xff) >>> 1);
            }
          } else {
            for (int i = cur, j = prev; i < cur + bpp; i++, j++) {
              raw[i] += (byte) ((raw[j] & 0xff) >>> 1);
            }
            for (int i = cur + bpp, j = prev + bpp; i < end; i++, j++) {
              raw[i] += (byte) (((raw[i - bpp] & 0xff) + (raw[j] & 0xff)) >>> 1);
            }
          }
        }
        case 4 -> {
          if (y == 0) { // up = up-left = 0: the Paeth predictor is the left neighbour (a Sub filter)
            for (int i = cur + bpp; i < end; i++) {
              raw[i] += raw[i - bpp];
            }
          } else {
            for (int i = cur, j = prev; i < cur + bpp; i++, j++) { // left = up-left = 0: predictor is up
              raw[i] += raw[j];
            }
            for (int i = cur + bpp, j = prev + bpp; i < end; i++, j++) {
              int a = raw[i - bpp] & 0xff;
              int b = raw[j] & 0xff;
              int c = raw[j - bpp] & 0xff;
              int pa = Math.abs(b - c); // |p - a| with p = a + b - c
              int pb = Math.abs(a - c); // |p - b|
              int pc = Math.abs(a + b - c - c); // |p - c|
              int pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
              raw[i] += (byte) pred;
            }
          }
        }
        default -> throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
            "PNG scanline " + y + " has unknown filter type " + filter);
      }
    }
  }
}
