package io.depthstream.depth.focus;

import io.depthstream.depth.DepthMap;

/**
 * Depth from a focal stack: {@code T} images of one scene, each focused at a known distance, in; one dense depth
 * map of the same size out. Implemented by the classical {@link DepthFromFocus} and by the inference module's
 * focal-stack model runner, so a node can run either on the focal-stack topic.
 *
 * <p>Instances keep scratch buffers (or native tensors) and are not thread-safe: one per stream thread.
 */
public interface FocalStackEstimator extends AutoCloseable {
  /** The name the estimator is configured by (a classical method name or a model file stem). */
  String name();

  /** The model version (a hash prefix of the model file), or {@code ""} for a classical method. */
  String version();

  /**
   * Estimates depth from a focal stack.
   *
   * @param stackRgb {@code t * 3 * h * w} values, layout {@code [T][3][H][W]} (planar RGB per image), each in
   *     [0, 1]
   * @param focusMetres {@code t} focus distances in metres, finite, &gt; 0 and non-decreasing (near to far)
   * @param t images in the stack, &gt;= 1
   * @param h image height in pixels
   * @param w image width in pixels
   * @param out receives the depth in metres ({@code w x h}); 0 marks a pixel without a depth
   * @throws IllegalArgumentException naming the problem: wrong array lengths or output size, a colour outside
   *     [0, 1], a bad or out-of-order focus distance
   */
  void estimate(float[] stackRgb, float[] focusMetres, int t, int h, int w, DepthMap out);

  /** Whether a model asked to run on a GPU runs on the CPU instead (counted by the node); false by default. */
  default boolean fellBackToCpu() {
    return false;
  }

  /** Releases buffers or native resources; safe to call twice. */
  @Override
  void close();

  /**
   * Checks the arguments of {@link #estimate} as its contract states, so every implementation rejects the same
   * inputs with the same messages.
   *
   * @param who prefixes the messages (the estimator's name)
   * @throws IllegalArgumentException naming the problem
   */
  static void checkArguments(String who, float[] stackRgb, float[] focusMetres, int t, int h, int w, DepthMap out) {
    if (stackRgb == null || focusMetres == null || out == null) {
      throw new IllegalArgumentException(who + ": stack, focus distances and output are required");
    }
    if (t < 1) {
      throw new IllegalArgumentException(who + ": the stack needs at least one image, got t = " + t);
    }
    DepthMap.checkSize(w, h);
    long expected = (long) t * 3 * h * w;
    if (stackRgb.length != expected) {
      throw new IllegalArgumentException(who + ": stack has " + stackRgb.length + " values, expected t*3*h*w = "
          + t + "*3*" + h + "*" + w + " = " + expected);
    }
    if (focusMetres.length != t) {
      throw new IllegalArgumentException(
          who + ": " + focusMetres.length + " focus distances for a stack of t = " + t + " images");
    }
    if (out.width() != w || out.height() != h) {
      throw new IllegalArgumentException(
          who + ": output is " + out.width() + "x" + out.height() + " but the stack is " + w + "x" + h);
    }
    for (int i = 0; i < t; i++) {
      float f = focusMetres[i];
      if (!(f > 0f && f <= Float.MAX_VALUE)) {
        throw new IllegalArgumentException(who + ": focus distance " + i + " is " + f + "; expected finite metres > 0");
      }
      if (i > 0 && f < focusMetres[i - 1]) {
        throw new IllegalArgumentException(who + ": focus distances must run near to far, but " + i + " ("
            + f + " m) is nearer than " + (i - 1) + " (" + focusMetres[i - 1] + " m)");
      }
    }
    for (int i = 0; i < stackRgb.length; i++) {
      float v = stackRgb[i];
      if (!(v >= 0f && v <= 1f)) {
        int plane = h * w;
        throw new IllegalArgumentException(who + ": stack value " + v + " at image " + (i / (3 * plane))
            + ", channel " + (i / plane % 3) + ", pixel (" + (i % w) + ", " + (i % plane / w)
            + ") is outside [0, 1]");
      }
    }
  }
}
