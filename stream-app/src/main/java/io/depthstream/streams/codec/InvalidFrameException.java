package io.depthstream.streams.codec;

import io.depthstream.proto.kafka.DeadLetterReason;

/**
 * A frame that cannot be processed. Carries a stable {@link DeadLetterReason} for the dead-letter header and
 * metrics, and a human-readable message naming the problem.
 */
public final class InvalidFrameException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  public InvalidFrameException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InvalidFrameException(DeadLetterReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
