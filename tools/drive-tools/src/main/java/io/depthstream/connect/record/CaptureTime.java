package io.depthstream.connect.record;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * The capture time (ns) of a recorded value without parsing its payload: every depthstream value type
 * (DepthFrame, FocalStack, DenseDepth, NavigationGuidance) carries its {@code FrameId} as field 1, and the
 * FrameId its {@code capture_time_ns} as field 4; other fields are skipped unread.
 */
final class CaptureTime {
  /** Field 1, length-delimited: (1 << 3) | 2. */
  private static final int ID_TAG = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  /** Field 4, varint: (4 << 3) | 0. */
  private static final int CAPTURE_TIME_TAG = 4 << 3 | WireFormat.WIRETYPE_VARINT;

  private CaptureTime() {}

  /** The capture time in ns, or {@link McapWriter#UNKNOWN_CAPTURE_TIME} when the value has none or is not ours. */
  static long of(DriveRecorder.ValueType type, byte[] value) {
    if (type == DriveRecorder.ValueType.BYTES || value == null) {
      return McapWriter.UNKNOWN_CAPTURE_TIME;
    }
    try {
      CodedInputStream in = CodedInputStream.newInstance(value);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == ID_TAG) {
          int limit = in.pushLimit(in.readRawVarint32());
          for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == CAPTURE_TIME_TAG) {
              return in.readInt64();
            }
            in.skipField(t);
          }
          in.popLimit(limit);
          return McapWriter.UNKNOWN_CAPTURE_TIME;
        }
        in.skipField(tag);
      }
    } catch (IOException e) {
      // not a protobuf of ours (the demo's corrupt records): the Kafka timestamp it is
    }
    return McapWriter.UNKNOWN_CAPTURE_TIME;
  }
}
