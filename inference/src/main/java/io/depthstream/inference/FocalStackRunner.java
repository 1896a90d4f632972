package io.depthstream.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.depthstream.depth.DepthMap;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Depth from a focal stack: {@code T} RGB images of one scene focused at increasing distances in, one depth map
 * out (model inputs {@code stack [N, T, 3, H, W]} and {@code focus [N, T]}, output {@code depth [N, 1, H, W]}).
 *
 * <p>Owns its {@link ModelSession} handle (which may share one native session with other runners, see
 * {@link ModelSession}). Tensors wrap direct native-order buffers made once per {@code (T, H, W)}; the
 * output tensor is pinned. Not thread-safe: one instance per stream thread.
 */
public final class FocalStackRunner implements AutoCloseable {
  private final ModelSession model;

  private int t = -1;
  private int h = -1;
  private int w = -1;
  private FloatBuffer stackBuffer;
  private FloatBuffer focusBuffer;
  private FloatBuffer outBuffer;
  private OnnxTensor stackTensor;
  private OnnxTensor focusTensor;
  private OnnxTensor outTensor;
  private Map<String, OnnxTensor> inputs;
  private Map<String, OnnxValue> pinnedOutputs;
  private int lastInvalidated;
  private boolean closed;

  /**
   * Wraps a loaded focal-stack model and takes ownership of it (closed with this runner, also when this
   * constructor fails).
   *
   * @throws ModelLoadException if the model did not match {@link ModelSignature#FOCAL_STACK}
   */
  public FocalStackRunner(ModelSession model) {
    this.model = model;
    if (model.signature() != ModelSignature.FOCAL_STACK) {
      model.close();
      throw new ModelLoadException(model.file(), "model file " + model.file() + " is a " + model.signature().kind()
          + " model; expected " + ModelSignature.FOCAL_STACK.describe(), null);
    }
  }

  public String name() {
    return model.name();
  }

  /** The first 12 hex characters of the model file's SHA-256. */
  public String modelVersion() {
    return model.modelVersion();
  }

  public String executionProvider() {
    return model.executionProvider();
  }

  public boolean fellBackToCpu() {
    return model.fellBackToCpu();
  }

  /** Output pixels of the last call set to 0 because the network predicted a negative, NaN or infinite depth. */
  public int lastInvalidatedPixels() {
    return lastInvalidated;
  }

  /**
   * Estimates depth from a focal stack.
   *
   * @param stackRgb {@code t * 3 * h * w} values, layout {@code [T][3][H][W]} (planar RGB per image), each in
   *     [0, 1]
   * @param focusMetres {@code t} focus distances in metres, finite, &gt; 0 and non-decreasing (near to far)
   * @param t images in the stack, &gt;= 1
   * @param h image height in pixels
   * @param w image width in pixels
   * @param out receives the depth in metres ({@code w x h}); negative, NaN or infinite predictions become 0
   * @throws IllegalArgumentException naming the problem: wrong array lengths or output size, a colour outside
   *     [0, 1], a bad or out-of-order focus distance
   * @throws IllegalStateException if the runner is closed or ONNX Runtime fails
   */
  public void run(float[] stackRgb, float[] focusMetres, int t, int h, int w, DepthMap out) {
    if (closed) {
      throw new IllegalStateException(name() + " is closed");
    }
    if (stackRgb == null || focusMetres == null || out == null) {
      throw new IllegalArgumentException(name() + ": stack, focus distances and output are required");
    }
    if (t < 1) {
      throw new IllegalArgumentException(name() + ": the stack needs at least one image, got t = " + t);
    }
    DepthMap.checkSize(w, h);
    long expected = (long) t * 3 * h * w;
    if (stackRgb.length != expected) {
      throw new IllegalArgumentException(name() + ": stack has " + stackRgb.length + " values, expected t*3*h*w = "
          + t + "*3*" + h + "*" + w + " = " + expected);
    }
    if (focusMetres.length != t) {
      throw new IllegalArgumentException(
          name() + ": " + focusMetres.length + " focus distances for a stack of t = " + t + " images");
    }
    if (out.width() != w || out.height() != h) {
      throw new IllegalArgumentException(
          name() + ": output is " + out.width() + "x" + out.height() + " but the stack is " + w + "x" + h);
    }
    for (int i = 0; i < t; i++) {
      float f = focusMetres[i];
      if (!(f > 0f && f <= Float.MAX_VALUE)) {
        throw new IllegalArgumentException(name() + ": focus distance " + i + " is " + f + "; expected finite metres > 0");
      }
      if (i > 0 && f < focusMetres[i - 1]) {
        throw new IllegalArgumentException(name() + ": focus distances must run near to far, but " + i + " ("
            + f + " m) is nearer than " + (i - 1) + " (" + focusMetres[i - 1] + " m)");
      }
    }
    for (int i = 0; i < stackRgb.length; i++) {
      float v = stackRgb[i];
      if (!(v >= 0f && v <= 1f)) {
        int plane = h * w;
        throw new IllegalArgumentException(name() + ": stack value " + v + " at image " + (i / (3 * plane))
            + ", channel " + (i / plane % 3) + ", pixel (" + (i % w) + ", " + (i % plane / w)
            + ") is outside [0, 1]");
      }
    }
    ensureBuffers(t, h, w);
    stackBuffer.put(0, stackRgb);
    focusBuffer.put(0, focusMetres);
    try (OrtSession.Result ignored = model.session().run(inputs, pinnedOutputs)) {
      // Pinned output: ORT wrote straight into outBuffer.
    } catch (OrtException e) {
      throw new IllegalStateException(name() + " (" + model.file() + ") failed on a stack of " + t + " x " + w + "x"
          + h + ": " + e.getCode() + ": " + e.getMessage(), e);
    }
    lastInvalidated = Tensors.copyOutput(outBuffer, out.data());
  }

  private void ensureBuffers(int t, int h, int w) {
    if (t == this.t && h == this.h && w == this.w) {
      return;
    }
    release();
    try {
      stackBuffer = Tensors.directFloats((long) t * 3 * h * w);
      focusBuffer = Tensors.directFloats(t);
      outBuffer = Tensors.directFloats((long) h * w);
      stackTensor = Tensors.wrap(stackBuffer, 1, t, 3, h, w);
      focusTensor = Tensors.wrap(focusBuffer, 1, t);
      outTensor = Tensors.wrap(outBuffer, 1, 1, h, w);
    } catch (OrtException e) {
      release();
      throw new IllegalStateException(name() + ": cannot create tensors for " + t + " x " + w + "x" + h, e);
    }
    inputs = Map.of("stack", stackTensor, "focus", focusTensor);
    pinnedOutputs = Map.of("depth", outTensor);
    this.t = t;
    this.h = h;
    this.w = w;
  }

  private void release() {
    Tensors.closeQuietly(stackTensor);
    Tensors.closeQuietly(focusTensor);
    Tensors.closeQuietly(outTensor);
    stackTensor = null;
    focusTensor = null;
    outTensor = null;
    inputs = null;
    pinnedOutputs = null;
    t = -1;
    h = -1;
    w = -1;
  }

  /** Closes the tensors and releases the session handle (the session closes with its last handle); safe twice. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release();
      model.close();
    }
  }
}
