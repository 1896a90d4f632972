package io.depthstream.inference;

import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every reconstruction method by name: the classical methods of the depth library, and each ONNX model of a
 * models directory by its file stem ({@code fast_interp_x4} for {@code models/fast_interp_x4.onnx}). Adding a model
 * is adding its file; choosing it is one configuration line.
 *
 * <p>Every instance of one model made here runs on one shared ONNX Runtime session (weights, memory arena and
 * intra-op thread pool loaded once; {@code OrtSession.run} is thread-safe), with buffers of its own; the session
 * closes when the last instance is closed, and a later {@link #create} loads the file again.
 */
public final class MethodCatalog {
  private final Path modelsDir;
  private final InferenceSettings settings;
  private final SessionRegistry sessions = new SessionRegistry();

  /**
   * @param modelsDir where the ONNX models are; a directory that does not exist simply offers no models
   */
  public MethodCatalog(Path modelsDir, InferenceSettings settings) {
    this.modelsDir = modelsDir;
    this.settings = settings;
  }

  /**
   * A new instance of the named method (one per thread: instances keep buffers; instances of one model share its
   * session).
   *
   * @throws IllegalArgumentException if no classical method or model has that name, listing the known names
   * @throws ModelLoadException if the model file exists but cannot be used (naming the file and what was expected)
   */
  public DepthReconstructor create(String name) {
    if (ClassicalMethods.names().contains(name)) {
      return ClassicalMethods.create(name);
    }
    if (modelNames().contains(name)) {
      return new OnnxReconstructor(sessions.acquire(
          OnnxModels.resolve(modelsDir, name), settings, ModelSignature.FAST, ModelSignature.SUPER_RESOLUTION));
    }
    throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", names())
        + " (models are looked up in " + modelsDir.toAbsolutePath().normalize() + ")");
  }

  /**
   * A new focal-stack runner of the named model (one per thread), on the model's shared session like
   * {@link #create}'s instances.
   *
   * @throws IllegalArgumentException if the name is not a file stem
   * @throws ModelLoadException if the file is missing or not a focal-stack model (naming the file and what was
   *     expected)
   */
  public FocalStackRunner focalStack(String name) {
    return new FocalStackRunner(sessions.acquire(OnnxModels.resolve(modelsDir, name), settings,
        ModelSignature.FOCAL_STACK));
  }

  /** Open instances of the named model's shared session (0 when none is loaded), for tests and diagnostics. */
  int sessionUsers(String model) {
    return sessions.users(OnnxModels.resolve(modelsDir, model), settings);
  }

  /** The classical names, then the model stems. */
  public List<String> names() {
    List<String> all = new ArrayList<>(ClassicalMethods.names());
    all.addAll(modelNames());
    return all;
  }

  /** Stems of the {@code .onnx} files in the models directory, sorted. */
  public List<String> modelNames() {
    if (!Files.isDirectory(modelsDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(modelsDir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".onnx"))
          .map(n -> n.substring(0, n.length() - ".onnx".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list models in " + modelsDir, e);
    }
  }
}
