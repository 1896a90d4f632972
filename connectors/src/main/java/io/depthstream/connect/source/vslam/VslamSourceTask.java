package io.depthstream.connect.source.vslam;

import io.depthstream.connect.source.DriveConfig;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.DriveSourceTask;
import io.depthstream.proto.v1.SensorKind;
import java.util.Map;

/** The task of {@link VslamSourceConnector}. */
public final class VslamSourceTask extends DriveSourceTask {
  @Override
  protected DriveConfig newConfig(Map<String, String> props) {
    return new VslamConfig(props);
  }

  @Override
  protected DriveReader newReader(DriveConfig config) {
    return new VslamDriveReader((VslamConfig) config);
  }

  @Override
  protected SensorKind kind() {
    return SensorKind.SENSOR_KIND_VSLAM;
  }
}
