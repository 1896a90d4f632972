package io.depthstream.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle on one loaded ONNX model: the {@link OrtSession} (the {@link OrtEnvironment} is the process-wide
 * singleton and is never closed here), where it runs, which signature it matched and what its metadata declares.
 *
 * <p>Loading checks, in order: the file exists; ONNX Runtime can parse it; its declared inputs and outputs match
 * one of the signatures the caller accepts (names exactly, ranks, fixed sizes such as the channel count, float32);
 * its {@value #INPUT_MULTIPLE_KEY} metadata, if any, is a positive integer. Each failure throws
 * {@link ModelLoadException} naming the file and what was expected.
 *
 * <p>CUDA: when the settings ask for it and it cannot start (the CPU artifact has no CUDA provider, no driver, no
 * device), the session is built on the CPU instead, a warning is logged and {@link #fellBackToCpu()} is true, so
 * the stream can meter it rather than fail.
 *
 * <p>Sharing: a session holds the weights, ORT's memory arena and its thread pool, so one per model is enough for a
 * whole process; {@code OrtSession.run} is thread-safe. The runners built on a session hold per-frame buffers and are
 * not, so each stream thread gets its own runner and its own handle ({@link #share()}, or
 * {@link SessionRegistry}); the native session is reference-counted and closes when the last handle closes.
 * Each handle's {@link #close()} releases its reference once, however often it is called.
 */
public final class ModelSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSession.class);

  /** Hex characters of the SHA-256 kept as the model version: 48 bits, enough to tell exported files apart. */
  public static final int VERSION_HEX_CHARS = 12;

  /**
   * Custom metadata key (ONNX {@code metadata_props}) of the spatial multiple the model needs: a model exported
   * without padding inside its graph requires H and W to be multiples of it and declares it as a decimal string,
   * for example {@code "8"}. Absent = 1: the model takes any size (older exports pad inside).
   */
  public static final String INPUT_MULTIPLE_KEY = "depthstream.input_multiple";

  /** ORT session-option keys of the thread pools' spin-waiting ({@code onnxruntime_session_options_config_keys.h}). */
  static final String INTRA_OP_SPINNING = "session.intra_op.allow_spinning";

  static final String INTER_OP_SPINNING = "session.inter_op.allow_spinning";

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
    final OrtSession session;
    private int refs = 1;
    private MicroBatcher batcher;
    private Runnable onLastClose = () -> { };

    Shared(Path file, String modelVersion, ModelSignature signature, InferenceSettings settings, boolean cuda,
        boolean fellBackToCpu, int inputMultiple, OrtSession session) {
      this.file = file;
      this.name = stem(file);
      this.modelVersion = modelVersion;
      this.signature = signature;
      this.settings = settings;
      this.cuda = cuda;
      this.fellBackToCpu = fellBackToCpu;
      this.inputMultiple = inputMultiple;
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
      closeQuietly(session, file);
      onLastClose.run();
    }

    synchronized int refs() {
      return refs;
    }

    synchronized void onLastClose(Runnable action) {
      onLastClose = action;
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

  /**
   * Loads {@code file} once and checks it against the accepted signatures (the first that matches wins).
   *
   * @throws ModelLoadException if the file is missing, cannot be loaded, or matches none of {@code accepted};
   *     the message names the file and every accepted signature
   */
  public static ModelSession open(Path file, InferenceSettings settings, ModelSignature... accepted) {
    if (file == null || settings == null || accepted == null || accepted.length == 0) {
      throw new IllegalArgumentException("model file, settings and at least one accepted signature are required");
    }
    Path abs = file.toAbsolutePath().normalize();
    String expected = expected(accepted);
    if (!Files.isRegularFile(abs)) {
      throw new ModelLoadException(abs, "model file " + abs + " does not exist or is not a regular file; " + expected, null);
    }
    String version = sha256Prefix(abs, expected);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    boolean wantCuda = settings.executionProvider() == InferenceSettings.ExecutionProvider.CUDA;
    boolean cudaAdded = false;
    OrtSession session;
    try (SessionOptions options = baseOptions(settings)) {
      if (wantCuda) {
        cudaAdded = addCuda(options, settings, abs);
      }
      try {
        session = env.createSession(abs.toString(), options);
      } catch (OrtException e) {
        if (!cudaAdded) {
          throw loadFailure(abs, expected, e);
        }
        // The CUDA provider registered but the session could not start on it (no device, driver mismatch, out
        // of memory): try the CPU before blaming the model file.
        LOG.warn("model {}: session creation with CUDA failed ({}: {}); retrying on the CPU",
            abs, e.getCode(), e.getMessage());
        cudaAdded = false;
        try (SessionOptions cpuOptions = baseOptions(settings)) {
          session = env.createSession(abs.toString(), cpuOptions);
        }
      }
    } catch (OrtException e) {
      throw loadFailure(abs, expected, e);
    }

    try {
      ModelSignature matched = match(session, accepted);
      if (matched == null) {
        throw new ModelLoadException(
            abs, "model file " + abs + " declares " + declared(session) + "; " + expected, null);
      }
      int multiple = inputMultiple(abs, session.getMetadata().getCustomMetadata().get(INPUT_MULTIPLE_KEY));
      ModelSession ms = new ModelSession(new Shared(
          abs, version, matched, settings, cudaAdded, wantCuda && !cudaAdded, multiple, session));
      LOG.info("model {} (version {}, {}{}) loaded on {}{}", ms.name(), version, matched.kind(),
          multiple == 1 ? "" : ", input multiple " + multiple, ms.executionProvider(),
          ms.fellBackToCpu() ? " (CUDA requested, fell back)" : "");
      return ms;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session, abs);
      if (e instanceof ModelLoadException mle) {
        throw mle;
      }
      throw loadFailure(abs, expected, e);
    }
  }

  /** Parses the {@value #INPUT_MULTIPLE_KEY} metadata value: absent = 1, else a positive decimal integer. */
  static int inputMultiple(Path file, String value) {
    if (value == null) {
      return 1;
    }
    int m;
    try {
      m = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      m = 0;
    }
    if (m < 1) {
      throw new ModelLoadException(file, "model file " + file + ": metadata " + INPUT_MULTIPLE_KEY + " is '" + value
          + "'; expected a positive integer (the multiple H and W must have), or no such key for any size", null);
    }
    return m;
  }

  private static SessionOptions baseOptions(InferenceSettings settings) throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(settings.interOpThreads());
      options.setOptimizationLevel(settings.optimizationLevel().ort());
      String spin = settings.spinning() ? "1" : "0";
      options.addConfigEntry(INTRA_OP_SPINNING, spin);
      options.addConfigEntry(INTER_OP_SPINNING, spin);
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /** Registers the CUDA provider; false (and a warning) when it cannot, for example on the CPU artifact. */
  private static boolean addCuda(SessionOptions options, InferenceSettings settings, Path file) {
    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(settings.cudaDeviceId())) {
      if (settings.gpuMemLimitBytes() > 0) {
        cuda.add("gpu_mem_limit", Long.toString(settings.gpuMemLimitBytes()));
      }
      cuda.add("arena_extend_strategy", settings.arenaStrategy().ortName());
      // addCUDA copies the options into the session options natively, so closing ours afterwards is safe.
      options.addCUDA(cuda);
      return true;
    } catch (OrtException | RuntimeException | LinkageError e) {
      String code = e instanceof OrtException oe ? oe.getCode().toString() : e.getClass().getSimpleName();
      LOG.warn("model {}: CUDA execution provider (device {}) unavailable ({}: {}); falling back to the CPU",
          file, settings.cudaDeviceId(), code, e.getMessage());
      return false;
    }
  }

  private static ModelSignature match(OrtSession session, ModelSignature[] accepted) throws OrtException {
    Map<String, NodeInfo> in = session.getInputInfo();
    Map<String, NodeInfo> out = session.getOutputInfo();
    for (ModelSignature sig : accepted) {
      if (in.size() == sig.inputs().size() && fits(sig.inputs(), in) && fits(sig.outputs(), out)) {
        return sig;
      }
    }
    return null;
  }

  private static boolean fits(List<TensorSpec> specs, Map<String, NodeInfo> declared) {
    for (TensorSpec spec : specs) {
      NodeInfo node = declared.get(spec.name());
      if (node == null || !(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT
          || !spec.accepts(t.getShape())) {
        return false;
      }
    }
    return true;
  }

  private static String expected(ModelSignature[] accepted) {
    return (accepted.length == 1 ? "expected " : "expected one of ")
        + Stream.of(accepted).map(ModelSignature::describe).collect(Collectors.joining("; or "))
        + " (float32)";
  }

  private static String declared(OrtSession session) throws OrtException {
    return "inputs " + describe(session.getInputInfo()) + " -> outputs " + describe(session.getOutputInfo());
  }

  private static String describe(Map<String, NodeInfo> nodes) {
    return nodes.values().stream()
        .map(n -> n.getName() + " " + describeInfo(n.getInfo()))
        .collect(Collectors.joining(", "));
  }

  private static String describeInfo(ValueInfo info) {
    if (info instanceof TensorInfo t) {
      // ORT reports dynamic dimensions as -1; print their symbolic names where the export kept them.
      String[] names = t.getDimensionNames();
      long[] shape = t.getShape();
      StringBuilder sb = new StringBuilder(t.type.toString().toLowerCase(java.util.Locale.ROOT)).append('[');
      for (int i = 0; i < shape.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(shape[i] >= 0 ? Long.toString(shape[i]) : (names[i] == null || names[i].isEmpty() ? "?" : names[i]));
      }
      return sb.append("] (rank ").append(shape.length).append(')').toString();
    }
    return info.toString();
  }

  private static ModelLoadException loadFailure(Path file, String expected, Exception e) {
    String what = e instanceof OrtException oe ? oe.getCode() + ": " + oe.getMessage() : e.toString();
    return new ModelLoadException(
        file, "model file " + file + " cannot be loaded by ONNX Runtime (" + what + "); " + expected, e);
  }

  private static String sha256Prefix(Path file, String expected) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, VERSION_HEX_CHARS);
    } catch (IOException e) {
      throw new ModelLoadException(file, "model file " + file + " cannot be read (" + e + "); " + expected, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".onnx") ? n.substring(0, n.length() - ".onnx".length()) : n;
  }

  private static void closeQuietly(OrtSession session, Path file) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("model {}: closing the session failed: {}", file, e.getMessage());
    }
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

  /** A handle on {@code shared} whose reference the caller has already taken ({@link Shared#retain()}). */
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

  /** The first {@value #VERSION_HEX_CHARS} hex characters of the file's SHA-256 (what model cards list in full). */
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
   * The multiple, in pixels, that the model needs the input height and width to have ({@value #INPUT_MULTIPLE_KEY}
   * in its metadata); 1 when it takes any size. Runners pad to it and crop the output back.
   */
  public int inputMultiple() {
    return shared.inputMultiple;
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
