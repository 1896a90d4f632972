package io.depthstream.depth.image;

import io.depthstream.depth.image.ImageFileException.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The project's one PNG reader: a small, fast decoder. Its fast path is the single-channel images depth drives
 * are made of (16-bit grey depth maps, 8-bit grey validity masks, non-interlaced as every depth dataset writes
 * them): a 640x480 16-bit frame decodes in a few milliseconds, two to three times faster than {@code javax.imageio}
 * with identical samples, which a Kinect drive at 30 Hz needs to be replayed at 10x its rate. {@link
 * Decoder#decodeSamples} reads every other PNG too (grey, RGB, palette, grey+alpha, RGBA at every bit depth the
 * spec allows, interlaced or not), for focal-stack slices and dataset tools.
 *
 * <p>PNG (ISO/IEC 15948): chunks of {@code length, type, data, CRC-32}; IHDR, then PLTE for palette images, then
 * IDAT (a zlib stream), then IEND. Every scanline starts with a filter byte (None, Sub, Up, Average, Paeth; spec
 * section 9). Samples of 16 bits are big-endian; samples of 1, 2 or 4 bits are packed high bits first. Interlaced
 * images hold seven reduced images (Adam7, section 8.2). CRCs are checked, so a corrupt file is reported ({@link
 * ImageFileException}), never decoded into wrong pixels.
 */
