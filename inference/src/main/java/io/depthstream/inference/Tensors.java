package io.depthstream.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Buffer and output helpers shared by the runners. */
final class Tensors {
  private Tensors() {}

  /**
   * A direct, native-order float buffer of {@code n} values. ONNX Runtime wraps such a buffer without copying
   * ({@code OnnxTensor.createTensor(env, FloatBuffer, shape)}), so a tensor made once per frame size sees every
   * later write into the buffer, and a pinned output tensor is written by the run itself.
   */
  static FloatBuffer directFloats(long n) {
    if (n <= 0 || n > Integer.MAX_VALUE / Float.BYTES) {
      throw new IllegalArgumentException("tensor of " + n + " floats is out of range");
    }
    return ByteBuffer.allocateDirect((int) n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  static OnnxTensor wrap(FloatBuffer buffer, long... shape) throws OrtException {
    return OnnxTensor.createTensor(ModelSession.environment(), buffer, shape);
  }

  static void closeQuietly(OnnxTensor t) {
    if (t != null) {
      t.close();
    }
  }

  /**
   * Copies a network output into a {@link io.depthstream.depth.DepthMap} array, enforcing its convention.
   *
   * <p>Decision: a negative, NaN or infinite prediction becomes {@code 0f}, "no measurement". The fast
   * interpolation head is linear and unclamped (its model card), so it can undershoot far from any sample; a
   * negative depth has no physical meaning, and clamping it to a tiny positive value instead would tell the
   * guidance stage there is an obstacle at the lens and raise a false proximity alert. Marking it invalid lets
   * downstream treat it as a hole. The count is returned so callers can meter how often it happens.
   *
   * @return the number of pixels set to 0 because the prediction was negative, NaN or infinite
   */
  static int copyOutput(FloatBuffer from, float[] to) {
    from.get(0, to);
    return invalidate(to);
  }

  /**
   * As {@link #copyOutput(FloatBuffer, float[])}, cropping: {@code to} ({@code width x height}, row-major) gets the
   * top-left corner of {@code from}, whose rows are {@code fromStride} values long (the padded output width).
   */
  static int copyOutput(FloatBuffer from, int fromStride, float[] to, int width, int height) {
    copyCropped(from, fromStride, to, width, height);
    return invalidate(to);
  }

  /** The top-left {@code width x height} of {@code from} (rows {@code fromStride} long) into {@code to}. */
  private static void copyCropped(FloatBuffer from, int fromStride, float[] to, int width, int height) {
    if (fromStride == width) {
      from.get(0, to, 0, width * height);
    } else {
      for (int y = 0; y < height; y++) {
        from.get(y * fromStride, to, y * width, width);
      }
    }
  }

  /**
   * As {@link #copyOutput(FloatBuffer, int, float[], int, int)} for a fast model whose runner keeps the samples:
   * wherever {@code input} (the frame's depth, {@code width x height}, already checked to be finite and &gt;= 0)
   * holds a measurement (&gt; 0) the output is that measurement, elsewhere the prediction, invalidated as there.
   *
   * @return the number of predicted pixels set to 0 because they were negative, NaN or infinite
   */
  static int copyOutputKeepingSamples(FloatBuffer from, int fromStride, float[] to, float[] input, int width,
      int height) {
    copyCropped(from, fromStride, to, width, height);
    return keepSamples(to, input, width * height);
  }

  /**
   * The keep-samples rule of {@link #copyOutputKeepingSamples} on an output already in {@code to}: the first
   * {@code n} values become the measurement where {@code input} holds one, else stay the prediction, invalidated.
   *
   * @return the number of predicted pixels set to 0 because they were negative, NaN or infinite
   */
  static int keepSamples(float[] to, float[] input, int n) {
    return keepSamples(to, input, 0, n);
  }

  /** {@link #keepSamples(float[], float[], int)} of the values {@code [from, end)} only. */
  static int keepSamples(float[] to, float[] input, int from, int end) {
    int invalidated = 0;
    for (int i = from; i < end; i++) {
      float sample = input[i];
      float v = to[i];
      if (sample > 0f) {
        to[i] = sample;
      } else if (!(v >= 0f && v <= Float.MAX_VALUE)) {
        to[i] = 0f;
        invalidated++;
      }
    }
    return invalidated;
  }

  /** Sets every negative, NaN or infinite value of {@code to} to 0 (the convention of {@link #copyOutput}). */
  static int invalidate(float[] to) {
    return invalidate(to, 0, to.length);
  }

  /** {@link #invalidate(float[])} of the values {@code [from, end)} only. */
  static int invalidate(float[] to, int from, int end) {
    int invalidated = 0;
    for (int i = from; i < end; i++) {
      float v = to[i];
      // v >= 0 is false for NaN; the upper test drops +Inf.
      if (!(v >= 0f && v <= Float.MAX_VALUE)) {
        to[i] = 0f;
        invalidated++;
      }
    }
    return invalidated;
  }
}
