package io.depthstream.depth.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 2-D array read from a NumPy {@code .npy} file (format versions 1.0 and 2.0, NEP 1 "A simple file format for
 * NumPy arrays"): the magic {@code \x93NUMPY}, a major and minor version byte, the header length (uint16 little-endian
 * in v1, uint32 in v2), an ASCII Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (h,
 * w), }}, then the raw C-order data.
 *
 * <p>Only what depth files use is read: little-endian {@code <f4} (float32), {@code <f8} (float64, rounded to float)
 * and {@code <u2} (uint16) in C order with a 2-D shape (rows = height, columns = width). Anything else (another
 * dtype, big-endian, Fortran order, 1-D or 3-D, a pickled object array, a truncated file) is refused with one
 * message naming the file and the problem. Values are returned as stored (uint16 is exact in float); which values
 * mean "no measurement" is the caller's convention.
 *
 * @param height rows ({@code shape[0]})
 * @param width columns ({@code shape[1]})
 * @param dtype the header's descr ({@code <f4}, {@code <f8} or {@code <u2})
 * @param values row-major, {@code width * height} entries
 */
public record NpyArray(int height, int width, String dtype, float[] values) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Whether {@code head} starts with the NPY magic string. */
  public static boolean isNpy(byte[] head) {
    if (head.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (head[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException if it cannot be read or is not a 2-D little-endian {@code <f4}/{@code <f8}/{@code <u2}
   *     C-order array; the message names the file and what is wrong
   */
  public static NpyArray read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses the bytes of an {@code .npy} file; {@code name} appears in error messages. */
  public static NpyArray parse(byte[] bytes, String name) throws IOException {
    if (!isNpy(bytes) || bytes.length < 10) {
      throw new IOException(name + ": not a NumPy .npy file (magic \\x93NUMPY expected)");
    }
    int major = bytes[6] & 0xff;
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = b.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2) {
      if (bytes.length < 12) {
        throw new IOException(name + ": truncated .npy header");
      }
      headerLength = b.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new IOException(name + ": .npy format version " + major + "." + (bytes[7] & 0xff)
          + " is not supported (1.0 and 2.0 are)");
    }
    if (headerStart + headerLength > bytes.length) {
      throw new IOException(name + ": truncated .npy header (" + headerLength + " bytes announced)");
    }
    String header = new String(bytes, headerStart, (int) headerLength, StandardCharsets.ISO_8859_1);
    String descr = field(DESCR, header, "descr", name);
    if (field(FORTRAN, header, "fortran_order", name).equals("True")) {
      throw new IOException(name + ": Fortran-order .npy arrays are not supported; save with C order "
          + "(np.ascontiguousarray)");
    }
    String[] dims = field(SHAPE, header, "shape", name).split(",");
    int rank = 0;
    long[] shape = new long[dims.length];
    for (String d : dims) {
      if (!d.isBlank()) {
        shape[rank++] = Long.parseLong(d.trim().replace("L", ""));
      }
    }
    if (rank != 2) {
      throw new IOException(name + ": a depth .npy must be a 2-D array (height, width), found shape ("
          + field(SHAPE, header, "shape", name) + ")");
    }
    int bytesPer = switch (descr) {
      case "<u2" -> 2;
      case "<f4" -> 4;
      case "<f8" -> 8;
      default -> throw new IOException(name + ": .npy dtype '" + descr + "' is not supported; use little-endian "
          + "float32 '<f4', float64 '<f8' or uint16 '<u2'");
    };
    if (shape[0] <= 0 || shape[1] <= 0 || shape[0] * shape[1] > Integer.MAX_VALUE / 8) {
      throw new IOException(name + ": .npy shape (" + shape[0] + ", " + shape[1] + ") is empty or too large");
    }
    int h = (int) shape[0];
    int w = (int) shape[1];
    long dataStart = headerStart + headerLength;
    long need = (long) w * h * bytesPer;
    if (bytes.length - dataStart < need) {
      throw new IOException(name + ": truncated .npy data, " + (bytes.length - dataStart) + " of " + need
          + " bytes");
    }
    float[] v = new float[w * h];
    b.position((int) dataStart);
    switch (descr) {
      case "<f4" -> b.asFloatBuffer().get(v);
      case "<f8" -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) b.getDouble();
        }
      }
      default -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = b.getShort() & 0xffff;
        }
      }
    }
    return new NpyArray(h, w, descr, v);
  }

  private static String field(Pattern p, String header, String key, String name) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException(name + ": .npy header has no valid '" + key + "' entry: " + header.trim());
    }
    return m.group(1);
  }

  /** Whether the stored values are integers (uint16), whose 0 means "no measurement". */
  public boolean isInteger() {
    return dtype.equals("<u2");
  }
}
