package io.depthstream.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * A learned {@link DepthReconstructor} running an ONNX model: either fast interpolation (sparse or holey map in,
 * dense map of the same size out) or super-resolution (low-resolution map in, {@link #factor()} times the width and
 * height out). Which one follows from the model's input name ({@code sparse} or {@code low_res}, see
 * {@link ModelSignature}).
 *
 * <p>Input: {@link DepthMap} metres, 0 = no measurement. The exported graphs normalise by their {@code max_depth}
 * internally, so metres go in unscaled. The fast path builds the two-channel tensor the network was trained on:
 * channel 0 the depth (0 where missing), channel 1 the validity mask (1 where depth &gt; 0). The SR path feeds the
 * depth as it is (holes as 0 m, as in training).
 *
 * <p>Output: every pixel is written; negative, NaN and infinite predictions become 0 = no measurement (see
 * {@link #lastInvalidatedPixels()} and the reasoning in {@code Tensors.copyOutput}). A fast model that declares
 * {@value ModelLoader#KEEP_SAMPLES_KEY} = 1 leaves "the output is the measurement wherever there is one" to the
 * runner: the copy loop, which touches every pixel anyway, writes the input depth there instead of the prediction
 * (exactly the graph's former full-resolution {@code Where(mask > 0.5, depth, prediction)}, since the runner's mask
 * is {@code depth > 0}).
 *
 * <p>Block layout: a fast model in {@link ModelSignature#FAST_BLOCKS} form (block size b, {@value
 * ModelLoader#BLOCK_SIZE_KEY}) takes the frame space-to-depth by b and returns its output so; this runner packs the
 * input in the same pass that checks it and writes the mask, and pixel-shuffles the output in its copy
 * ({@link BlockLayout}), with the same keep-samples and invalidation rules, so its results equal those of the same
 * weights in the plain layout (float rounding aside). With 2 or more intra-op threads both loops are split by rows
 * with a helper thread that takes chunks only while a core is free ({@link RowSplit}).
 *
 * <p>Input multiple: a model that declares {@value ModelLoader#INPUT_MULTIPLE_KEY} = m in its metadata (exported
 * without padding inside its graph) gets the input zero-padded at the bottom and right to the next multiple of m
 * (depth 0 and mask 0: no measurement there) in the reused buffer, and its output cropped back to the frame.
 *
 * <p>Resources: owns its {@link ModelSession} handle and closes it; the handle may share one native session with
 * other runners ({@link MethodCatalog} gives every runner of a model a handle on one session), which closes with
 * the last of them. The input and output tensors wrap direct native-order buffers made once per input size (ONNX
 * Runtime reads and writes them in place, the output as a pinned tensor), so a frame allocates nothing on the Java
 * heap beyond ORT's small result wrapper, which is closed after every run. How a frame is run is the session's
 * {@link RunStrategy}: alone, or with micro-batching on ({@link InferenceSettings#batchMax()} &gt; 1) through the
 * session's {@link MicroBatcher}, which may stack this frame with other threads' frames of the same size. Not
 * thread-safe: one instance per stream thread.
 */
public final class OnnxReconstructor implements DepthReconstructor {
  private static final int PROBE_SIDE = 8;

  private final ModelSession model;
  private final boolean fast;
  private final int factor;
  private final String inputName;
  private final String outputName;
  private final int multiple;
  private final boolean keepSamples;
  /** The block size of a model in block layout; 1 for the plain layout (and SR). */
  private final int blockSize;
  /**
   * Block layout with 2 intra-op threads: the pack and the copy split over this thread and a helper
   * ({@link RowSplit}); null otherwise. Its two loops read the frame of the current call from {@link #frameIn} and
   * {@link #frameOut}, made once so a frame allocates nothing.
   */
  private final RowSplit split;
  private final RowSplit.Rows packRows;
  private final RowSplit.Rows copyRows;
  private float[] frameIn;
  private float[] frameOut;
  private final RunStrategy strategy;

  // Per-frame-size state, rebuilt only when the input size changes.
  private int width = -1;
  private int height = -1;
  /** Input size padded to the model's multiple; equal to width/height when the multiple is 1 or already met. */
  private int paddedWidth = -1;
  private int paddedHeight = -1;
  private RunStrategy.Bound run;
  private FloatBuffer inBuffer;
  private FloatBuffer outBuffer;
  private OnnxTensor inTensor;
  private OnnxTensor outTensor;
  private Map<String, OnnxTensor> inputs;
  private Map<String, OnnxValue> pinnedOutputs;
  private float[] mask;
  private int lastInvalidated;
  private boolean closed;

  /**
   * Wraps a loaded model and takes ownership of it (closed with this runner, also when this constructor fails).
   * For super-resolution the factor is measured once with a tiny probe run, since the exported graphs declare
   * their spatial sizes as dynamic.
   *
   * @throws ModelLoadException if the model matched neither the fast nor the SR signature, or its probe output
   *     is not an integer multiple of the input
   */
  public OnnxReconstructor(ModelSession model) {
    this.model = model;
    try {
      ModelSignature sig = model.signature();
      if (sig != ModelSignature.FAST && sig != ModelSignature.FAST_BLOCKS && sig != ModelSignature.SUPER_RESOLUTION) {
        throw new ModelLoadException(model.file(), "model file " + model.file() + " is a " + sig.kind()
            + " model; expected " + ModelSignature.FAST.describe() + "; or " + ModelSignature.FAST_BLOCKS.describe()
            + "; or " + ModelSignature.SUPER_RESOLUTION.describe(),
            null);
      }
      this.fast = sig != ModelSignature.SUPER_RESOLUTION;
      this.blockSize = model.blockSize();
      this.inputName = sig.inputs().get(0).name();
      this.outputName = sig.outputs().get(0).name();
      this.multiple = model.inputMultiple();
      this.keepSamples = fast && model.keepsSamples();
      this.factor = fast ? 1 : probeFactor();
      this.strategy = RunStrategy.of(model);
      this.split = blockSize > 1 && RowSplit.worthIt(model.settings()) ? new RowSplit() : null;
      this.packRows = (from, to) -> BlockLayout.pack(frameIn, width, from, to, blockSize, paddedWidth / blockSize,
          paddedHeight / blockSize, inBuffer);
      this.copyRows = (from, to) -> {
        BlockLayout.unpack(outBuffer, blockSize, paddedWidth / blockSize, paddedHeight / blockSize, frameOut, width,
            from, to);
        return keepSamples ? Tensors.keepSamples(frameOut, frameIn, from * width, to * width)
            : Tensors.invalidate(frameOut, from * width, to * width);
      };
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Runs the SR model once on a small zero map and derives the scale from the output shape. */
  private int probeFactor() {
    long[] declared = model.inputShape(inputName);
    long side = padded(PROBE_SIDE, model.inputMultiple());
    long h = declared[2] > 0 ? declared[2] : side;
    long w = declared[3] > 0 ? declared[3] : side;
    FloatBuffer zeros = Tensors.directFloats(h * w);
    try (OnnxTensor probe = Tensors.wrap(zeros, 1, 1, h, w);
        OrtSession.Result r = model.session().run(Map.of(inputName, probe))) {
      long[] out = ((TensorInfo) r.get(outputName).orElseThrow().getInfo()).getShape();
      if (out.length != 4 || out[2] % h != 0 || out[3] % w != 0 || out[2] / h != out[3] / w || out[2] < h) {
        throw new ModelLoadException(model.file(), "model file " + model.file() + ": a " + w + "x" + h
            + " input gave output shape " + Arrays.toString(out) + ", not an integer multiple of the input; expected "
            + ModelSignature.SUPER_RESOLUTION.describe(), null);
      }
      return (int) (out[2] / h);
    } catch (OrtException e) {
      throw new ModelLoadException(model.file(), "model file " + model.file() + ": probe run on a " + w + "x" + h
          + " input failed (" + e.getCode() + ": " + e.getMessage() + ")", e);
    }
  }

  /** The model name: its file name without {@code .onnx}. */
  @Override
  public String name() {
    return model.name();
  }

  /** The first 12 hex characters of the model file's SHA-256. */
  @Override
  public String modelVersion() {
    return model.modelVersion();
  }

  /** True for super-resolution, false for fast interpolation. */
  public boolean isSuperResolution() {
    return !fast;
  }

  /** Output size / input size per side: 1 for fast interpolation, for example 4 for SR x4. */
  @Override
  public int scaleFactor() {
    return factor();
  }

  public int factor() {
    return factor;
  }

  /** {@code "cuda"} or {@code "cpu"}. */
  public String executionProvider() {
    return model.executionProvider();
  }

  /** True when CUDA was asked for but the model runs on the CPU. */
  @Override
  public boolean fellBackToCpu() {
    return model.fellBackToCpu();
  }

  /** The multiple the model needs H and W to have (its metadata); inputs are padded to it. 1 = any size. */
  public int inputMultiple() {
    return multiple;
  }

  /**
   * True when this runner writes the input depth wherever the input has a measurement (the model's
   * {@value ModelLoader#KEEP_SAMPLES_KEY} = 1); false when the graph's output is final.
   */
  public boolean keepsSamples() {
    return keepSamples;
  }

  /** The handle this runner runs on. */
  ModelSession model() {
    return model;
  }

  /** The shape of the input tensor of the current frame size (padded), or null before the first frame. */
  long[] inputTensorShape() {
    return inTensor == null ? null : inTensor.getInfo().getShape();
  }

  /**
   * The network's own prediction at pixel (x, y) of the last frame, before the keep-samples copy and the
   * invalidation of bad values (fast models only; for {@link ResidualCorrection}, which needs it at the measured
   * pixels, where the output holds the measurement). A model without {@value ModelLoader#KEEP_SAMPLES_KEY} returns
   * its graph's output there, the measurement itself.
   */
  float lastPrediction(int x, int y) {
    return blockSize > 1
        ? outBuffer.get(BlockLayout.index(x, y, blockSize, paddedWidth / blockSize, paddedHeight / blockSize))
        : outBuffer.get(y * paddedWidth + x);
  }

  /** Whether this runner splits its pack and copy with a helper thread ({@link RowSplit}). */
  boolean splitsItsCopies() {
    return split != null;
  }

  /** The block size of a model in block layout ({@link ModelSession#blockSize()}); 1 for the plain layout. */
  public int blockSize() {
    return blockSize;
  }

  /** Output pixels of the last call set to 0 because the network predicted a negative, NaN or infinite depth. */
  public int lastInvalidatedPixels() {
    return lastInvalidated;
  }

  /**
   * Reconstructs {@code input} (metres, 0 = no measurement) into {@code output}, whose size must be the input's
   * times {@link #factor()}.
   *
   * @throws IllegalArgumentException if the output size is wrong (naming both sizes) or an input pixel is negative,
   *     NaN or infinite (naming the pixel)
   * @throws IllegalStateException if the runner is closed or ONNX Runtime fails on this frame
   */
  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    if (closed) {
      throw new IllegalStateException(name() + " is closed");
    }
    if (input == null || output == null) {
      throw new IllegalArgumentException(name() + ": input and output depth maps are required");
    }
    int w = input.width();
    int h = input.height();
    if (output.width() != w * factor || output.height() != h * factor) {
      throw new IllegalArgumentException(name() + ": output is " + output.width() + "x" + output.height()
          + " but input " + w + "x" + h + (fast ? " needs the same size " : " needs x" + factor + " = ")
          + (w * factor) + "x" + (h * factor));
    }
    ensureBuffers(w, h);
    fillInput(input.data(), w, h);
    try {
      run.run();
    } catch (OrtException e) {
      throw new IllegalStateException(name() + " (" + model.file() + ") failed on a " + w + "x" + h + " input: "
          + e.getCode() + ": " + e.getMessage(), e);
    }
    if (blockSize > 1) {
      frameOut = output.data();
      lastInvalidated = split != null ? split.run(copyRows, h) : copyRows.run(0, h);
      return;
    }
    lastInvalidated = keepSamples
        ? Tensors.copyOutputKeepingSamples(outBuffer, paddedWidth, output.data(), input.data(), w, h)
        : Tensors.copyOutput(outBuffer, paddedWidth * factor, output.data(), w * factor, h * factor);
  }

  /** {@code size} rounded up to a multiple of {@code multiple}. */
  static int padded(int size, int multiple) {
    return (size + multiple - 1) / multiple * multiple;
  }

  private void fillInput(float[] d, int w, int h) {
    if (blockSize > 1) {
      // Checked and packed in one pass, straight into the tensor's buffer; a bad value fails the frame before it runs.
      frameIn = d;
      if ((split != null ? split.run(packRows, h) : packRows.run(0, h)) != 0) {
        throw badPixel(d, w);
      }
      return;
    }
    int n = d.length;
    // Validate first: a bad value must fail the frame before anything reaches the network. The check accumulates
    // without a branch (the JIT vectorises it); the pixel is looked up only when there is one to name.
    int bad = 0;
    if (fast) {
      // One pass for both: the mask is written before the check fails, but nothing reaches the network then.
      for (int i = 0; i < n; i++) {
        float v = d[i];
        bad |= v >= 0f & v <= Float.MAX_VALUE ? 0 : 1;
        mask[i] = v > 0f ? 1f : 0f;
      }
    } else {
      for (int i = 0; i < n; i++) {
        float v = d[i];
        bad |= v >= 0f & v <= Float.MAX_VALUE ? 0 : 1;
      }
    }
    if (bad != 0) {
      throw badPixel(d, w);
    }
    // Layout NCHW, N = 1: channel 0 at [0, pn), channel 1 (fast path only) at [pn, 2 pn), pn the padded plane.
    if (paddedWidth == w && paddedHeight == h) {
      inBuffer.put(0, d);
      if (fast) {
        inBuffer.put(n, mask);
      }
      return;
    }
    // Padded: row by row into the wider plane. The pad columns and rows were zeroed when the buffer was made and
    // are never written, so they stay 0 m with mask 0: no measurement, the model's own marking of missing depth.
    int pn = paddedWidth * paddedHeight;
    for (int y = 0; y < h; y++) {
      inBuffer.put(y * paddedWidth, d, y * w, w);
      if (fast) {
        inBuffer.put(pn + y * paddedWidth, mask, y * w, w);
      }
    }
  }

  private IllegalArgumentException badPixel(float[] d, int w) {
    int i = 0;
    while (d[i] >= 0f && d[i] <= Float.MAX_VALUE) {
      i++;
    }
    return new IllegalArgumentException(name() + ": input depth at pixel (" + (i % w) + ", " + (i / w) + ") is "
        + d[i] + "; expected finite metres >= 0 (0 = no measurement)");
  }

  private void ensureBuffers(int w, int h) {
    if (w == width && h == height) {
      return;
    }
    releaseTensors();
    int pw = padded(w, multiple);
    int ph = padded(h, multiple);
    // The tensors' shapes: [1, 2, ph, pw] -> [1, 1, ph f, pw f], or in block layout [1, 2 b^2, ph / b, pw / b] ->
    // [1, b^2, ph / b, pw / b] (the same number of values).
    int b = blockSize;
    int channels = (fast ? 2 : 1) * b * b;
    int tensorH = ph / b;
    int tensorW = pw / b;
    int outChannels = b * b;
    int outH = tensorH * factor;
    int outW = tensorW * factor;
    try {
      // Direct buffers start zeroed: the padding needs no fill.
      inBuffer = Tensors.directFloats((long) channels * tensorH * tensorW);
      outBuffer = Tensors.directFloats((long) outChannels * outH * outW);
      inTensor = Tensors.wrap(inBuffer, 1, channels, tensorH, tensorW);
      outTensor = Tensors.wrap(outBuffer, 1, outChannels, outH, outW);
    } catch (OrtException e) {
      releaseTensors();
      throw new IllegalStateException(name() + ": cannot create " + pw + "x" + ph + " tensors: " + e.getMessage(), e);
    }
    inputs = Map.of(inputName, inTensor);
    pinnedOutputs = Map.of(outputName, outTensor);
    run = strategy.bind(new RunStrategy.Frame(channels, tensorH, tensorW, outChannels, outH, outW, inBuffer, outBuffer,
        inputs, pinnedOutputs));
    mask = fast && b == 1 ? new float[w * h] : null;
    width = w;
    height = h;
    paddedWidth = pw;
    paddedHeight = ph;
  }

  private void releaseTensors() {
    Tensors.closeQuietly(inTensor);
    Tensors.closeQuietly(outTensor);
    inTensor = null;
    outTensor = null;
    inputs = null;
    pinnedOutputs = null;
    run = null;
    width = -1;
    height = -1;
    paddedWidth = -1;
    paddedHeight = -1;
  }

  /** Closes the tensors and releases the model session handle (the session closes with its last handle); safe to call twice. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      releaseTensors();
      model.close();
    }
  }

  @Override
  public String toString() {
    return "OnnxReconstructor[" + name() + " " + modelVersion() + ", "
        + (fast ? blockSize > 1 ? "fast, blocks of " + blockSize : "fast" : "SR x" + factor) + ", "
        + executionProvider() + "]";
  }
}
