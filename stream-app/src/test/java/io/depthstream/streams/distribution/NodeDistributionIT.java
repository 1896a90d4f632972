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
import java.util.stream.Stream;
import io.depthstream.localkafka.LocalKafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the node distribution as a user would ({@code tar xzf}) and starts {@code bin/depthstream-node} as a
 * process from another working directory: the script finds its lib/, its default configuration and that
 * configuration's models, and honours JAVA_OPTS; its class-sharing archive (NODE_CDS) never stops a start.
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

  @Test
  void classSharingKeepsOnlyTheArchiveOfARunThatServedAndTheNextStartMapsIt(@TempDir Path elsewhere)
      throws Exception {
    Path cds = elsewhere.resolve("cds");
    Map<String, String> env = Map.of("NODE_CDS_DIR", cds.toString());
    String script = home.resolve("bin/depthstream-node").toString();

    // A start that fails records an archive at exit, but never served: the next start discards it.
    Run failed = run(elsewhere, env, script, "--set", "depthstream.no.such.key=1");
    assertThat(failed.exitCode()).as(failed.output()).isEqualTo(2);
    assertThat(failed.output().strip().lines()).as("the dump adds no output").hasSize(1);
    assertThat(files(cds)).singleElement().asString().endsWith(".jsa.recording");
    Run help = run(elsewhere, env, script, "--help");
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(files(cds)).as("discarded, and --help records nothing").isEmpty();

    // A node that reaches RUNNING marks its recording; stopped with SIGTERM, the JVM writes it.
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      Path log = Files.createTempFile(elsewhere, "serving", ".log");
      Process node = start(elsewhere, env, log, script, "--set", "bootstrap.servers=" + broker.bootstrapServers(),
          "--set", "application.id=cds-it", "--set", "depthstream.metrics.port=0");
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (files(cds).stream().noneMatch(f -> f.endsWith(".served")) && System.nanoTime() < deadline) {
          assertThat(node.isAlive()).as(Files.readString(log)).isTrue();
          Thread.sleep(200);
        }
        assertThat(Files.readString(log)).contains("node RUNNING");
      } finally {
        node.destroy(); // SIGTERM
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
      }
    }
    assertThat(files(cds)).anyMatch(f -> f.endsWith(".jsa.recording")).anyMatch(f -> f.endsWith(".served"));

    // The next start promotes it and the JVM maps the node's classes from it.
    Run shared = run(elsewhere, Map.of("NODE_CDS_DIR", cds.toString(), "JDK_JAVA_OPTIONS",
        "-Xlog:class+load=info"), script, "--help");
    assertThat(shared.exitCode()).as(shared.output()).isZero();
    assertThat(files(cds)).singleElement().asString().endsWith(".jsa");
    assertThat(shared.output()).contains("io.depthstream.streams.StreamApp source: shared objects file (top)");

    // A damaged (or stale) archive is ignored by the JVM: the node still starts.
    Files.writeString(cds.resolve(files(cds).get(0)), "not an archive");
    Run damaged = run(elsewhere, env, script, "--help");
    assertThat(damaged.exitCode()).as(damaged.output()).isZero();
    assertThat(damaged.output()).contains("--config", "--set");
  }

  @Test
  void classSharingOffRecordsNothingAndAnUnknownValueNamesTheVariable(@TempDir Path elsewhere) throws Exception {
    Path cds = elsewhere.resolve("cds");
    String script = home.resolve("bin/depthstream-node").toString();
    Run off = run(elsewhere, Map.of("NODE_CDS", "off", "NODE_CDS_DIR", cds.toString()), script,
        "--set", "depthstream.no.such.key=1");
    assertThat(off.exitCode()).as(off.output()).isEqualTo(2);
    assertThat(cds).doesNotExist();

    Run unknown = run(elsewhere, Map.of("NODE_CDS", "sometimes"), script, "--help");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("NODE_CDS", "sometimes");
  }

  @Test
  void anArchiveDirectoryThatCannotBeMadeDoesNotStopTheStart(@TempDir Path elsewhere) throws Exception {
    Run run = run(elsewhere, Map.of("NODE_CDS_DIR", "/dev/null/cds"), home.resolve("bin/depthstream-node")
        .toString(), "--set", "depthstream.no.such.key=1");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("depthstream.no.such.key");
    assertThat(run.output().strip().lines()).hasSize(1);
  }

  /** The names of the files in {@code dir}, sorted; none when it does not exist. */
  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Run run(Path workingDir, Map<String, String> env, String... command) throws Exception {
    Path log = Files.createTempFile(workingDir, "node", ".log");
    Process process = start(workingDir, env, log, command);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("bin/depthstream-node did not exit within 120 s: " + Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Starts {@code command} with stdout and stderr into {@code log}. */
  private static Process start(Path workingDir, Map<String, String> env, Path log, String... command)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(workingDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // Hermetic: the JDK running the tests, no JVM options or node settings of the caller's shell.
    builder.environment().keySet().removeIf(k -> k.equals("JAVA_OPTS") || k.equals("JDK_JAVA_OPTIONS")
        || k.startsWith("DEPTHSTREAM_") || k.startsWith("NODE_CDS"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
