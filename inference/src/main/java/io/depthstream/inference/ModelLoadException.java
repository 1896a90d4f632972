package io.depthstream.inference;

import java.nio.file.Path;

/**
 * A model file could not be used: missing, unreadable, not an ONNX graph ONNX Runtime can load, or declaring
 * other inputs/outputs than the runner expects. The message names the file and the expected signature(s).
 */
public final class ModelLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public ModelLoadException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The model file that failed (absolute). */
  public Path file() {
    return file;
  }

  /**
   * The message of {@code t} when it is a model file the user named that cannot be used, else null: the reader a
   * command passes to its error reporting so that such a file is one line, not a stack trace.
   */
  public static String userMessage(Throwable t) {
    return t instanceof ModelLoadException ? t.getMessage() : null;
  }
}
