package io.depthstream.inference;

import java.nio.file.Path;

/** Loads the shipped ONNX models by name from a models directory ({@code <dir>/<name>.onnx}). */
public final class OnnxModels {
  private OnnxModels() {}

  /**
   * A depth reconstructor for the named model: fast interpolation if its input is {@code sparse} (or
   * {@code sparse_blocks}, the block layout), super-resolution if it is {@code low_res}.
   *
   * @param modelsDir the directory holding {@code <name>.onnx} (the repository's {@code models/})
   * @param name the model's file stem, for example {@code fast_interp_x4}
   * @throws IllegalArgumentException if the name is empty or contains a path separator
   * @throws ModelLoadException if the file is missing, cannot be loaded, or is neither kind (naming the file and
   *     every expected signature)
   */
  public static OnnxReconstructor create(Path modelsDir, String name, InferenceSettings settings) {
    ModelSession session =
        ModelLoader.open(resolve(modelsDir, name), settings, ModelSignature.FAST, ModelSignature.FAST_BLOCKS,
            ModelSignature.SUPER_RESOLUTION);
    return new OnnxReconstructor(session);
  }

  /**
   * A focal-stack runner for the named model.
   *
   * @throws ModelLoadException as for {@link #create}, expecting {@link ModelSignature#FOCAL_STACK}
   */
  public static FocalStackRunner focalStack(Path modelsDir, String name, InferenceSettings settings) {
    return new FocalStackRunner(ModelLoader.open(resolve(modelsDir, name), settings, ModelSignature.FOCAL_STACK));
  }

  /** {@code <modelsDir>/<name>.onnx}, rejecting names that would leave the directory. */
  public static Path resolve(Path modelsDir, String name) {
    if (modelsDir == null) {
      throw new IllegalArgumentException("models directory is required");
    }
    if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "model name '" + name + "' must be a file stem such as fast_interp_x4 (no path, no extension)");
    }
    return modelsDir.resolve(name + ".onnx");
  }
}
