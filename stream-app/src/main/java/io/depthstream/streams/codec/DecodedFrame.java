package io.depthstream.streams.codec;

import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;

/** A validated input of the frame path, whatever its payload: its identity (kind = its topic's) and camera. */
public interface DecodedFrame {
  FrameId id();

  CameraIntrinsics intrinsics();
}
