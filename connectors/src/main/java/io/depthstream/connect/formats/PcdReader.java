package io.depthstream.connect.formats;

import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Point Cloud Library PCD files, version 0.7 (https://pointclouds.org/documentation/tutorials/pcd_file_format.html):
 * an ASCII header ({@code FIELDS}, {@code SIZE}, {@code TYPE}, {@code COUNT}, {@code WIDTH}, {@code HEIGHT},
 * {@code POINTS}, {@code DATA}) followed by {@code DATA ascii} (one point per line) or {@code DATA binary}
 * (little-endian, point-interleaved). Only {@code x, y, z} are read, as float32 or float64; NaN points (the
 * "no return" of organised clouds) are skipped. {@code binary_compressed} is rejected with a clear message.
 */
public final class PcdReader {
  /**
   * Largest point accepted, bytes over all fields: far above real layouts (a 308-bin FPFH descriptor is 1.2 KB),
   * low enough that strides and column offsets stay in int range.
   */
  private static final long MAX_POINT_BYTES = 1 << 20;

  private PcdReader() {}

  /**
   * Parses a PCD file into its finite x, y, z points (metres, sensor frame).
   *
   * @throws BadFileException on a malformed header, missing x/y/z fields, unsupported DATA or truncated data
   */
  public static PointCloud parse(byte[] bytes, Path file) {
    String[] fields = null;
    int[] size = null;
    char[] type = null;
    int[] count = null;
    long points = -1;
    long width = -1;
    long height = 1;
    String data = null;
    int pos = 0;
    int lineNo = 0;
    while (data == null) {
      if (pos >= bytes.length) {
        throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PCD header ends before its DATA line");
      }
      int end = pos;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      String line = new String(bytes, pos, end - pos, StandardCharsets.US_ASCII).trim();
      pos = Math.min(end + 1, bytes.length);
      lineNo++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] t = line.split("\\s+");
      String[] args = Arrays.copyOfRange(t, 1, t.length);
      switch (t[0].toUpperCase(java.util.Locale.ROOT)) {
        case "VERSION", "VIEWPOINT" -> {}
        case "FIELDS" -> fields = args;
        case "SIZE" -> size = ints(args, file, lineNo);
        case "TYPE" -> {
          type = new char[args.length];
          for (int i = 0; i < args.length; i++) {
            type[i] = args[i].isEmpty() ? '?' : args[i].charAt(0);
          }
        }
        case "COUNT" -> count = ints(args, file, lineNo);
        case "WIDTH" -> width = single(args, file, lineNo);
        case "HEIGHT" -> height = single(args, file, lineNo);
        case "POINTS" -> points = single(args, file, lineNo);
        case "DATA" -> data = args.length == 1 ? args[0].toLowerCase(java.util.Locale.ROOT) : "";
        default -> throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PCD header line " + lineNo
            + " has unknown keyword '" + t[0] + "': not a PCD file?");
      }
    }
    if (fields == null || size == null || type == null) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PCD header lacks FIELDS, SIZE or TYPE");
    }
    if (count == null) {
      count = new int[fields.length];
      Arrays.fill(count, 1);
    }
    if (size.length != fields.length || type.length != fields.length || count.length != fields.length) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
          "PCD FIELDS, SIZE, TYPE and COUNT differ in length");
    }
    long pointBytes = 0;
    for (int f = 0; f < fields.length; f++) {
      // The spec allows sizes 1, 2, 4 and 8 and counts >= 1; other values would make the point stride or the
      // column offsets negative or overflow.
      if ((size[f] != 1 && size[f] != 2 && size[f] != 4 && size[f] != 8) || count[f] < 1) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
            "PCD field " + fields[f] + " has SIZE " + size[f]
                + " and COUNT " + count[f] + "; SIZE must be 1, 2, 4 or 8 and COUNT at least 1");
      }
      pointBytes += (long) size[f] * count[f];
    }
    if (pointBytes > MAX_POINT_BYTES) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
          "PCD point of " + pointBytes + " bytes (FIELDS x SIZE x"
              + " COUNT) is over " + MAX_POINT_BYTES + ": not a point cloud");
    }
    if (points < 0) {
      points = width * height;
    }
    if (points < 0 || points > 50_000_000) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PCD point count " + points + " out of range");
    }
    int[] xyzField = {indexOf(fields, "x"), indexOf(fields, "y"), indexOf(fields, "z")};
    for (int k = 0; k < 3; k++) {
      int f = xyzField[k];
      if (f < 0) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
            "PCD has no '" + "xyz".charAt(k) + "' field (FIELDS "
                + String.join(" ", fields) + ")");
      }
      if (type[f] != 'F' || (size[f] != 4 && size[f] != 8) || count[f] != 1) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
            "PCD field " + fields[f] + " must be a single F4 or F8"
                + " value, is " + type[f] + size[f] + " x" + count[f]);
      }
    }
    int n = (int) points;
    return switch (data) {
      case "ascii" -> ascii(bytes, pos, n, fields, count, xyzField, file);
      case "binary" -> binary(bytes, pos, n, size, count, xyzField, file);
      case "binary_compressed" -> throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE,
          "PCD DATA binary_compressed is not supported; save the cloud as binary or ascii");
      default -> throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PCD DATA '" + data + "' is unknown");
    };
  }

  private static PointCloud ascii(byte[] bytes, int pos, int n, String[] fields, int[] count, int[] xyzField,
      Path file) {
    int[] column = new int[fields.length];
    int columns = 0;
    for (int f = 0; f < fields.length; f++) {
      column[f] = columns;
      columns += count[f];
    }
    // Each point is at least `columns` one-character values with a separator after each but the last value of
    // the file: checked before allocating n points, which a header alone may declare by the million.
    if ((long) n * 2 * columns - 1 > bytes.length - pos) {
      throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PCD declares " + n + " points of " + columns
          + " values, but its data has only " + (bytes.length - pos) + " bytes");
    }
    String body = new String(bytes, pos, bytes.length - pos, StandardCharsets.US_ASCII);
    String[] lines = body.split("\\R");
    float[] xyz = new float[3 * n];
    int kept = 0;
    int seen = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      if (seen == n) {
        break;
      }
      String[] t = line.trim().split("\\s+");
      if (t.length < columns) {
        throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PCD point " + seen + " has " + t.length
            + " values, expected " + columns);
      }
      float x;
      float y;
      float z;
      try {
        x = Float.parseFloat(t[column[xyzField[0]]]);
        y = Float.parseFloat(t[column[xyzField[1]]]);
        z = Float.parseFloat(t[column[xyzField[2]]]);
      } catch (NumberFormatException e) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PCD point " + seen + ": " + e.getMessage());
      }
      seen++;
      if (Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z)) {
        xyz[3 * kept] = x;
        xyz[3 * kept + 1] = y;
        xyz[3 * kept + 2] = z;
        kept++;
      }
    }
    if (seen < n) {
      throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PCD has " + seen + " of " + n + " points");
    }
    return new PointCloud(xyz, kept);
  }

  private static PointCloud binary(byte[] bytes, int pos, int n, int[] size, int[] count, int[] xyzField,
      Path file) {
    int[] offset = new int[size.length];
    int stride = 0;
    for (int f = 0; f < size.length; f++) {
      offset[f] = stride;
      stride += size[f] * count[f];
    }
    long need = (long) stride * n;
    if (bytes.length - pos < need) {
      throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "PCD binary data has " + (bytes.length - pos)
          + " bytes, " + n + " points of " + stride + " bytes need " + need);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] xyz = new float[3 * n];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      int base = pos + i * stride;
      float x = read(b, base + offset[xyzField[0]], size[xyzField[0]]);
      float y = read(b, base + offset[xyzField[1]], size[xyzField[1]]);
      float z = read(b, base + offset[xyzField[2]], size[xyzField[2]]);
      if (Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z)) {
        xyz[3 * kept] = x;
        xyz[3 * kept + 1] = y;
        xyz[3 * kept + 2] = z;
        kept++;
      }
    }
    return new PointCloud(xyz, kept);
  }

  private static float read(ByteBuffer b, int at, int size) {
    return size == 4 ? b.getFloat(at) : (float) b.getDouble(at);
  }

  private static int indexOf(String[] a, String s) {
    for (int i = 0; i < a.length; i++) {
      if (a[i].equals(s)) {
        return i;
      }
    }
    return -1;
  }

  private static int[] ints(String[] a, Path file, int lineNo) {
    int[] v = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      try {
        v[i] = Integer.parseInt(a[i]);
      } catch (NumberFormatException e) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PCD header line " + lineNo + ": '" + a[i]
            + "' is not an integer");
      }
    }
    return v;
  }

  private static long single(String[] a, Path file, int lineNo) {
    if (a.length != 1) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "PCD header line " + lineNo + " needs one value");
    }
    return ints(a, file, lineNo)[0];
  }

  /** Writes points as a PCD v0.7 file with float32 x y z, {@code DATA ascii} or {@code binary}; for tests/tools. */
  public static byte[] encode(float[] xyz, int count, boolean binary) {
    String header = "# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\n"
        + "TYPE F F F\nCOUNT 1 1 1\nWIDTH " + count + "\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS " + count
        + "\nDATA " + (binary ? "binary" : "ascii") + "\n";
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    if (binary) {
      ByteBuffer b = ByteBuffer.allocate(h.length + 12 * count).order(ByteOrder.LITTLE_ENDIAN);
      b.put(h);
      for (int i = 0; i < 3 * count; i++) {
        b.putFloat(xyz[i]);
      }
      return b.array();
    }
    StringBuilder s = new StringBuilder(header);
    for (int i = 0; i < count; i++) {
      s.append(xyz[3 * i]).append(' ').append(xyz[3 * i + 1]).append(' ').append(xyz[3 * i + 2]).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
