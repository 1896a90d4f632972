package io.depthstream.connect.source.rgbd;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveSourceConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect source for Kinect-style RGB-D drives (16-bit depth PNGs in millimetres, or TUM RGB-D sequences),
 * published as dense uint16-millimetre {@code DepthFrame}s (kind RGBD). Settings: {@link RgbdConfig}; example
 * {@code config/connect/rgbd-source.properties}.
 */
public final class RgbdSourceConnector extends DriveSourceConnector {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new RgbdConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return RgbdSourceTask.class;
  }

  @Override
  public ConfigDef config() {
    return RgbdConfig.CONFIG_DEF;
  }
}
