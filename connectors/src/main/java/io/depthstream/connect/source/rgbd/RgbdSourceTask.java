package io.depthstream.connect.source.rgbd;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.DriveSourceTask;
import io.depthstream.proto.v1.SensorKind;
import java.util.Map;

/** The task of {@link RgbdSourceConnector}. */
public final class RgbdSourceTask extends DriveSourceTask {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new RgbdConfig(props);
  }

  @Override
  protected DriveReader newReader(DriveConfig config) {
    return new RgbdDriveReader((RgbdConfig) config);
  }

  @Override
  protected SensorKind kind() {
    return SensorKind.SENSOR_KIND_RGBD;
  }
}
