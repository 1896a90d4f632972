package io.depthstream.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * How a runner's frame reaches ONNX Runtime: {@linkplain #direct alone} on the shared session, or
 * {@linkplain #batched through the session's micro-batcher}, which may stack it with other threads' frames of the
 * same size. The runner binds its tensors of one frame size once ({@link #bind}) and runs the binding frame after
 * frame, so it never branches on batching and a frame allocates nothing here.
 */
interface RunStrategy {

  /**
   * One runner's tensors of one frame size: input {@code [1, channels, height, width]} over the direct buffer
   * {@code in}, pinned output {@code [1, outChannels, outHeight, outWidth]} over {@code out} (one channel but for a
   * model in block layout), and the maps ORT is given.
   */
  record Frame(int channels, int height, int width, int outChannels, int outHeight, int outWidth, FloatBuffer in,
      FloatBuffer out, Map<String, OnnxTensor> inputs, Map<String, OnnxValue> outputs) {}

  /** A frame binding: each call runs the bound input buffer and leaves the result in the bound output buffer. */
  @FunctionalInterface
  interface Bound {
    void run() throws OrtException;
  }

  /** Binds a runner's tensors of one frame size (once per size, not per frame). */
  Bound bind(Frame frame);

  /** The strategy of {@code model}'s settings: batched when they batch ({@code batchMax} &gt; 1), else direct. */
  static RunStrategy of(ModelSession model) {
    MicroBatcher batcher = model.shared().batcher();
    return batcher == null ? direct(model) : batched(batcher);
  }

  /**
   * Every frame runs alone, on the caller's own tensors, on {@code model}'s session for that input shape
   * ({@link ModelSession.Shared#sessionFor}: one with the shape fixed, chosen once per binding).
   */
  @SuppressWarnings("try") // outputs are pinned: each Result is closed, never read
  static RunStrategy direct(ModelSession model) {
    return frame -> {
      OrtSession session = model.shared().sessionFor(new long[] {1, frame.channels(), frame.height(), frame.width()});
      return () -> {
        if (model.isClosed()) {
          throw new IllegalStateException("model " + model.name() + " (" + model.file() + ") is closed");
        }
        try (OrtSession.Result ignored = session.run(frame.inputs(), frame.outputs())) {
          // The output tensor is pinned: ORT wrote straight into the frame's output buffer; nothing to read here.
        }
      };
    };
  }

  /** Every frame goes through {@code batcher} (see {@link MicroBatcher} for how long it may wait). */
  static RunStrategy batched(MicroBatcher batcher) {
    return frame -> {
      MicroBatcher.Request request = new MicroBatcher.Request(frame, batcher.max());
      return () -> batcher.run(request);
    };
  }
}
