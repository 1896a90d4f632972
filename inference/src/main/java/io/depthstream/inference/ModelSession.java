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
 * One loaded ONNX model: owns its {@link OrtSession} (the {@link OrtEnvironment} is the process-wide singleton
 * and is never closed here), knows where it runs and which signature it matched.
 *
 * <p>Loading checks, in order: the file exists; ONNX Runtime can parse it; its declared inputs and outputs match
 * one of the signatures the caller accepts (names exactly, ranks, fixed sizes such as the channel count, float32).
 * Each failure throws {@link ModelLoadException} naming the file and the expected signature(s).
 *
 * <p>CUDA: when the settings ask for it and it cannot start (the CPU artifact has no CUDA provider, no driver, no
 * device), the session is built on the CPU instead, a warning is logged and {@link #fellBackToCpu()} is true, so
 * the stream can meter it rather than fail.
 *
 * <p>{@code OrtSession.run} is thread-safe, but the runners built on a session hold per-frame buffers and are not:
 * one runner (and session) per stream thread.
 */
public final class ModelSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSession.class);

  /** Hex characters of the SHA-256 kept as the model version: 48 bits, enough to tell exported files apart. */
  public static final int VERSION_HEX_CHARS = 12;

  private final Path file;
  private final String name;
  private final String modelVersion;
  private final ModelSignature signature;
  private final InferenceSettings settings;
  private final boolean cuda;
  private final boolean fellBackToCpu;
  private final OrtSession session;
  private volatile boolean closed;

  private ModelSession(
      Path file, String modelVersion, ModelSignature signature, InferenceSettings settings, boolean cuda,
      boolean fellBackToCpu, OrtSession session) {
    this.file = file;
    this.name = stem(file);
    this.modelVersion = modelVersion;
    this.signature = signature;
    this.settings = settings;
    this.cuda = cuda;
    this.fellBackToCpu = fellBackToCpu;
    this.session = session;
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
      ModelSession ms =
          new ModelSession(abs, version, matched, settings, cudaAdded, wantCuda && !cudaAdded, session);
      LOG.info("model {} (version {}, {}) loaded on {}{}", ms.name, version, matched.kind(),
          ms.executionProvider(), ms.fellBackToCpu ? " (CUDA requested, fell back)" : "");
      return ms;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session, abs);
      if (e instanceof ModelLoadException mle) {
        throw mle;
      }
      throw loadFailure(abs, expected, e);
    }
  }

  private static SessionOptions baseOptions(InferenceSettings settings) throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(settings.interOpThreads());
      options.setOptimizationLevel(settings.optimizationLevel().ort());
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

  /** The model file, absolute. */
  public Path file() {
    return file;
  }

  /** The model's name: the file name without {@code .onnx}. */
  public String name() {
    return name;
  }

  /** The first {@value #VERSION_HEX_CHARS} hex characters of the file's SHA-256 (what model cards list in full). */
  public String modelVersion() {
    return modelVersion;
  }

  /** The accepted signature the model matched. */
  public ModelSignature signature() {
    return signature;
  }

  public InferenceSettings settings() {
    return settings;
  }

  /** Where the session runs: {@code "cuda"} or {@code "cpu"}. */
  public String executionProvider() {
    return cuda ? InferenceSettings.ExecutionProvider.CUDA.id() : InferenceSettings.ExecutionProvider.CPU.id();
  }

  /** True when CUDA was asked for but the session runs on the CPU (see the warning in the log for why). */
  public boolean fellBackToCpu() {
    return fellBackToCpu;
  }

  /** The declared shape of graph input {@code name}, {@code -1} for dynamic dimensions. */
  long[] inputShape(String inputName) {
    try {
      return ((TensorInfo) session.getInputInfo().get(inputName).getInfo()).getShape();
    } catch (OrtException e) {
      throw new IllegalStateException("model " + name + ": cannot read input info", e);
    }
  }

  /** The session, for runners in this package; owned here, never closed by them. */
  OrtSession session() {
    if (closed) {
      throw new IllegalStateException("model " + name + " (" + file + ") is closed");
    }
    return session;
  }

  static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment();
  }

  /** Releases the native session; safe to call twice. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(session, file);
    }
  }

  @Override
  public String toString() {
    return "ModelSession[" + name + " " + modelVersion + ", " + signature.kind() + ", " + executionProvider()
        + (fellBackToCpu ? " (fallback)" : "") + ", " + file + "]";
  }
}
