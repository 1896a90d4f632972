package io.depthstream.connect.source;

import java.nio.file.Path;

/**
 * One capture of a drive: a file (a scan, a depth image, a keyframe) or a directory (a focal stack).
 *
 * @param name stable name relative to the drive's directory; stored in Connect's source offsets
 * @param path where it is
 * @param timeNs capture time from the drive itself (ns since epoch), or {@link #NO_TIME} when the drive has none
 */
public record DriveItem(String name, Path path, long timeNs) {
  /** Marks an item without a recorded capture time. */
  public static final long NO_TIME = Long.MIN_VALUE;
}
