package io.depthstream.connect.formats;

import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * KITTI Velodyne scans ({@code velodyne/NNNNNN.bin}): a flat array of little-endian float32 records
 * {@code x, y, z, reflectance}, 16 bytes per point, in the Velodyne frame (metres; x forward, y left, z up).
 * There is no header, so a file whose length is not a multiple of 16 is truncated or not a scan.
 */
public final class KittiVelodyne {
  /** Bytes per point: four float32. */
  public static final int POINT_BYTES = 16;

  private KittiVelodyne() {}

  /**
   * Parses a scan.
   *
   * @throws BadFileException if the file is empty, not a multiple of 16 bytes, or holds non-finite coordinates
   */
  public static PointCloud parse(byte[] bytes, Path file) {
    if (bytes.length == 0) {
      throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "empty Velodyne scan (0 bytes)");
    }
    if (bytes.length % POINT_BYTES != 0) {
      throw new BadFileException(file, DeadLetterReason.TRUNCATED_FILE, "Velodyne scan of " + bytes.length
          + " bytes is not a whole number of 16-byte points (x, y, z, reflectance float32): truncated?");
    }
    int n = bytes.length / POINT_BYTES;
    FloatBuffer f = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] xyz = new float[3 * n];
    for (int i = 0; i < n; i++) {
      float x = f.get(4 * i);
      float y = f.get(4 * i + 1);
      float z = f.get(4 * i + 2);
      if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "point " + i + " has non-finite coordinates ("
            + x + ", " + y + ", " + z + "): not a Velodyne scan");
      }
      xyz[3 * i] = x;
      xyz[3 * i + 1] = y;
      xyz[3 * i + 2] = z;
    }
    return new PointCloud(xyz, n);
  }

  /** Encodes points as a KITTI .bin (reflectance 0), for tests and tools. */
  public static byte[] encode(float[] xyz, int count) {
    ByteBuffer b = ByteBuffer.allocate(count * POINT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      b.putFloat(xyz[3 * i]).putFloat(xyz[3 * i + 1]).putFloat(xyz[3 * i + 2]).putFloat(0f);
    }
    return b.array();
  }
}
