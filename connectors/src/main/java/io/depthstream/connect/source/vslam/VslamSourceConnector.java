package io.depthstream.connect.source.vslam;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveSourceConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect source for semi-dense vSLAM depth (keyframe depth / inverse-depth maps with masks, or keyframe
 * point lists with poses), published as sparse {@code DepthFrame}s (kind VSLAM). Settings: {@link VslamConfig};
 * example {@code config/connect/vslam-source.properties}.
 */
public final class VslamSourceConnector extends DriveSourceConnector {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new VslamConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return VslamSourceTask.class;
  }

  @Override
  public ConfigDef config() {
    return VslamConfig.CONFIG_DEF;
  }
}
