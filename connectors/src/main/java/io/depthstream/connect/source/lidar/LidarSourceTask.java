package io.depthstream.connect.source.lidar;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.DriveSourceTask;
import io.depthstream.proto.v1.SensorKind;
import java.util.Map;

/** The task of {@link LidarSourceConnector}. */
public final class LidarSourceTask extends DriveSourceTask {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new LidarConfig(props);
  }

  @Override
  protected DriveReader newReader(DriveConfig config) {
    return new LidarDriveReader((LidarConfig) config);
  }

  @Override
  protected SensorKind kind() {
    return SensorKind.SENSOR_KIND_LIDAR;
  }
}
