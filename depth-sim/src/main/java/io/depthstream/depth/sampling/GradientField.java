package io.depthstream.depth.sampling;

/**
 * Gradient magnitude per pixel, by central differences (one-sided at borders and next to invalid depth, zero
 * where no neighbour along an axis is usable). Differences never cross an invalid ({@code 0}) depth pixel, so
 * holes do not create false edges; invalid pixels get magnitude 0 and are therefore never chosen.
 */
final class GradientField {
  private float[] magnitude = new float[0];

  /**
   * @param depth dense ground truth (validity mask, and the signal when {@code intensity} is null)
   * @param intensity optional guide image of the same size, or null
   * @return the magnitudes (a reused buffer of length {@code w*h}), in signal units per pixel
   */
  float[] compute(float[] depth, float[] intensity, int w, int h) {
    if (magnitude.length != w * h) {
      magnitude = new float[w * h];
    }
    float[] s = intensity != null ? intensity : depth;
    float[] m = magnitude;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (!(depth[i] > 0f)) {
          m[i] = 0f;
          continue;
        }
        boolean l = x > 0 && depth[i - 1] > 0f;
        boolean r = x < w - 1 && depth[i + 1] > 0f;
        boolean u = y > 0 && depth[i - w] > 0f;
        boolean d = y < h - 1 && depth[i + w] > 0f;
        float gx = l && r ? 0.5f * (s[i + 1] - s[i - 1]) : (r ? s[i + 1] - s[i] : (l ? s[i] - s[i - 1] : 0f));
        float gy = u && d ? 0.5f * (s[i + w] - s[i - w]) : (d ? s[i + w] - s[i] : (u ? s[i] - s[i - w] : 0f));
        m[i] = (float) Math.sqrt(gx * gx + gy * gy);
      }
    }
    return m;
  }
}
