package io.depthstream.streams.view;

import io.depthstream.depth.DepthMap;
import java.util.Arrays;

/**
 * A small copy of a depth map for the browser: at most {@value #MAX_WIDTH}x{@value #MAX_HEIGHT} samples of unsigned
 * 16-bit depth in 1/{@value #UNITS_PER_METRE} m (KITTI's depth-PNG unit: 3.9 mm steps up to 255.996 m, deeper
 * values saturate), 0 = no depth, row-major. The browser colours it; the node only copies.
 *
 * <p>Downscaling is by an integer step s per side. A sparse input keeps, per s x s block, its NEAREST valid depth (the
 * smallest value above 0), so a LiDAR input keeps every block that has a return instead of losing most returns to
 * sampling ({@link #nearestOf}); a dense map is sampled at each block's centre ({@link #sampledOf}), which reads
 * s^2 times fewer pixels.
 *
 * @param width samples per row (0 for {@link #NONE})
 * @param height rows
 * @param samples {@code width * height} values, 1/256 m, 0 = none; read {@code samples[i] & 0xFFFF}
 */
public record Preview(int width, int height, short[] samples) {
  /** Widest preview, samples. */
  public static final int MAX_WIDTH = 320;

  /** Highest preview, samples. */
  public static final int MAX_HEIGHT = 240;

  /** Units per metre of {@link #samples}. */
  public static final int UNITS_PER_METRE = 256;

  /** No map (an input without depth, such as a focal stack). */
  public static final Preview NONE = new Preview(0, 0, new short[0]);

  private static final float MAX_METRES = 65_535f / UNITS_PER_METRE;

  /** The smallest integer step that brings {@code width x height} within {@value #MAX_WIDTH}x{@value #MAX_HEIGHT}. */
  static int step(int width, int height) {
    return Math.max(1, Math.max((width + MAX_WIDTH - 1) / MAX_WIDTH, (height + MAX_HEIGHT - 1) / MAX_HEIGHT));
  }

  /**
   * The downscaled copy of a sparse or holed map (metres, 0 = none; the input), the nearest valid depth of each block:
   * a LiDAR input keeps every block that has a return. Reads every pixel, without a branch: {@link #nearestKey} turns
   * each depth into an int whose minimum is the nearest valid depth, and the column minima of a block row are one
   * loop over the pixels that the JIT can vectorise.
   */
  public static Preview nearestOf(DepthMap map) {
    int width = map.width();
    int height = map.height();
    int s = step(width, height);
    int outWidth = (width + s - 1) / s;
    int outHeight = (height + s - 1) / s;
    int[] columns = new int[width];
    short[] out = new short[outWidth * outHeight];
    float[] d = map.data();
    for (int oy = 0; oy < outHeight; oy++) {
      Arrays.fill(columns, NO_DEPTH_KEY);
      int yEnd = Math.min(height, (oy + 1) * s);
      for (int y = oy * s; y < yEnd; y++) {
        int row = y * width;
        for (int x = 0; x < width; x++) {
          columns[x] = Math.min(columns[x], nearestKey(d[row + x]));
        }
      }
      int base = oy * outWidth;
      for (int ox = 0; ox < outWidth; ox++) {
        int key = NO_DEPTH_KEY;
        for (int x = ox * s, end = Math.min(width, x + s); x < end; x++) {
          key = Math.min(key, columns[x]);
        }
        out[base + ox] = key == NO_DEPTH_KEY ? 0 : encode(Float.intBitsToFloat(key + 1));
      }
    }
    return new Preview(outWidth, outHeight, out);
  }

  /** {@link #nearestKey} of "no depth" (0 m): larger than the key of any valid depth. */
  private static final int NO_DEPTH_KEY = Integer.MAX_VALUE;

  /**
   * An int whose order is the order of valid depths, with 0 (no depth) above them all: the IEEE bits of a float
   * {@code >= 0} grow with its value, so {@code bits - 1} does too for depths above 0, and 0's {@code -1} masked to
   * 31 bits is {@link Integer#MAX_VALUE}. The depth of a key {@code k} is {@code intBitsToFloat(k + 1)}.
   */
  static int nearestKey(float metres) {
    return (Float.floatToRawIntBits(metres) - 1) & Integer.MAX_VALUE;
  }

  /**
   * The downscaled copy of a dense map (metres, 0 = none; the output), one pixel per block (its centre): reads only
   * the pixels it keeps, so it costs almost nothing; structures thinner than a block may fall between samples.
   */
  public static Preview sampledOf(DepthMap map) {
    int width = map.width();
    int height = map.height();
    int s = step(width, height);
    int outWidth = (width + s - 1) / s;
    int outHeight = (height + s - 1) / s;
    short[] out = new short[outWidth * outHeight];
    float[] d = map.data();
    for (int oy = 0; oy < outHeight; oy++) {
      int row = Math.min(height - 1, oy * s + s / 2) * width;
      int base = oy * outWidth;
      for (int ox = 0; ox < outWidth; ox++) {
        float v = d[row + Math.min(width - 1, ox * s + s / 2)];
        out[base + ox] = encode(v > 0f ? v : Float.POSITIVE_INFINITY);
      }
    }
    return new Preview(outWidth, outHeight, out);
  }

  /** Metres (+Inf = none) to the sample: 0 for none, else round(m * 256) within 1 .. 65535. */
  static short encode(float metres) {
    if (metres == Float.POSITIVE_INFINITY) {
      return 0;
    }
    float clamped = Math.min(metres, MAX_METRES);
    return (short) Math.max(1, Math.round(clamped * UNITS_PER_METRE));
  }
}
