package io.depthstream.streams.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the node distribution as a user would ({@code tar xzf}) and starts {@code bin/depthstream-node} as a
 * process from another working directory: the script finds its lib/, its default configuration and that
 * configuration's models, and honours JAVA_OPTS.
 */
class NodeDistributionIT {
  @TempDir
  static Path unpacked;
  private static Path home;

  /** What the process printed (stdout and stderr together) and its exit code. */
  private record Run(int exitCode, String output) {}

  @BeforeAll
  static void unpack() {
    home = NodeArchive.unpack(unpacked);
  }

  @Test
  void helpListsTheOptionsWithTheJarsOfLib(@TempDir Path elsewhere) throws Exception {
    Run run = run(elsewhere, Map.of(), home.resolve("bin/depthstream-node").toString(), "--help");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("--config", "--set");
  }

  @Test
  void theDefaultConfigurationAndItsModelsAreFoundFromAnyDirectory(@TempDir Path elsewhere) throws Exception {
    // The shipped configuration names the fast_interp_x4 model (LiDAR) and focal_stack. The node checks every method
    // name against the models directory before it looks for a broker, so reaching the broker check (whose absence is
    // then the one error) means the distribution's models/ was found from another working directory.
    int closedPort = closedPort();
    String broker = "127.0.0.1:" + closedPort;
    Run run = run(elsewhere, Map.of(), home.resolve("bin/depthstream-node").toString(),
        "--set", "bootstrap.servers=" + broker, "--set", "depthstream.startup.check.timeout.ms=1000");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("configuration error", "no Kafka broker answered", broker)
        .doesNotContain("unknown", "Exception");
    assertThat(run.output().strip().lines()).as("one line").hasSize(1);

    // The control: with a models directory that does not exist, the same start stops at the method names.
    Run missing = run(elsewhere, Map.of(), home.resolve("bin/depthstream-node").toString(),
        "--set", "bootstrap.servers=" + broker, "--set", "depthstream.models.dir=no-such-models");
    assertThat(missing.exitCode()).as(missing.output()).isEqualTo(2);
    assertThat(missing.output()).contains("depthstream.method.lidar", "fast_interp_x4").doesNotContain(broker);
  }

  @Test
  void aBadSettingStopsTheNodeNamingTheKey(@TempDir Path elsewhere) throws Exception {
    Run run = run(elsewhere, Map.of(), home.resolve("bin/depthstream-node").toString(),
        "--set", "depthstream.no.such.key=1");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("depthstream.no.such.key");
  }

  @Test
  void aSymbolicLinkToTheScriptStartsTheSameNode(@TempDir Path elsewhere) throws Exception {
    Path link = Files.createSymbolicLink(elsewhere.resolve("depthstream-node"), home.resolve("bin/depthstream-node"));
    Run run = run(elsewhere, Map.of(), link.toString(), "--help");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("--config");
  }

  @Test
  void theDefaultJvmOptionsApplyUnlessJavaOptsReplacesThem(@TempDir Path elsewhere) throws Exception {
    // JDK_JAVA_OPTIONS is read by the java launcher itself: it shows the flags in effect without touching JAVA_OPTS.
    Run defaults = run(elsewhere, Map.of("JDK_JAVA_OPTIONS", "-XX:+PrintCommandLineFlags"),
        home.resolve("bin/depthstream-node").toString(), "--help");
    assertThat(defaults.exitCode()).as(defaults.output()).isZero();
    assertThat(defaults.output()).contains("-XX:G1HeapRegionSize=8388608", "-XX:+UseG1GC");

    Run replaced = run(elsewhere, Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags -XX:+UseSerialGC -Xmx96m"),
        home.resolve("bin/depthstream-node").toString(), "--help");
    assertThat(replaced.exitCode()).as(replaced.output()).isZero();
    assertThat(replaced.output()).contains("-XX:+UseSerialGC", "-XX:MaxHeapSize=100663296")
        .doesNotContain("G1HeapRegionSize");
  }

  private static Run run(Path workingDir, Map<String, String> env, String... command) throws Exception {
    Path log = Files.createTempFile(workingDir, "node", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(workingDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // Hermetic: the JDK running the tests, no JVM options or node settings of the caller's shell.
    builder.environment().keySet().removeIf(k -> k.equals("JAVA_OPTS") || k.equals("JDK_JAVA_OPTIONS")
        || k.startsWith("DEPTHSTREAM_"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("bin/depthstream-node did not exit within 120 s: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
