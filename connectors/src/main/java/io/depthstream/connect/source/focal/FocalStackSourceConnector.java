package io.depthstream.connect.source.focal;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveSourceConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect source for focal stacks (a directory per stack: PNG images + {@code focus.txt} focus distances),
 * published as {@code FocalStack} messages, chunked when over {@code max.message.bytes}. Settings:
 * {@link FocalStackConfig}; example {@code config/connect/focalstack-source.properties}.
 */
public final class FocalStackSourceConnector extends DriveSourceConnector {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new FocalStackConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return FocalStackSourceTask.class;
  }

  @Override
  public ConfigDef config() {
    return FocalStackConfig.CONFIG_DEF;
  }
}
