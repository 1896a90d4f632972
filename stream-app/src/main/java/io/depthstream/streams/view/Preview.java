package io.depthstream.streams.view;

import io.depthstream.depth.DepthMap;
import java.util.Arrays;

/**
 * A small copy of a depth map for the browser: at most {@value #MAX_WIDTH}x{@value #MAX_HEIGHT} samples of unsigned
 * 16-bit depth in 1/{@value #UNITS_PER_METRE} m (KITTI's depth-PNG unit: 3.9 mm steps up to 255.996 m, deeper
 * values saturate), 0 = no depth, row-major. The browser colours it; the node only copies.
 *
 * <p>Downscaling by an integer step s keeps, per s x s block, its NEAREST valid depth (the smallest value above 0):
 * a sparse LiDAR input keeps every block that has a return instead of losing most returns to sampling, and a thin
 * obstacle stays visible in a dense map.
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

  /** The downscaled copy of {@code map} (metres, 0 = none), nearest valid depth per block. */
  public static Preview of(DepthMap map) {
    int width = map.width();
    int height = map.height();
    int s = step(width, height);
    int outWidth = (width + s - 1) / s;
    int outHeight = (height + s - 1) / s;
    float[] nearest = new float[outWidth];
    short[] out = new short[outWidth * outHeight];
    float[] d = map.data();
    for (int oy = 0; oy < outHeight; oy++) {
      Arrays.fill(nearest, Float.POSITIVE_INFINITY);
      int yEnd = Math.min(height, (oy + 1) * s);
      for (int y = oy * s; y < yEnd; y++) {
        int row = y * width;
        for (int ox = 0; ox < outWidth; ox++) {
          float m = nearest[ox];
          int end = row + Math.min(width, (ox + 1) * s);
          for (int i = row + ox * s; i < end; i++) {
            float v = d[i];
            if (v > 0f && v < m) {
              m = v;
            }
          }
          nearest[ox] = m;
        }
      }
      int base = oy * outWidth;
      for (int ox = 0; ox < outWidth; ox++) {
        out[base + ox] = encode(nearest[ox]);
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
