package io.depthstream.connect.source;

import io.depthstream.connect.formats.BadFileException;
import io.depthstream.proto.v1.FrameId;
import java.util.List;

/**
 * A {@link DriveReader} whose heavy work (reading and decoding a file) can run ahead of publication on the
 * task's decode threads ({@code decode.threads}), while the cheap, order-dependent part (stamping the frame id
 * with its sequence number and capture time, serializing) stays on the task's own thread. That split keeps the
 * records, their sequence numbers and offsets in exactly the drive's order however many threads decode.
 *
 * @param <P> a decoded capture, held between {@link #prepare} and {@link #finish}
 */
public interface AheadReader<P> extends DriveReader {
  /**
   * Reads and decodes one capture. Thread-safe: called concurrently for different items, each call on one of
   * the task's decode threads (or on the task's thread when {@code decode.threads=0}).
   *
   * @throws BadFileException when the capture is corrupt, truncated or does not match the configuration
   */
  P prepare(DriveItem item);

  /**
   * Turns a prepared capture into its records; called on the task's thread, in drive order, once per prepared
   * capture. Releases whatever buffers {@code prepared} holds back to the reader.
   */
  List<Emission> finish(DriveItem item, FrameId id, P prepared);

  @Override
  default List<Emission> read(DriveItem item, FrameId id) {
    return finish(item, id, prepare(item));
  }
}
