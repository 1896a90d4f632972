package io.depthstream.proto.kafka;

import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.PointCloud;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Topic factories for the node's message types; names are configurable, keys are always sensor ids. */
public final class Wire {
  /** Header names of dead-letter records; part of the dead-letter contract. */
  public static final String ERROR_REASON_HEADER = "depthstream.error.reason";

  public static final String ERROR_MESSAGE_HEADER = "depthstream.error.message";
  public static final String ERROR_TOPIC_HEADER = "depthstream.error.topic";
  public static final String ERROR_PARTITION_HEADER = "depthstream.error.partition";
  public static final String ERROR_OFFSET_HEADER = "depthstream.error.offset";

  /** Set when the dead letter's value is a truncated copy: the original value's size in bytes. */
  public static final String ERROR_ORIGINAL_BYTES_HEADER = "depthstream.error.original.bytes";

  public static final Serde<DepthFrame> DEPTH_FRAME = ProtobufSerde.of(DepthFrame.parser(), "DepthFrame");
  public static final Serde<FocalStack> FOCAL_STACK = ProtobufSerde.of(FocalStack.parser(), "FocalStack");
  public static final Serde<DenseDepth> DENSE_DEPTH = ProtobufSerde.of(DenseDepth.parser(), "DenseDepth");
  public static final Serde<NavigationGuidance> GUIDANCE =
      ProtobufSerde.of(NavigationGuidance.parser(), "NavigationGuidance");
  public static final Serde<PointCloud> POINT_CLOUD = ProtobufSerde.of(PointCloud.parser(), "PointCloud");

  private Wire() {}

  public static Topic<String, DepthFrame> rawFrames(String name) {
    return new Topic<>(name, Serdes.String(), DEPTH_FRAME);
  }

  public static Topic<String, DenseDepth> denseDepth(String name) {
    return new Topic<>(name, Serdes.String(), DENSE_DEPTH);
  }

  public static Topic<String, NavigationGuidance> guidance(String name) {
    return new Topic<>(name, Serdes.String(), GUIDANCE);
  }

  public static Topic<String, PointCloud> points(String name) {
    return new Topic<>(name, Serdes.String(), POINT_CLOUD);
  }

  /** Dead letters keep the original bytes, whatever they were. */
  public static Topic<String, byte[]> deadLetters(String name) {
    return new Topic<>(name, Serdes.String(), Serdes.ByteArray());
  }
}
