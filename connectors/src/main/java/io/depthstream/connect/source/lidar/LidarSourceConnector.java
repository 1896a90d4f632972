package io.depthstream.connect.source.lidar;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveSourceConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect source for LiDAR drives: KITTI Velodyne {@code .bin} + calibration, PCD, or KITTI
 * depth-completion PNGs, published as sparse {@code DepthFrame}s (kind LIDAR) keyed by sensor id. Settings:
 * {@link LidarConfig}; an example is {@code config/connect/lidar-source.properties}.
 */
public final class LidarSourceConnector extends DriveSourceConnector {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new LidarConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return LidarSourceTask.class;
  }

  @Override
  public ConfigDef config() {
    return LidarConfig.CONFIG_DEF;
  }
}