public final class Png {
  /** Bytes {@link #header} reads: the signature and the IHDR chunk. */
  public static final int HEADER_BYTES = 33;

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int MAX_SIDE = 1 << 14;
  /** Adam7 passes (spec section 8.2): first column, first row, column step, row step. */
  private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4},
      {1, 0, 2, 2}, {0, 1, 1, 2}};
  /** A non-interlaced image as one "pass" in the same terms. */
  private static final int[] WHOLE_IMAGE = {0, 0, 1, 1};

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

    /** Values per pixel after {@link Decoder#decodeSamples}: palette images expand to R, G, B. */
    public int sampleChannels() {
      return colorType == 3 ? 3 : channels();
    }

    /** The largest sample value after {@link Decoder#decodeSamples}: {@code 2^bitDepth - 1}, 255 for palette. */
    public int maxSample() {
      return colorType == 3 ? 255 : (1 << bitDepth) - 1;
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

  /**
   * Decoded samples ({@link Decoder#decodeSamples}) as R, G, B planes in [0, 1]: {@code out[offset + c * w * h + i]}
   * for channel c of pixel i, each value sample / {@link Header#maxSample()} (no gamma or colour-space conversion).
   * Grey and grey+alpha give three equal planes; alpha is dropped.
   */
  public static void toRgbPlanes(Header h, int[] samples, float[] out, int offset) {
    int plane = h.width() * h.height();
    int channels = h.sampleChannels();
    float max = h.maxSample();
    if (channels < 3) { // grey, or grey and alpha: the grey value in all three planes
      for (int i = 0; i < plane; i++) {
        float v = samples[i * channels] / max;
        out[offset + i] = v;
        out[offset + plane + i] = v;
        out[offset + 2 * plane + i] = v;
      }
      return;
    }
    for (int i = 0; i < plane; i++) { // R, G, B, and alpha (ignored) when there are four
      int at = i * channels;
      out[offset + i] = samples[at] / max;
      out[offset + plane + i] = samples[at + 1] / max;
      out[offset + 2 * plane + i] = samples[at + 2] / max;
    }
  }

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
   * Reads the IHDR chunk only (cheap: no decompression), and checks that the decoder can take the image's size
   * (at most {@code 2^14} pixels a side).
   *
   * @throws ImageFileException if the bytes are not a PNG or the header is malformed or out of range
   */
  public static Header header(byte[] bytes, Path file) {
    Header h = declaredHeader(bytes, file);
    if (h.width() > MAX_SIDE || h.height() > MAX_SIDE) {
      throw outOfRange(h.width(), h.height(), file);
    }
    return h;
  }

  /**
   * Reads the IHDR chunk as declared: the signature, the chunk's layout and CRC, positive sides and a valid colour
   * type are checked, but not the decoder's size limit, so a caller with a smaller limit of its own (a focal
   * stack's size) can report a mismatch as such before {@link #header} would call the size out of range.
   *
   * @throws ImageFileException if the bytes are not a PNG or the header is malformed
   */
  public static Header declaredHeader(byte[] bytes, Path file) {
    if (!isPng(bytes)) {
      throw new ImageFileException(file, Problem.CORRUPT, "not a PNG file (bad signature)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    if (bytes.length < HEADER_BYTES) {
      throw new ImageFileException(file, Problem.TRUNCATED, "PNG ends inside its IHDR header");
    }
    int len = buf.getInt(8);
    String type = new String(bytes, 12, 4, StandardCharsets.US_ASCII);
    if (len != 13 || !"IHDR".equals(type)) {
      throw new ImageFileException(file, Problem.CORRUPT, "PNG does not start with a 13-byte IHDR chunk");
    }
    checkCrc(bytes, 8, len, file);
    int w = buf.getInt(16);
    int h = buf.getInt(20);
    int bitDepth = bytes[24] & 0xff;
    int colorType = bytes[25] & 0xff;
    int interlace = bytes[28] & 0xff;
    if (w <= 0 || h <= 0) {
      throw outOfRange(w, h, file);
    }
    if (colorType != 0 && colorType != 2 && colorType != 3 && colorType != 4 && colorType != 6) {
      throw new ImageFileException(file, Problem.CORRUPT, "PNG colour type " + colorType + " is invalid");
    }
    return new Header(w, h, bitDepth, colorType, interlace != 0);
  }

  private static ImageFileException outOfRange(int w, int h, Path file) {
    return new ImageFileException(file, Problem.CORRUPT, "PNG size " + w + "x" + h + " out of range");
  }

  /**
   * Checks a whole PNG of any colour type without decoding its pixels, for readers that pass PNG bytes on (focal-stack
   * slices): every chunk's CRC, and that the image data is one complete zlib stream of the size the header declares
   * (non-interlaced: {@code height} rows of a filter byte and {@code ceil(width * channels * bitDepth / 8)} bytes;
   * interlaced: at most twice that plus 16, as its seven passes add a filter byte, and a partial byte, per row).
   *
   * @throws ImageFileException on a bad signature or header, a bad CRC, corrupt image data, or data cut short
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
          throw new ImageFileException(file, Problem.TRUNCATED,
              "PNG chunk at byte " + pos + " runs past the end of the file (" + bytes.length + " bytes)");
        }
        checkCrc(crc, bytes, pos, len, file);
        if (bytes[pos + 4] == 'I' && bytes[pos + 5] == 'D' && bytes[pos + 6] == 'A' && bytes[pos + 7] == 'T') {
          inflater.setInput(bytes, pos + 8, len);
          int n;
          while ((n = inflater.inflate(sink)) > 0) {
            produced += n;
            if (produced > limit) { // a zip bomb, or data for a larger image
              throw new ImageFileException(file, Problem.CORRUPT, "PNG image data inflates to more than the "
                  + limit + " bytes its " + h.width() + "x" + h.height() + " header allows");
            }
          }
          if (inflater.needsDictionary()) {
            throw new ImageFileException(file, Problem.CORRUPT, "PNG image data asks for a zlib dictionary");
          }
        }
        pos += 12 + len;
      }
      complete = inflater.finished();
    } catch (DataFormatException e) {
      throw new ImageFileException(file, Problem.CORRUPT, "PNG image data is not a valid zlib stream: "
          + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    if (!complete || (!h.interlaced() && produced < raw)) {
      throw new ImageFileException(file, Problem.TRUNCATED, "PNG image data ends after " + produced + " of "
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
   * @throws ImageFileException on a wrong bit depth or channel count, bad CRC, corrupt or truncated data
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
   * A reusable PNG decoder: one zlib {@link Inflater} (reset per frame, not re-created: creating one allocates
   * native zlib state), one scanline buffer and one sample buffer, each grown to the largest image seen, so a
   * drive of same-sized frames decodes without allocating. Not thread-safe: one per decoding thread.
   */
  public static final class Decoder implements AutoCloseable {
    /** Most bytes one image may inflate to, or samples it may decode to (a Java array's limit, less headroom). */
    private static final long MAX_BUFFER = Integer.MAX_VALUE - 16;

    private final Inflater inflater = new Inflater();
    private final CRC32 crc = new CRC32();
    private byte[] raw = new byte[0];
    private int[] samples = new int[0];
    /** Where the last decoded file's PLTE data starts in its bytes, and its length; -1 when it had none. */
    private int paletteAt;
    private int paletteLength;

    /**
     * Decodes a grey PNG of the bit depth the caller needs into {@link #scanlines()}: {@code height} rows of
     * {@code 1 + width * bytesPerSample} bytes, each a (now undone) filter byte followed by the row's samples as
     * stored (16-bit big-endian). The depth fast path: no per-sample step beyond undoing the filters.
     *
     * @param expectedBits 8 or 16: the bit depth the caller's format needs; anything else is rejected
     * @throws ImageFileException on a wrong bit depth or channel count, an interlaced image, a bad CRC, corrupt or
     *     truncated data
     */
    public Header decode(byte[] bytes, Path file, int expectedBits) {
      Header h = header(bytes, file);
      if (!h.isGrey(expectedBits)) {
        throw new ImageFileException(file, Problem.WRONG_FORMAT,
            "expected a " + expectedBits + "-bit single-channel grey PNG, found " + h.describe());
      }
      if (h.interlaced()) {
        throw new ImageFileException(file, Problem.CORRUPT, "interlaced (Adam7) PNG is not supported for depth");
      }
      int bpp = expectedBits / 8;
      int stride = h.width() * bpp;
      int expected = (stride + 1) * h.height();
      if (raw.length < expected) {
        raw = new byte[expected];
      }
      inflateIdat(bytes, file, expected);
      unfilter(raw, 0, h.height(), stride, bpp, file);
      return h;
    }

    /** The decoded rows of the last {@link #decode}; overwritten by the next call. */
    public byte[] scanlines() {
      return raw;
    }

    /**
     * Decodes a PNG of any colour type and bit depth, interlaced or not, into {@link #samples()}: row-major
     * pixels of {@link Header#sampleChannels()} values each (grey; grey, alpha; R, G, B; R, G, B, alpha), every
     * value in {@code 0..}{@link Header#maxSample()} as stored (no gamma or colour-space conversion). Palette
     * images are expanded to the R, G, B of their PLTE entries (a tRNS transparency is not applied).
     *
     * <p>Check the header's size first ({@link Png#header}) where the caller has a limit: this allocates what the
     * header declares, up to {@code 2^31} bytes.
     *
     * @throws ImageFileException on an invalid bit depth for the colour type, a palette image without PLTE or with
     *     an index beyond it, a bad CRC, corrupt or truncated data, or an image too large for a Java array
     */
    public Header decodeSamples(byte[] bytes, Path file) {
      Header h = header(bytes, file);
      checkBitDepth(h, file);
      int bits = h.bitDepth();
      int channels = h.channels();
      int bpp = Math.max(1, channels * bits / 8); // the filters' byte distance to "the pixel to the left"
      int passes = h.interlaced() ? ADAM7.length : 1;
      long inflated = 0;
      for (int p = 0; p < passes; p++) {
        int pw = passSize(h.width(), p, 0, h.interlaced());
        int ph = passSize(h.height(), p, 1, h.interlaced());
        inflated += pw == 0 || ph == 0 ? 0 : (rowBytes(pw, channels, bits) + 1L) * ph;
      }
      long values = (long) h.width() * h.height() * h.sampleChannels();
      if (inflated > MAX_BUFFER || values > MAX_BUFFER) {
        throw new ImageFileException(file, Problem.WRONG_FORMAT, "PNG of " + h.width() + "x" + h.height() + " "
            + h.describe() + " is too large to decode");
      }
      if (raw.length < inflated) {
        raw = new byte[(int) inflated];
      }
      if (samples.length < values) {
        samples = new int[(int) values];
      }
      inflateIdat(bytes, file, (int) inflated);
      if (h.colorType() == 3 && paletteAt < 0) {
        throw new ImageFileException(file, Problem.CORRUPT, "palette PNG without a PLTE chunk");
      }
      int offset = 0;
      for (int p = 0; p < passes; p++) {
        int pw = passSize(h.width(), p, 0, h.interlaced());
        int ph = passSize(h.height(), p, 1, h.interlaced());
        if (pw == 0 || ph == 0) {
          continue;
        }
        int stride = rowBytes(pw, channels, bits);
        unfilter(raw, offset, ph, stride, bpp, file);
        int[] pass = h.interlaced() ? ADAM7[p] : WHOLE_IMAGE;
        for (int y = 0; y < ph; y++) {
          int target = (pass[1] + y * pass[3]) * h.width() + pass[0];
          unpackRow(bytes, h, offset + y * (stride + 1) + 1, pw, target, pass[2], file);
        }
        offset += (stride + 1) * ph;
      }
      return h;
    }

    /** The values of the last {@link #decodeSamples}; overwritten by the next call, longer than the image. */
    public int[] samples() {
      return samples;
    }

    /**
     * Writes one unfiltered row of {@code count} pixels to {@link #samples()}, pixel {@code i} at pixel index
     * {@code target + i * step}.
     */
    private void unpackRow(byte[] bytes, Header h, int row, int count, int target, int step, Path file) {
      int bits = h.bitDepth();
      int channels = h.channels();
      int out = h.sampleChannels();
      for (int i = 0, k = 0; i < count; i++) {
        int at = (target + i * step) * out;
        if (h.colorType() == 3) {
          int index = sample(row, k++, bits);
          if (3 * index >= paletteLength) {
            throw new ImageFileException(file, Problem.CORRUPT, "palette index " + index + " lies beyond the "
                + paletteLength / 3 + " PLTE entries");
          }
          int entry = paletteAt + 3 * index;
          samples[at] = bytes[entry] & 0xff;
          samples[at + 1] = bytes[entry + 1] & 0xff;
          samples[at + 2] = bytes[entry + 2] & 0xff;
        } else {
          for (int c = 0; c < channels; c++) {
            samples[at + c] = sample(row, k++, bits);
          }
        }
      }
    }

    /** Sample {@code k} of the row starting at {@code row}: 16-bit big-endian, 8-bit, or packed high bits first. */
    private int sample(int row, int k, int bits) {
      if (bits == 16) {
        return ((raw[row + 2 * k] & 0xff) << 8) | (raw[row + 2 * k + 1] & 0xff);
      }
      if (bits == 8) {
        return raw[row + k] & 0xff;
      }
      int bit = k * bits;
      return ((raw[row + (bit >>> 3)] & 0xff) >>> (8 - bits - (bit & 7))) & ((1 << bits) - 1);
    }

    /** Concatenates the IDAT chunks, checks CRCs, notes PLTE and inflates exactly {@code expected} bytes into raw. */
    private void inflateIdat(byte[] bytes, Path file, int expected) {
      inflater.reset();
      paletteAt = -1;
      paletteLength = 0;
      int produced = 0;
      boolean sawIend = false;
      try {
        int pos = 8;
        while (pos + 12 <= bytes.length) {
          int len = ((bytes[pos] & 0xff) << 24) | ((bytes[pos + 1] & 0xff) << 16) | ((bytes[pos + 2] & 0xff) << 8)
              | (bytes[pos + 3] & 0xff);
          if (len < 0 || pos + 12L + len > bytes.length) {
            throw new ImageFileException(file, Problem.TRUNCATED,
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
          } else if (bytes[t] == 'P' && bytes[t + 1] == 'L' && bytes[t + 2] == 'T' && bytes[t + 3] == 'E') {
            paletteAt = pos + 8;
            paletteLength = len - len % 3;
          } else if (bytes[t] == 'I' && bytes[t + 1] == 'E' && bytes[t + 2] == 'N' && bytes[t + 3] == 'D') {
            sawIend = true;
            break;
          }
          pos += 12 + len;
        }
      } catch (DataFormatException e) {
        throw new ImageFileException(file, Problem.CORRUPT, "PNG image data is not a valid zlib stream: "
            + e.getMessage(), e);
      }
      if (produced < expected) {
        throw new ImageFileException(file, Problem.TRUNCATED, "PNG image data ends after " + produced + " of "
            + expected + " bytes" + (sawIend ? "" : " (no IEND chunk: file cut short)"));
      }
    }

    /** Frees the native zlib state now rather than at garbage collection. */
    @Override
    public void close() {
      inflater.end();
    }
  }

  /** The bit depths the spec allows per colour type (section 11.2.2, table 11.1). */
  private static void checkBitDepth(Header h, Path file) {
    int b = h.bitDepth();
    boolean valid = switch (h.colorType()) {
      case 0 -> b == 1 || b == 2 || b == 4 || b == 8 || b == 16;
      case 3 -> b == 1 || b == 2 || b == 4 || b == 8;
      default -> b == 8 || b == 16;
    };
    if (!valid) {
      throw new ImageFileException(file, Problem.CORRUPT, "PNG bit depth " + b + " is invalid for colour type "
          + h.colorType());
    }
  }

  /** Bytes of one scanline of {@code width} pixels, without its filter byte. */
  private static int rowBytes(int width, int channels, int bits) {
    return (int) (((long) width * channels * bits + 7) / 8);
  }

  /** Width ({@code axis} 0) or height (1) of an Adam7 pass's reduced image; the whole side when not interlaced. */
  private static int passSize(int side, int pass, int axis, boolean interlaced) {
    if (!interlaced) {
      return side;
    }
    int start = ADAM7[pass][axis];
    int step = ADAM7[pass][axis + 2];
    return side <= start ? 0 : (side - start + step - 1) / step;
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
      throw new ImageFileException(file, Problem.CORRUPT, "PNG chunk "
          + new String(bytes, chunkPos + 4, 4, StandardCharsets.US_ASCII) + " at byte " + chunkPos
          + " fails its CRC check");
    }
  }

  /**
   * Undoes the per-scanline filters of the {@code height} rows at {@code offset} in place (PNG spec section 9.2;
   * an interlaced image's passes are filtered each on its own). The first {@code bpp} bytes of a row (no
   * left neighbour) and the first row (no row above) are handled outside the inner loops, so the loops that do
   * nearly all the work have no edge tests.
   */
  private static void unfilter(byte[] raw, int offset, int height, int stride, int bpp, Path file) {
    for (int y = 0; y < height; y++) {
      int row = offset + y * (stride + 1);
      int filter = raw[row];
      int cur = row + 1;
      int prev = cur - (stride + 1); // only read when y > 0
      int end = cur + stride;
      switch (filter) {
        case 0 -> {}
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
        default -> throw new ImageFileException(file, Problem.CORRUPT,
            "PNG scanline " + y + " has unknown filter type " + filter);
      }
    }
  }
}
