package io.depthstream.connect.source.focal;

import io.depthstream.proto.kafka.Topics;
import io.depthstream.connect.source.DriveConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of {@link FocalStackSourceConnector}. */
public final class FocalStackConfig extends DriveConfig {
  public static final String MAX_MESSAGE_BYTES = "max.message.bytes";

  /** Shared keys (1 stack/s, 640x480 by default) plus the chunking limit. */
  public static final ConfigDef CONFIG_DEF = common(Topics.RAW_FOCAL, 1.0, 640, 480)
      .define(MAX_MESSAGE_BYTES, Type.INT, 1_000_000, Range.between(1024, 256 << 20), Importance.MEDIUM,
          "Largest serialized FocalStack record; bigger stacks are split into chunks (chunk_index/chunk_count). "
              + "Keep it below the broker's message.max.bytes and the producer's max.request.size (1 MiB by "
              + "default) with room for the record overhead.");

  public FocalStackConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    intrinsics("for focal stacks");
  }

  public int maxMessageBytes() {
    return getInt(MAX_MESSAGE_BYTES);
  }
}
