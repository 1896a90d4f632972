package io.depthstream.tools.shards;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * NumPy's {@code .npy} format, version 1.0, as {@code numpy.load} reads it
 * (numpy.org/doc/stable/reference/generated/numpy.lib.format.html): the magic {@code \x93NUMPY}, version bytes
 * 1, 0, a little-endian uint16 header length, then an ASCII Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}, padded with spaces and ended by a newline so that the data starts at a
 * multiple of 64 bytes; then the raw array, C order. Every dtype here is little-endian or single-byte.
 */
public final class Npy {
  /** Data starts at a multiple of this many bytes (numpy writes 64 since 1.14; readers accept any). */
  static final int ALIGN = 64;
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private Npy() {}

  /** Element types used by the shards. */
  public enum DType {
    FLOAT32("<f4", 4),
    UINT8("|u1", 1),
    INT8("|i1", 1),
    INT16("<i2", 2);

    private final String descr;
    private final int size;

    DType(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }

    /** The numpy type string, e.g. {@code <f4}. */
    public String descr() {
      return descr;
    }

    /** Bytes per element. */
    public int size() {
      return size;
    }
  }

  /**
   * The complete header (magic to newline) for an array of {@code dtype} and {@code shape}.
   *
   * @throws IllegalArgumentException if the shape is empty or has a negative dimension
   */
  public static byte[] header(DType dtype, long... shape) {
    checkShape(shape);
    StringBuilder dict = new StringBuilder("{'descr': '").append(dtype.descr())
        .append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      dict.append(shape[i]);
      if (i < shape.length - 1 || shape.length == 1) {
        // A one-element Python tuple needs its trailing comma: (n,).
        dict.append(shape.length == 1 ? "," : ", ");
      }
    }
    dict.append("), }");
    int preamble = MAGIC.length + 2 + 2;
    int total = preamble + dict.length() + 1;
    int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
    int headerLen = padded - preamble;
    if (headerLen > 0xffff) {
      throw new IllegalArgumentException("npy v1.0 header too long for shape " + Arrays.toString(shape));
    }
    byte[] out = new byte[padded];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (headerLen & 0xff);
    out[9] = (byte) (headerLen >>> 8);
    byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, out, preamble, text.length);
    Arrays.fill(out, preamble + text.length, padded - 1, (byte) ' ');
    out[padded - 1] = '\n';
    return out;
  }

  /** Bytes of array data for {@code dtype} and {@code shape}: product of the dimensions times the element size. */
  public static long dataBytes(DType dtype, long... shape) {
    checkShape(shape);
    long n = dtype.size();
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  private static void checkShape(long[] shape) {
    if (shape == null || shape.length == 0) {
      throw new IllegalArgumentException("npy shape must have at least one dimension");
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("npy shape has a negative dimension: " + Arrays.toString(shape));
      }
    }
  }
}
