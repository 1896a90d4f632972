package io.depthstream.inference;

import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.classical.SparseBlend;
import io.depthstream.depth.focus.DepthFromFocus;
import io.depthstream.depth.focus.FocalStackEstimator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every method of the node by role and name, the one place that knows them:
 *
 * <ul>
 *   <li>{@linkplain Role#DEPTH depth methods} (LiDAR, RGB-D, vSLAM frames): the classical methods of the depth
 *       library, then each fast-interpolation or super-resolution model of the models directory;
 *   <li>{@linkplain Role#FOCAL_STACK focal-stack methods}: the classical {@value DepthFromFocus#NAME}, then each
 *       focal-stack model of the models directory.
 * </ul>
 *
 * <p>A model is named by its file stem ({@code fast_interp_x4} for {@code models/fast_interp_x4.onnx}); adding a
 * model is adding its file, choosing it is one configuration line. Its role follows from the inputs and outputs its
 * graph declares ({@link ModelSignature}), read once per file when a list of names is asked for
 * ({@link ModelLoader#signatureOf}, a few milliseconds per model) and remembered while the file's size and
 * modification time stay the same; a file that matches no signature, or that ONNX Runtime cannot load, is offered in
 * neither role. Creating a method that fits reads nothing extra: the load checks the signature anyway. Classical
 * names win over a model file of the same stem.
 *
 * <p>Every instance of one model made here runs on one shared ONNX Runtime session (weights, memory arena and
 * intra-op thread pool loaded once; {@code OrtSession.run} is thread-safe), with buffers of its own; the session
 * closes when the last instance is closed, and a later {@link #createDepth} or {@link #openFocalStack} loads the
 * file again. Thread-safe.
 */
public final class MethodCatalog {
  /** What a method takes in: depth frames or focal stacks. */
  public enum Role {
    /** Sparse, holey or low-resolution depth in, dense depth out ({@link DepthReconstructor}). */
    DEPTH("depth", ModelSignature.FAST, ModelSignature.FAST_BLOCKS, ModelSignature.SUPER_RESOLUTION),
    /** RGB focal stack and focus distances in, depth out ({@link FocalStackEstimator}). */
    FOCAL_STACK("focal-stack", ModelSignature.FOCAL_STACK);

    private final String label;
    private final List<ModelSignature> signatures;

    Role(String label, ModelSignature... signatures) {
      this.label = label;
      this.signatures = List.of(signatures);
    }

    /** The model signatures of this role. */
    public List<ModelSignature> signatures() {
      return signatures;
    }

    /** The role of models of {@code signature}, or empty for a signature no runner takes. */
    public static Optional<Role> of(ModelSignature signature) {
      for (Role r : values()) {
        if (r.signatures.contains(signature)) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * What the micro-batcher of one model's shared session has done so far (warm-up included).
   *
   * @param stackedRuns runs of more than one frame
   * @param largestBatch the most frames run together
   */
  public record Batching(long stackedRuns, int largestBatch) {}

  /** What {@link ModelLoader#signatureOf} found for a file, valid while its size and modification time hold. */
  private record Probe(long size, FileTime modified, Optional<ModelSignature> signature) {}

  private final Path modelsDir;
  private final InferenceSettings settings;
  private final double fastFallbackDensity;
  private final ResidualCorrection.Settings fastResidual;
  private final SessionRegistry sessions = new SessionRegistry();
  private final Map<Path, Probe> probes = new HashMap<>();

  /**
   * A catalog whose fast-interpolation models run their network on every frame (no density fallback): what the
   * model benchmarks and tests time and check.
   *
   * @param modelsDir where the ONNX models are; a directory that does not exist simply offers no models
   */
  public MethodCatalog(Path modelsDir, InferenceSettings settings) {
    this(modelsDir, settings, 0, ResidualCorrection.Settings.OFF);
  }

  /**
   * @param modelsDir where the ONNX models are; a directory that does not exist simply offers no models
   * @param fastFallbackDensity each fast-interpolation model {@link #createDepth} makes hands frames whose measured
   *     pixels are fewer than this share of the pixels to linear interpolation blended with inpainting and
   *     nearest-fill ({@link DensityFallback}); 0 = never, the network serves every frame. Super-resolution models are never
   *     wrapped.
   * @param fastResidual the {@link ResidualCorrection} of each fast-interpolation model's network output
   *     ({@link ResidualCorrection.Settings#OFF}: the network's output as it is); a fallback frame is not corrected
   * @throws IllegalArgumentException if {@code fastFallbackDensity} is outside [0, 1]
   */
  public MethodCatalog(Path modelsDir, InferenceSettings settings, double fastFallbackDensity,
      ResidualCorrection.Settings fastResidual) {
    if (modelsDir == null || settings == null || fastResidual == null) {
      throw new IllegalArgumentException("models directory and inference settings are required");
    }
    if (!(fastFallbackDensity >= 0 && fastFallbackDensity <= 1)) {
      throw new IllegalArgumentException(
          "fastFallbackDensity must be in [0, 1] (0 = no fallback), got " + fastFallbackDensity);
    }
    this.modelsDir = modelsDir;
    this.settings = settings;
    this.fastFallbackDensity = fastFallbackDensity;
    this.fastResidual = fastResidual;
  }

  /** Every depth method: the classical names, then the fast-interpolation and super-resolution model stems. */
  public List<String> depthMethods() {
    return withClassical(ClassicalMethods.names(), Role.DEPTH);
  }

  /** Every focal-stack method: {@value DepthFromFocus#NAME}, then the focal-stack model stems. */
  public List<String> focalStackMethods() {
    return withClassical(List.of(DepthFromFocus.NAME), Role.FOCAL_STACK);
  }

  /**
   * A new instance of the named depth method (one per thread: instances keep buffers; instances of one model share
   * its session). A fast-interpolation model comes with its {@link ResidualCorrection} when this catalog has one,
   * wrapped in its {@link DensityFallback} when this catalog has a fallback density.
   *
   * @throws IllegalArgumentException if no depth method has that name (a focal-stack model's name included), listing
   *     the methods of each role
   * @throws ModelLoadException if the model file cannot be used (naming the file and what was expected)
   */
  public DepthReconstructor createDepth(String name) {
    if (ClassicalMethods.names().contains(name)) {
      return ClassicalMethods.create(name);
    }
    OnnxReconstructor runner = new OnnxReconstructor(acquire(name, Role.DEPTH));
    if (runner.isSuperResolution()) {
      return runner;
    }
    DepthReconstructor network = fastResidual.enabled() ? new ResidualCorrection(runner, fastResidual) : runner;
    if (fastFallbackDensity == 0) {
      return network;
    }
    return new DensityFallback(network,
        new SparseBlend(DensityFallback.NEAREST_WEIGHT, DensityFallback.INPAINT_WEIGHT), fastFallbackDensity);
  }

  /**
   * A new focal-stack estimator of the named method (one per thread): the classical {@value DepthFromFocus#NAME}
   * (no model file), or a runner of the named focal-stack model on the model's shared session.
   *
   * @throws IllegalArgumentException if no focal-stack method has that name (a depth model's name included),
   *     listing the methods of each role
   * @throws ModelLoadException if the model file cannot be used (naming the file and what was expected)
   */
  public FocalStackEstimator openFocalStack(String name) {
    if (DepthFromFocus.NAME.equals(name)) {
      return new DepthFromFocus();
    }
    return new FocalStackRunner(acquire(name, Role.FOCAL_STACK));
  }

  /**
   * Refuses a name that is neither a classical method of {@code role} nor a model file, as {@link #createDepth} and
   * {@link #openFocalStack} would, without loading anything: a cheap check before anything starts. (A model of the
   * other role, or a file that is no model, is only found when it is loaded.)
   *
   * @throws IllegalArgumentException if no method has that name, listing the methods of each role
   */
  public void requireKnown(String name, Role role) {
    boolean classical = role == Role.DEPTH ? ClassicalMethods.names().contains(name) : DepthFromFocus.NAME.equals(name);
    if (!classical && !Files.isRegularFile(OnnxModels.resolve(modelsDir, name))) {
      throw unknown(name, role, "");
    }
  }

  /** The model stems of {@code role} in the models directory, sorted (no classical methods). */
  public List<String> models(Role role) {
    List<String> names = new ArrayList<>();
    for (String stem : modelStems()) {
      if (roleOf(stem).filter(role::equals).isPresent()) {
        names.add(stem);
      }
    }
    return names;
  }

  /**
   * How the micro-batcher of the named model's shared session has stacked concurrent callers' frames so far: empty
   * when the model is not open in this catalog or the settings do not batch ({@code batchMax} 1). For benchmarks
   * and diagnostics.
   */
  public Optional<Batching> batching(String model) {
    return sessions.batcher(OnnxModels.resolve(modelsDir, model), settings)
        .map(b -> new Batching(b.stackedRuns(), b.largestBatch()));
  }

  /** Open instances of the named model's shared session (0 when none is loaded), for tests and diagnostics. */
  int sessionUsers(String model) {
    return sessions.users(OnnxModels.resolve(modelsDir, model), settings);
  }

  /**
   * A handle on the named model's shared session, checked against {@code role} by the loader. Only when that check
   * fails is the file's role read, to refuse a model of the other role by name (the loader's error as the cause);
   * a file of no known signature keeps the loader's message, which says what is wrong with it. So a method that
   * fits costs no more than its load.
   */
  private ModelSession acquire(String name, Role role) {
    Path file = OnnxModels.resolve(modelsDir, name);
    if (!Files.isRegularFile(file)) {
      throw unknown(name, role, "");
    }
    try {
      return sessions.acquire(file, settings, role.signatures().toArray(ModelSignature[]::new));
    } catch (ModelLoadException e) {
      Optional<Role> found = roleOf(name);
      if (found.isPresent() && found.get() != role) {
        IllegalArgumentException refused =
            unknown(name, role, " is a " + found.get().label + " model, not a " + role.label + " method");
        refused.initCause(e);
        throw refused;
      }
      throw e;
    }
  }

  private IllegalArgumentException unknown(String name, Role role, String why) {
    return new IllegalArgumentException((why.isEmpty() ? "unknown " + role.label + " method '" + name + "'"
        : "'" + name + "'" + why) + "; depth methods: " + String.join(", ", depthMethods())
        + "; focal-stack methods: " + String.join(", ", focalStackMethods())
        + " (models are looked up in " + modelsDir.toAbsolutePath().normalize() + ")");
  }

  private List<String> withClassical(List<String> classical, Role role) {
    List<String> all = new ArrayList<>(classical);
    for (String model : models(role)) {
      if (!all.contains(model)) {
        all.add(model);
      }
    }
    return all;
  }

  /** The role of the model file {@code stem}, probing it once per size and modification time. */
  private Optional<Role> roleOf(String stem) {
    Path file = OnnxModels.resolve(modelsDir, stem).toAbsolutePath().normalize();
    long size;
    FileTime modified;
    try {
      size = Files.size(file);
      modified = Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    synchronized (probes) {
      Probe p = probes.get(file);
      if (p == null || p.size() != size || !p.modified().equals(modified)) {
        p = new Probe(size, modified, ModelLoader.signatureOf(file));
        probes.put(file, p);
      }
      return p.signature().flatMap(Role::of);
    }
  }

  /** Stems of the {@code .onnx} files in the models directory, sorted. */
  private List<String> modelStems() {
    if (!Files.isDirectory(modelsDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(modelsDir)) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".onnx") && !n.startsWith("."))
          .map(n -> n.substring(0, n.length() - ".onnx".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list models in " + modelsDir, e);
    }
  }
}
