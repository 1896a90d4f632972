package io.depthstream.connect.source;

import io.depthstream.connect.formats.BadFileException;
import io.depthstream.proto.v1.FrameId;
import java.util.List;

/**
 * Reads one sensor's drive from local files: lists its captures in replay order and turns each into records.
 * Implementations own their scratch buffers (allocated once per image size) and are used by one thread.
 * Shared by the Kafka Connect tasks and the plain-producer runner.
 */
public interface DriveReader {
  /** The captures in replay order (sorted by name). Computed once at start. */
  List<DriveItem> items();

  /**
   * Reads one capture.
   *
   * @param id the frame identity to stamp (sensor id, kind, sequence, capture time)
   * @return the records to publish, in order (one frame; or a focal stack's chunks; or a frame and its RGB image)
   * @throws BadFileException when the capture is corrupt, truncated or does not match the configuration
   */
  List<Emission> read(DriveItem item, FrameId id);
}
