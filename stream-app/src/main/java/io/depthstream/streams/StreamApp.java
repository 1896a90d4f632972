package io.depthstream.streams;

import io.depthstream.cli.CommandErrors;
import io.depthstream.streams.config.ConfigLoader;
import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node against any Kafka cluster: {@code stream-app --config config/depthstream.properties}. A bad setting
 * (an unknown key, a bad value, an unknown method, a missing configuration file), a cluster that does not answer
 * or refuses the node's login ends it at start-up with one line naming the key or the servers, and exit code 2.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Turns sparse or low-resolution depth into dense depth and navigation guidance over Kafka.")
public final class StreamApp implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StreamApp.class);

  @Option(names = {"-c",
      "--config"}, paramLabel = "FILE", description = "Properties file: depthstream.* keys (documented in config/depthstream.properties), and any Kafka "
          + "Streams or client setting (bootstrap.servers, security.protocol, sasl.*, ssl.*, producer.*, ...).")
  Path config;

  @Option(names = {"-s", "--set"}, description = "Override a setting, key=value; repeatable. Wins over the "
      + "file and over DEPTHSTREAM_* environment variables.")
  List<String> overrides = new ArrayList<>();

  @Mixin
  CommandErrors.Verbose verbose;

  @Spec
  CommandSpec spec;

  /**
   * System property the start script ({@code bin/depthstream-node}) sets when this run records an Application Class
   * Data Sharing archive: the file the JVM writes at exit.
   */
  static final String CDS_RECORDING_PROPERTY = "depthstream.cds.recording";

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The node's command line: a bad setting or an unusable cluster is one line "configuration error: ...". */
  public static CommandLine commandLine() {
    return CommandErrors.commandLine(new StreamApp(), StreamApp::configurationError);
  }

  /**
   * The one line for a bad node or Kafka setting, or a cluster that refused or did not answer the start-up check
   * (all {@link ConfigException}s naming the key or the servers); null for anything else.
   */
  public static String configurationError(Throwable t) {
    return t instanceof ConfigException ? "configuration error: " + t.getMessage() : null;
  }

  @SuppressWarnings("try") // the shutdown hook closes the node early on SIGTERM; close() is idempotent
  @Override
  public Integer call() throws InterruptedException {
    NodeConfig nodeConfig = NodeConfig.from(ConfigLoader.merge(config, System.getenv(), overrides));
    CountDownLatch stopped = new CountDownLatch(1);
    try (DepthNode node = DepthNode.start(nodeConfig, DepthNode.methods(nodeConfig))) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        node.close();
        stopped.countDown();
      }, "depthstream-shutdown"));
      // The node also stops by itself when the cluster refuses it after start-up (a missing ACL): exit then too.
      node.stoppedByCluster().thenRun(stopped::countDown);
      markRecordingServed(node);
      stopped.await();
      String refused = node.stoppedByCluster().toCompletableFuture().getNow(null);
      if (refused != null) {
        spec.commandLine().getErr().println("stopped: " + refused);
        return 3;
      }
    }
    return 0;
  }

  /**
   * Tells the start script that the class-sharing archive this run records ({@value #CDS_RECORDING_PROPERTY}) holds
   * the classes of a node that served: once the node is RUNNING it creates {@code <recording>.served}, and the next
   * start uses the archive. A run that never served (a bad setting, no cluster) leaves no mark, and its archive,
   * holding a fraction of the node's classes, is discarded. Failing to mark only costs the next start its archive.
   */
  private static void markRecordingServed(DepthNode node) {
    String recording = System.getProperty(CDS_RECORDING_PROPERTY, "");
    if (recording.isEmpty()) {
      return;
    }
    node.firstRunning().thenRun(() -> {
      try {
        Files.write(Path.of(recording + ".served"), new byte[0]);
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not mark the class-sharing archive {} as served, the next start records it again: {}",
            recording, e.toString());
      }
    });
  }
}
