package io.depthstream.streams;

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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the node against any Kafka cluster: {@code stream-app --config config/depthstream.properties}. */
@Command(name = "stream-app", mixinStandardHelpOptions = true,
    description = "Turns sparse or low-resolution depth into dense depth and navigation guidance over Kafka.")
public final class StreamApp implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, description = "Properties file (see config/depthstream.properties).")
  Path config;

  @Option(names = {"-s", "--set"}, description = "Override a setting, key=value; repeatable. Wins over the "
      + "file and over DEPTHSTREAM_* environment variables.")
  List<String> overrides = new ArrayList<>();

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamApp()).execute(args));
  }

  @SuppressWarnings("try") // the shutdown hook closes the node early on SIGTERM; close() is idempotent
  @Override
  public Integer call() throws InterruptedException {
    NodeConfig nodeConfig;
    try {
      nodeConfig = NodeConfig.from(ConfigLoader.merge(config, System.getenv(), overrides));
    } catch (ConfigException e) {
      return configurationError(e);
    }
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
    } catch (ConfigException e) {
      // A bad key, or the start-up check's refused login / unreachable cluster: one line, exit code 2.
      return configurationError(e);
    }
    return 0;
  }

  private int configurationError(ConfigException e) {
    spec.commandLine().getErr().println("configuration error: " + e.getMessage());
    return 2;
  }
}
