package io.depthstream.streams.codec;

import io.depthstream.proto.kafka.SensorKinds;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.proto.kafka.DeadLetterReason;

/** The rule that the topic decides a frame's sensor kind, shared by the depth-frame and focal-stack decoders. */
final class FrameIdentity {
  private FrameIdentity() {}

  /**
   * The frame's identity with the topic's kind: an unset id.kind takes the topic's; another kind (or an unknown
   * enum number) is rejected, so the method that runs is always the one configured for the topic.
   *
   * @param topicKind the kind of the topic the frame arrived on; null (tools that read any topic) keeps the frame's
   *     own kind, which must then be set
   * @param what the input's name in messages ("frame", "focal stack")
   */
  static FrameId withTopicKind(FrameId id, SensorKind topicKind, String what) throws InvalidFrameException {
    SensorKind kind = id.getKind();
    if (topicKind == null) {
      if (kind == SensorKind.SENSOR_KIND_UNSPECIFIED || kind == SensorKind.UNRECOGNIZED) {
        throw new InvalidFrameException(DeadLetterReason.MISSING_FIELD,
            what + " of sensor '" + id.getSensorId() + "' has no known id.kind");
      }
      return id;
    }
    if (kind == topicKind) {
      return id;
    }
    if (kind == SensorKind.SENSOR_KIND_UNSPECIFIED) {
      return id.toBuilder().setKind(topicKind).build();
    }
    throw new InvalidFrameException(DeadLetterReason.KIND_MISMATCH,
        what + " of sensor '" + id.getSensorId() + "' says id.kind "
            + (kind == SensorKind.UNRECOGNIZED ? "#" + id.getKindValue() : SensorKinds.shortName(kind))
            + " but arrived on the " + SensorKinds.shortName(topicKind) + " topic; the topic decides the method");
  }
}
