package io.depthstream.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A handle on one loaded ONNX model, as {@link ModelLoader} loaded and checked it: the {@link OrtSession} (the
 * {@link OrtEnvironment} is the process-wide singleton and is never closed here), where it runs, which signature
 * it matched and what its metadata declares.
 *
 * <p>Sharing: a session holds the weights, ORT's memory arena and its thread pool, so one per model is enough for a
 * whole process; {@code OrtSession.run} is thread-safe. The runners built on a session hold per-frame buffers and are
 * not, so each stream thread gets its own runner and its own handle ({@link #share()}, or
 * {@link SessionRegistry}); the native session is reference-counted and closes when the last handle closes.
 * Each handle's {@link #close()} releases its reference once, however often it is called.
 */
public final class ModelSession implements AutoCloseable {
  /** At most this many input shapes get a session of their own; more shapes run on the dynamic session. */
  static final int MAX_FIXED_SHAPES = 4;

  private final Shared shared;
  private volatile boolean closed;

  private ModelSession(Shared shared) {
    this.shared = shared;
  }

  /**
   * The loaded model behind every handle: the native session and what loading found, with the number of open
   * handles. The session closes when the count drops to 0, and then {@code onLastClose} runs (outside any lock of
   * this object, so a registry may take its own lock there).
   */
  static final class Shared {
    final Path file;
    final String name;
    final String modelVersion;
    final ModelSignature signature;
    final InferenceSettings settings;
    final boolean cuda;
    final boolean fellBackToCpu;
    final int inputMultiple;
    final boolean keepSamples;
    final int blockSize;
    final OrtSession session;
    private int refs = 1;
    private MicroBatcher batcher;
    /** Sessions with the input's dimensions fixed, per input shape ({@link #sessionFor}); closed with this one. */
    private final Map<List<Long>, OrtSession> fixedShape = new HashMap<>();
    private Runnable onLastClose = () -> {};

    Shared(Path file, String modelVersion, ModelSignature signature, InferenceSettings settings, boolean cuda,
        boolean fellBackToCpu, int inputMultiple, boolean keepSamples, int blockSize, OrtSession session) {
      this.file = file;
      this.name = stem(file);
      this.modelVersion = modelVersion;
      this.signature = signature;
      this.settings = settings;
      this.cuda = cuda;
      this.fellBackToCpu = fellBackToCpu;
      this.inputMultiple = inputMultiple;
      this.keepSamples = keepSamples;
      this.blockSize = blockSize;
      this.session = session;
    }

    /** One more handle, or false when the session already closed (the caller then loads a new one). */
    synchronized boolean retain() {
      if (refs == 0) {
        return false;
      }
      refs++;
      return true;
    }

    void release() {
      MicroBatcher b;
      synchronized (this) {
        if (refs == 0 || --refs > 0) {
          return;
        }
        b = batcher;
        batcher = null;
      }
      if (b != null) {
        b.close();
      }
      List<OrtSession> fixed;
      synchronized (this) {
        fixed = fixedShape.values().stream().filter(Objects::nonNull).toList(); // null: a shape that kept the dynamic one
        fixedShape.clear();
      }
      fixed.forEach(s -> ModelLoader.closeQuietly(s, file));
      ModelLoader.closeQuietly(session, file);
      onLastClose.run();
    }

    synchronized int refs() {
      return refs;
    }

    synchronized void onLastClose(Runnable action) {
      onLastClose = action;
    }

    /**
     * The session to run inputs of exactly {@code inputShape} on: on the CPU, one made for that shape on first use
     * ({@link ModelLoader#fixedShapeSession}; about 9 % less CPU per 640x480 frame of the fast path than the
     * dynamic session, same outputs to 1e-6 m), for up to {@value #MAX_FIXED_SHAPES} shapes; otherwise, on CUDA or
     * when the model's dimensions cannot be fixed, the dynamic session. Made under this object's lock, so two
     * runners of a new size wait for one load (tens of milliseconds) instead of making two.
     */
    synchronized OrtSession sessionFor(long[] inputShape) {
      if (cuda || refs == 0) {
        return session;
      }
      List<Long> key = Arrays.stream(inputShape).boxed().toList();
      OrtSession fixed = fixedShape.get(key);
      if (fixed == null && !fixedShape.containsKey(key) && fixedShape.size() < MAX_FIXED_SHAPES) {
        fixed = ModelLoader.fixedShapeSession(this, inputShape);
        fixedShape.put(key, fixed); // null remembered too: the next runner of this shape does not try again
      }
      return fixed == null ? session : fixed;
    }

    /** The micro-batcher of this session, made on first use; null when the settings do not batch. */
    synchronized MicroBatcher batcher() {
      if (settings.batchMax() <= 1) {
        return null;
      }
      if (batcher == null && refs > 0) {
        batcher = new MicroBatcher(session, name, signature.inputs().get(0).name(),
            signature.outputs().get(0).name(), settings.batchMax(), settings.batchLingerMs());
      }
      return batcher;
    }
  }

  /** The file name without {@code .onnx}. */
  private static String stem(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".onnx") ? n.substring(0, n.length() - ".onnx".length()) : n;
  }

  /**
   * Another handle on the same loaded session, for another runner (another stream thread). The native session
   * stays open until every handle is closed.
   *
   * @throws IllegalStateException if this handle is closed
   */
  ModelSession share() {
    if (closed || !shared.retain()) {
      throw new IllegalStateException("model " + name() + " (" + file() + ") is closed");
    }
    return new ModelSession(shared);
  }

  /**
   * A handle on {@code shared} whose reference the caller has already taken ({@link Shared#retain()}, or the first
   * reference of a fresh load).
   */
  static ModelSession adopt(Shared shared) {
    return new ModelSession(shared);
  }

  /** The loaded model this handle refers to (the same object for every handle of one session). */
  Shared shared() {
    return shared;
  }

  /** The model file, absolute. */
  public Path file() {
    return shared.file;
  }

  /** The model's name: the file name without {@code .onnx}. */
  public String name() {
    return shared.name;
  }

  /**
   * The first {@value ModelLoader#VERSION_HEX_CHARS} hex characters of the file's SHA-256 (what model cards list in
   * full).
   */
  public String modelVersion() {
    return shared.modelVersion;
  }

  /** The accepted signature the model matched. */
  public ModelSignature signature() {
    return shared.signature;
  }

  public InferenceSettings settings() {
    return shared.settings;
  }

  /**
   * The multiple, in pixels, that the model needs the input height and width to have
   * ({@value ModelLoader#INPUT_MULTIPLE_KEY} in its metadata); 1 when it takes any size. Runners pad to it and crop
   * the output back.
   */
  public int inputMultiple() {
    return shared.inputMultiple;
  }

  /**
   * True when the model leaves "output = input depth at the measured samples" to its runner
   * ({@value ModelLoader#KEEP_SAMPLES_KEY} = 1 in its metadata).
   */
  public boolean keepsSamples() {
    return shared.keepSamples;
  }

  /**
   * The block size b of a model in block layout ({@link ModelSignature#FAST_BLOCKS}, {@value
   * ModelLoader#BLOCK_SIZE_KEY} in its metadata): its input is the space-to-depth of the frame by b and its output
   * that of the result, which the runner packs and unpacks. 1 for every other model.
   */
  public int blockSize() {
    return shared.blockSize;
  }

  /** Where the session runs: {@code "cuda"} or {@code "cpu"}. */
  public String executionProvider() {
    return shared.cuda ? InferenceSettings.ExecutionProvider.CUDA.id() : InferenceSettings.ExecutionProvider.CPU.id();
  }

  /** True when CUDA was asked for but the session runs on the CPU (see the warning in the log for why). */
  public boolean fellBackToCpu() {
    return shared.fellBackToCpu;
  }

  /** The declared shape of graph input {@code name}, {@code -1} for dynamic dimensions. */
  long[] inputShape(String inputName) {
    try {
      return ((TensorInfo) session().getInputInfo().get(inputName).getInfo()).getShape();
    } catch (OrtException e) {
      throw new IllegalStateException("model " + name() + ": cannot read input info", e);
    }
  }

  /** The session, for runners in this package; owned by the shared model, never closed by them. */
  /** Whether this handle was closed. */
  boolean isClosed() {
    return closed;
  }

  OrtSession session() {
    if (closed) {
      throw new IllegalStateException("model " + name() + " (" + file() + ") is closed");
    }
    return shared.session;
  }

  static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment();
  }

  /**
   * Releases this handle's reference; the native session closes with the last handle. Safe to call twice (the
   * second call does nothing).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    shared.release();
  }

  @Override
  public String toString() {
    return "ModelSession[" + name() + " " + modelVersion() + ", " + signature().kind() + ", " + executionProvider()
        + (fellBackToCpu() ? " (fallback)" : "") + ", " + file() + "]";
  }
}
