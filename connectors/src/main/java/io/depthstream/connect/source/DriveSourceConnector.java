package io.depthstream.connect.source;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Base of the drive source connectors: one task per connector, since a drive is one ordered sequence of captures
 * of one sensor (run one connector per sensor; a fleet runs many on a distributed Connect cluster). The task
 * configuration is the connector's, checked here first so a bad setting fails {@code start} naming its key.
 */
public abstract class DriveSourceConnector extends SourceConnector {
  /** The version reported to Connect. */
  public static final String VERSION = "0.1.0";

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    // Parse now so a bad key fails the connector, not just its task later; the task re-parses the same map.
    newConfig(props);
    this.props = Map.copyOf(props);
  }

  /** Parses and checks this connector's configuration. */
  protected abstract DriveConfig newConfig(Map<String, String> props);

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
  }

  @Override
  public void stop() {}

  @Override
  public String version() {
    return VERSION;
  }

  /**
   * Exactly-once is not claimed: the offsets commit after the records are acknowledged, so a crash between the
   * two may repeat a capture (consumers can drop repeats by {@code FrameId.sequence}).
   */
  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.UNSUPPORTED;
  }
}
