package io.depthstream.connect.source.focal;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.DriveSourceTask;
import io.depthstream.proto.v1.SensorKind;
import java.util.Map;

/** The task of {@link FocalStackSourceConnector}. */
public final class FocalStackSourceTask extends DriveSourceTask {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new FocalStackConfig(props);
  }

  @Override
  protected DriveReader newReader(DriveConfig config) {
    return new FocalStackDriveReader((FocalStackConfig) config);
  }

  @Override
  protected SensorKind kind() {
    return SensorKind.SENSOR_KIND_FOCAL_STACK;
  }
}
