package io.depthstream.connect.formats;

import io.depthstream.depth.image.ImageFileException;
import io.depthstream.proto.kafka.DeadLetterReason;
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

  private final transient Path file;
  private final DeadLetterReason reason;

  public BadFileException(Path file, DeadLetterReason reason, String problem) {
    this(file, reason, problem, null);
  }

  public BadFileException(Path file, DeadLetterReason reason, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.reason = reason;
  }

  /**
   * The image codec's error (depth-core's {@link ImageFileException}) as a bad drive file: the same file and
   * problem, with its dead-letter reason (corrupt, truncated, wrong bit depth or channels, wrong image size).
   */
  public static BadFileException of(ImageFileException e) {
    DeadLetterReason reason = switch (e.problem()) {
      case CORRUPT -> DeadLetterReason.CORRUPT_FILE;
      case TRUNCATED -> DeadLetterReason.TRUNCATED_FILE;
      case WRONG_FORMAT -> DeadLetterReason.WRONG_BIT_DEPTH;
      case WRONG_SIZE -> DeadLetterReason.WRONG_IMAGE_SIZE;
    };
    return new BadFileException(e.file(), reason, e.detail(), e);
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  /** The stable code for the {@code depthstream.error.reason} header (one of the files' codes). */
  public DeadLetterReason reason() {
    return reason;
  }
}
