package io.depthstream.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.focus.FocalStackEstimator;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Depth from a focal stack: {@code T} RGB images of one scene focused at increasing distances in, one depth map
 * out (model inputs {@code stack [N, T, 3, H, W]} and {@code focus [N, T]}, output {@code depth [N, 1, H, W]}).
 *
 * <p>Owns its {@link ModelSession} handle (which may share one native session with other runners, see
 * {@link ModelSession}). Tensors wrap direct native-order buffers made once per {@code (T, H, W)}; the
 * output tensor is pinned. Not thread-safe: one instance per stream thread. The learned counterpart of the
 * classical {@link io.depthstream.depth.focus.DepthFromFocus}; both are {@link FocalStackEstimator}s.
 */
public final class FocalStackRunner implements FocalStackEstimator {
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

  /** The model's file stem. */
  @Override
  public String name() {
    return model.name();
  }

  /** The first 12 hex characters of the model file's SHA-256. */
  @Override
  public String version() {
    return model.modelVersion();
  }

  public String executionProvider() {
    return model.executionProvider();
  }

  @Override
  public boolean fellBackToCpu() {
    return model.fellBackToCpu();
  }

  /** Output pixels of the last call set to 0 because the network predicted a negative, NaN or infinite depth. */
  public int lastInvalidatedPixels() {
    return lastInvalidated;
  }

  /**
   * Estimates depth from a focal stack (see {@link FocalStackEstimator#estimate}).
   *
   * @param out receives the depth in metres ({@code w x h}); negative, NaN or infinite predictions become 0
   * @throws IllegalArgumentException naming the problem: wrong array lengths or output size, a colour outside
   *     [0, 1], a bad or out-of-order focus distance
   * @throws IllegalStateException if the runner is closed or ONNX Runtime fails
   */
  @SuppressWarnings("try") // outputs are pinned: each Result is closed, never read
  @Override
  public void estimate(float[] stackRgb, float[] focusMetres, int t, int h, int w, DepthMap out) {
    if (closed) {
      throw new IllegalStateException(name() + " is closed");
    }
    FocalStackEstimator.checkArguments(name(), stackRgb, focusMetres, t, h, w, out);
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
