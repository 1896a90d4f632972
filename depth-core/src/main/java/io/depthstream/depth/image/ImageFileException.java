package io.depthstream.depth.image;

import java.nio.file.Path;

/**
 * An image file that cannot be decoded into what its caller asked for. The message always names the file and the
 * problem; {@link #problem()} says which kind of problem it is, so a caller can map it to its own codes (the
 * connectors turn it into a dead-letter reason) without parsing the message.
 *
 * <p>It is an {@link IllegalArgumentException} (bad input, the project's convention), so no reader ever answers a
 * bad file with silently wrong pixels.
 */
public final class ImageFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The kinds of problem, stable for callers that map them to codes. */
  public enum Problem {
    /** Bytes that do not parse as the format: bad signature or header, a failed CRC, corrupt compressed data. */
    CORRUPT,
    /** The file ends before the data its header promises. */
    TRUNCATED,
    /** A valid image of another bit depth, channel count or layout than the caller needs. */
    WRONG_FORMAT,
    /** A valid image of another size than the caller expects. */
    WRONG_SIZE
  }

  private final transient Path file;
  private final Problem problem;
  private final String detail;

  public ImageFileException(Path file, Problem problem, String detail) {
    this(file, problem, detail, null);
  }

  public ImageFileException(Path file, Problem problem, String detail, Throwable cause) {
    super(file + ": " + detail, cause);
    this.file = file;
    this.problem = problem;
    this.detail = detail;
  }

  /** The offending file (or the name the caller gave the bytes). */
  public Path file() {
    return file;
  }

  /** Which kind of problem this is. */
  public Problem problem() {
    return problem;
  }

  /** The problem in words, without the file name. */
  public String detail() {
    return detail;
  }
}
