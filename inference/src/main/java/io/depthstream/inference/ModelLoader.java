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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and validates ONNX model files: the one place that opens an {@link OrtSession} on a file. What it loads is
 * handed out as a {@link ModelSession} handle (the shared, reference-counted side).
 *
 * <p>Loading checks, in order: the file exists; ONNX Runtime can parse it; its declared inputs and outputs match
 * one of the signatures the caller accepts (names exactly, ranks, fixed sizes such as the channel count, float32);
 * its {@value #INPUT_MULTIPLE_KEY} metadata, if any, is a positive integer, and its {@value #KEEP_SAMPLES_KEY}
 * metadata, if any, is 0 or 1; its {@value #BLOCK_SIZE_KEY} metadata is present for the block-layout signature (and
 * fits its channel counts), absent for the plain fast one. Each failure throws
 * {@link ModelLoadException} naming the file and what was expected. The model version is the first
 * {@value #VERSION_HEX_CHARS} hex characters of the file's SHA-256.
 *
 * <p>CUDA: when the settings ask for it and it cannot start (the CPU artifact has no CUDA provider, no driver, no
 * device), the session is built on the CPU instead, a warning is logged and {@link ModelSession#fellBackToCpu()} is
 * true, so the stream can meter it rather than fail.
 *
 * <p>{@link #signatureOf} reads only which signature a file declares (for {@link MethodCatalog}'s roles): a
 * session with graph optimisations off, one thread, on the CPU, closed at once.
 */
public final class ModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

  /** Hex characters of the SHA-256 kept as the model version: 48 bits, enough to tell exported files apart. */
  public static final int VERSION_HEX_CHARS = 12;

  /**
   * Custom metadata key (ONNX {@code metadata_props}) of the spatial multiple the model needs: a model exported
   * without padding inside its graph requires H and W to be multiples of it and declares it as a decimal string,
   * for example {@code "8"}. Absent = 1: the model takes any size (older exports pad inside).
   */
  public static final String INPUT_MULTIPLE_KEY = "depthstream.input_multiple";

  /**
   * Custom metadata key of a fast-interpolation model that leaves "keep the measured samples" to its runner:
   * {@code "1"} = the output must equal the input depth wherever the input has a measurement (the runner does it in
   * the copy loop that touches every pixel anyway, instead of a full-resolution Where in the graph; issue 16).
   * Absent or {@code "0"} = the graph's output is final.
   */
  public static final String KEEP_SAMPLES_KEY = "depthstream.keep_samples";

  /**
   * Custom metadata key of a fast-interpolation model in block layout ({@link ModelSignature#FAST_BLOCKS}): the
   * block size b as a decimal string, for example {@code "4"}. Required by that signature (its channel counts must
   * be 2 b^2 in and b^2 out, and the input multiple a multiple of b); not allowed on any other.
   */
  public static final String BLOCK_SIZE_KEY = "depthstream.block_size";

  /** ORT session-option keys of the thread pools' spin-waiting ({@code onnxruntime_session_options_config_keys.h}). */
  static final String INTRA_OP_SPINNING = "session.intra_op.allow_spinning";

  static final String INTER_OP_SPINNING = "session.inter_op.allow_spinning";

  /** Every signature a runner of this module accepts, in the order {@link #signatureOf} tries them. */
  static final List<ModelSignature> KNOWN =
      List.of(ModelSignature.FAST, ModelSignature.FAST_BLOCKS, ModelSignature.SUPER_RESOLUTION,
          ModelSignature.FOCAL_STACK);

  private ModelLoader() {}

  /**
   * Loads {@code file} once and checks it against the accepted signatures (the first that matches wins).
   *
   * @return a handle on a new session, the only one so far ({@link ModelSession#share()} adds more)
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
      throw new ModelLoadException(abs, "model file " + abs + " does not exist or is not a regular file; " + expected,
          null);
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
      ModelSignature matched = match(session, List.of(accepted));
      if (matched == null) {
        throw new ModelLoadException(
            abs, "model file " + abs + " declares " + declared(session) + "; " + expected, null);
      }
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      int multiple = inputMultiple(abs, metadata.get(INPUT_MULTIPLE_KEY));
      boolean keepSamples = keepSamples(abs, metadata.get(KEEP_SAMPLES_KEY));
      int blockSize = blockSize(abs, matched, metadata.get(BLOCK_SIZE_KEY), session, multiple);
      ModelSession ms = ModelSession.adopt(new ModelSession.Shared(abs, version, matched, settings, cudaAdded,
          wantCuda && !cudaAdded, multiple, keepSamples, blockSize, session));
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

  /**
   * Which of the {@linkplain #KNOWN known signatures} {@code file} declares, without loading it for use: its graph
   * inputs and outputs are read from a session built with optimisations off, one thread, on the CPU, and closed
   * at once (measured in {@code MethodCatalogTest}: about as long as ONNX Runtime takes to parse the file).
   *
   * @return the signature, or empty when ONNX Runtime cannot load the file or it matches none
   * @throws IllegalArgumentException if {@code file} is null
   */
  public static Optional<ModelSignature> signatureOf(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("model file is required");
    }
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options)) {
        return Optional.ofNullable(match(session, KNOWN));
      }
    } catch (OrtException | RuntimeException e) {
      LOG.debug("model {}: signature unreadable ({})", file, e.toString());
      return Optional.empty();
    }
  }

  /**
   * The block size of a {@link ModelSignature#FAST_BLOCKS} model ({@value #BLOCK_SIZE_KEY}, required there and
   * checked against its channel counts and input multiple); 1 for every other signature. A plain-layout fast
   * model that declares it is rejected: its runner would read the tensors in the wrong layout.
   */
  static int blockSize(Path file, ModelSignature matched, String value, OrtSession session, int multiple)
      throws OrtException {
    boolean blocks = matched == ModelSignature.FAST_BLOCKS;
    if (!blocks && (value == null || matched != ModelSignature.FAST)) {
      return 1; // other kinds have no use for the key (a caller's own signature reads the raw graph)
    }
    if (!blocks) {
      throw new ModelLoadException(file, "model file " + file + ": metadata " + BLOCK_SIZE_KEY + " is '" + value
          + "' but the model is a " + matched.kind() + " model; only " + ModelSignature.FAST_BLOCKS.describe()
          + " declares it", null);
    }
    int b;
    try {
      b = value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      b = 0;
    }
    long in = declaredChannels(session.getInputInfo().get(matched.inputs().get(0).name()));
    long out = declaredChannels(session.getOutputInfo().get(matched.outputs().get(0).name()));
    if (b < 2 || in != 2L * b * b || out != (long) b * b || multiple % b != 0) {
      throw new ModelLoadException(file, "model file " + file + ": metadata " + BLOCK_SIZE_KEY + " is '" + value
          + "' with " + in + " input channels, " + out + " output channels and input multiple " + multiple
          + "; expected a block size b >= 2 with 2 b^2 input channels, b^2 output channels and an input multiple"
          + " divisible by b (" + ModelSignature.FAST_BLOCKS.describe() + ")", null);
    }
    return b;
  }

  /** Dimension 1 of a tensor's declared shape (-1 when dynamic). */
  private static long declaredChannels(NodeInfo node) {
    return ((TensorInfo) node.getInfo()).getShape()[1];
  }

  /** Parses the {@value #KEEP_SAMPLES_KEY} metadata value: absent or "0" = false, "1" = true. */
  static boolean keepSamples(Path file, String value) {
    if (value == null || value.trim().equals("0")) {
      return false;
    }
    if (value.trim().equals("1")) {
      return true;
    }
    throw new ModelLoadException(file, "model file " + file + ": metadata " + KEEP_SAMPLES_KEY + " is '" + value
        + "'; expected 1 (the runner keeps the measured samples) or 0", null);
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

  /**
   * A second session of {@code shared}'s model with every symbolic dimension of its input fixed to {@code shape}
   * (the signature's dimension names, e.g. N, H, W of the fast path's {@code sparse}): ONNX Runtime then folds the
   * graph's shape arithmetic (Shape, Gather, Concat and Resize sizes, about a third of the fast graph's nodes) at
   * load time instead of running it every frame, and plans its memory for that one size. Null, and the caller keeps
   * the dynamic session, when the file's dimensions have other names (its input then stays dynamic) or the session
   * cannot be made.
   */
  static OrtSession fixedShapeSession(ModelSession.Shared shared, long[] shape) {
    TensorSpec input = shared.signature.inputs().get(0);
    if (shared.signature.inputs().size() != 1 || input.rank() != shape.length) {
      return null;
    }
    OrtSession session = null;
    try (SessionOptions options = baseOptions(shared.settings)) {
      for (int i = 0; i < shape.length; i++) {
        if (input.fixedSize(i) < 0) {
          options.setSymbolicDimensionValue(input.dims().get(i), shape[i]);
        }
      }
      session = OrtEnvironment.getEnvironment().createSession(shared.file.toString(), options);
      long[] declared = ((TensorInfo) session.getInputInfo().get(input.name()).getInfo()).getShape();
      if (!Arrays.equals(declared, shape)) {
        closeQuietly(session, shared.file);
        return null;
      }
      return session;
    } catch (OrtException | RuntimeException e) {
      LOG.warn("model {}: no fixed-shape session for {} ({}); running the dynamic one", shared.name,
          Arrays.toString(shape), e.getMessage());
      if (session != null) {
        closeQuietly(session, shared.file);
      }
      return null;
    }
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

  private static ModelSignature match(OrtSession session, List<ModelSignature> accepted) throws OrtException {
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
      StringBuilder sb = new StringBuilder(t.type.toString().toLowerCase(Locale.ROOT)).append('[');
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
      for (int n; (n = in.read(buf)) > 0;) {
        sha.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, VERSION_HEX_CHARS);
    } catch (IOException e) {
      throw new ModelLoadException(file, "model file " + file + " cannot be read (" + e + "); " + expected, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Closes a session no handle owns (a failed load); a failure is logged, never thrown. */
  static void closeQuietly(OrtSession session, Path file) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("model {}: closing the session failed: {}", file, e.getMessage());
    }
  }
}
