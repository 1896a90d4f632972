package io.depthstream.connect.formats;

import java.nio.file.Path;

/**
 * A drive file that cannot be turned into a frame: corrupt or truncated data, a calibration that does not match,
 * the wrong bit depth or image size, a missing focus distance. The message always names the file and the problem;
 * {@link #reason()} is a stable code for dead-letter headers.
 *
 * <p>It is an {@link IllegalArgumentException} (bad input, the project's convention) so a reader never answers a
 * bad file with a silently wrong frame.
 */
public final class BadFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why a file was rejected; the names are the values of the {@code depthstream.error.reason} header. */
  public enum Reason {
    /** Bytes that do not parse as the format (bad magic, bad header, non-finite coordinates). */
    CORRUPT_FILE,
    /** The file ends before the data its header or record size promises. */
    TRUNCATED_FILE,
    /** The file is missing or unreadable. */
    UNREADABLE_FILE,
    /** Calibration missing a matrix, or not matching the image or the point cloud. */
    CALIBRATION_MISMATCH,
    /** An image with another bit depth or channel count than the format needs. */
    WRONG_BIT_DEPTH,
    /** An image whose size differs from the configured one. */
    WRONG_IMAGE_SIZE,
    /** A focal-stack image without a focus distance, or a non-positive one. */
    MISSING_FOCUS_DISTANCE,
    /** One image alone is larger than the configured message limit. */
    TOO_LARGE,
    /** Depth values that cannot be depths (negative, NaN inside a valid mask). */
    INVALID_DEPTH
  }

  private final transient Path file;
  private final Reason reason;

  public BadFileException(Path file, Reason reason, String problem) {
    this(file, reason, problem, null);
  }

  public BadFileException(Path file, Reason reason, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.reason = reason;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  public Reason reason() {
    return reason;
  }
}
