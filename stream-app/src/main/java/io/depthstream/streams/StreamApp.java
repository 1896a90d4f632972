package io.depthstream.streams;

import io.depthstream.cli.CommandErrors;
import io.depthstream.streams.config.ConfigLoader;
import io.depthstream.streams.config.NodeConfig;
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

/**
 * Runs the node against any Kafka cluster: {@code stream-app --config config/depthstream.properties}. A bad setting
 * (an unknown key, a bad value, an unknown method, a missing configuration file), a cluster that does not answer
 * or refuses the node's login ends it at start-up with one line naming the key or the servers, and exit code 2.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Turns sparse or low-resolution depth into dense depth and navigation guidance over Kafka.")
public final class StreamApp implements Callable<Integer> {
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
      stopped.await();
      String refused = node.stoppedByCluster().toCompletableFuture().getNow(null);
      if (refused != null) {
        spec.commandLine().getErr().println("stopped: " + refused);
        return 3;
      }
    }
    return 0;
  }
}
