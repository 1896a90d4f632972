package io.depthstream.streams.codec;

/**
 * A frame that cannot be processed. Carries a stable {@link Reason} for the dead-letter header and metrics, and
 * a human-readable message naming the problem.
 */
public final class InvalidFrameException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a frame was rejected; the names are part of the dead-letter contract, do not rename. */
  public enum Reason {
    EMPTY_VALUE,
    CORRUPT_BYTES,
    MISSING_FIELD,
    KEY_MISMATCH,
    ABSURD_DIMENSIONS,
    PAYLOAD_SIZE_MISMATCH,
    UNKNOWN_ENCODING,
    INVALID_DEPTH,
    INVALID_INTRINSICS,
    SPARSE_INDEX_OUT_OF_RANGE,
    RECONSTRUCTION_FAILED,
    /** A focal-stack slice without a finite focus distance &gt; 0. */
    INVALID_FOCUS_DISTANCE,
    /** A focal stack split into chunks (chunk_count &gt; 1), which this node does not join. */
    CHUNKED_STACK_UNSUPPORTED,
    /** The frame's id.kind names another sensor kind than the topic it arrived on. */
    KIND_MISMATCH,
    /** The capture time (record timestamp) lies further in the future than the configured tolerance. */
    FUTURE_CAPTURE_TIME,
    /** The dense output would exceed the producer's record size limit (max.request.size). */
    OUTPUT_TOO_LARGE
  }

  private final Reason reason;

  public InvalidFrameException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InvalidFrameException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
