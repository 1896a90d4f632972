package io.depthstream.proto.kafka;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Why a record or a drive file was dead-lettered: the value of the {@link Wire#ERROR_REASON_HEADER} header, one list
 * for the node and the connectors. The names are part of the dead-letter contract: never rename or reuse one.
 */
public enum DeadLetterReason {
  // ---- records the node rejects ----
  /** The record value is empty (a tombstone or zero bytes). */
  EMPTY_VALUE,
  /** The bytes do not parse as the topic's message. */
  CORRUPT_BYTES,
  /** A required field (sensor id, slices, a non-negative capture time) is missing. */
  MISSING_FIELD,
  /** The record key differs from the sensor id. */
  KEY_MISMATCH,
  /** The frame's id.kind names another sensor kind than the topic it arrived on. */
  KIND_MISMATCH,
  /** A side, the pixel count or the slice count is outside what the node accepts. */
  ABSURD_DIMENSIONS,
  /** A payload's size disagrees with width * height. */
  PAYLOAD_SIZE_MISMATCH,
  /** No payload this node understands, or an unknown pixel format. */
  UNKNOWN_ENCODING,
  /** A depth that cannot be one (negative, NaN in a sparse sample, beyond the configured maximum). */
  INVALID_DEPTH,
  /** Focal lengths not finite and positive, a principal point far outside the image, or another image size. */
  INVALID_INTRINSICS,
  /** A sparse sample's pixel index lies outside the image. */
  SPARSE_INDEX_OUT_OF_RANGE,
  /** The capture time (record timestamp) lies further in the future than the configured tolerance. */
  FUTURE_CAPTURE_TIME,
  /** The configured method failed on this input. */
  RECONSTRUCTION_FAILED,
  /** The dense output would exceed the producer's record size limit (max.request.size). */
  OUTPUT_TOO_LARGE,
  /** A focal-stack slice without a finite focus distance &gt; 0. */
  INVALID_FOCUS_DISTANCE,
  /** A focal stack split into chunks (chunk_count &gt; 1), which the node does not join. */
  CHUNKED_STACK_UNSUPPORTED,

  // ---- drive files the connectors reject ----
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
  TOO_LARGE;

  private static final Set<DeadLetterReason> NODE_REASONS =
      Collections.unmodifiableSet(EnumSet.range(EMPTY_VALUE, CHUNKED_STACK_UNSUPPORTED));

  /**
   * The reasons the node gives for the records it rejects (the first group above); the others are the
   * connectors' reasons for drive files. The node's dead-letter counters start at 0 for each of these.
   */
  public static Set<DeadLetterReason> nodeReasons() {
    return NODE_REASONS;
  }
}
