package io.depthstream.streams.topology;

/**
 * Message size limits. uint16 frames up to KITTI's 1242x375 (910 KiB) fit Kafka's default 1 MiB; float32 frames
 * do not (640x480 is 1.2 MB), so topics carrying them are created with a raised max.message.bytes and the
 * producer's max.request.size is raised to the same value.
 */
public final class TopicLimits {
  /** 16 MiB: a float32 frame of up to 4 Mpixel plus its header. */
  public static final int FLOAT32_MAX_BYTES = 16 * 1024 * 1024 + 64 * 1024;

  /** The smallest value limit the node works with (a producer limit below it is treated as this). */
  public static final int MIN_VALUE_BYTES = 64 * 1024;

  private TopicLimits() {}
}
