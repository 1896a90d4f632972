package io.depthstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.depthstream.deploy.Dockerfile.Instruction;
import io.depthstream.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a Docker engine would only find out while building or running the images of docker/ (there is none here):
 * non-root users, health checks that reach the health endpoint with a probe the image carries, JVM options taken
 * from JAVA_OPTS, COPY sources that exist and are in the build context, build outputs that the modules really
 * build, pinned base images, the build's Kafka version, and a .dockerignore that keeps build output out and
 * sources in. The probe and the Connect entrypoint also run here, against a real HTTP server and a stub Kafka.
 */
class DockerfilesTest {
  private static final Path ROOT = Path.of(System.getProperty("depthstream.root", "../.."));
  private static final Pattern JAVA_OPTS_USE = Pattern.compile("\\$\\{?JAVA_OPTS\\b");

  private static Dockerfile dockerfile(String name) {
    return Dockerfile.read(ROOT.resolve("docker").resolve(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.Dockerfile", "node-gpu.Dockerfile", "connect.Dockerfile"})
  void theImageRunsAsANonRootUser(String name) {
    Stage image = dockerfile(name).finalStage();
    Instruction user = image.last("USER").orElseThrow(() -> new AssertionError(name + ": no USER in the image"));
    String who = user.arguments().trim().split(":")[0];
    assertThat(who).as("%s line %d", name, user.line()).isNotIn("root", "0", "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.Dockerfile", "node-gpu.Dockerfile", "connect.Dockerfile"})
  void theHealthCheckProbesTheHealthEndpointWithAProbeTheImageCarries(String name) {
    Stage image = dockerfile(name).finalStage();
    Instruction check = image.last("HEALTHCHECK")
        .orElseThrow(() -> new AssertionError(name + ": no HEALTHCHECK in the image"));
    List<String> words = check.words();
    assertThat(words.get(0)).as("%s: HEALTHCHECK CMD ...", name).isEqualTo("CMD");
    boolean node = name.startsWith("node");
    // The node serves liveness on its metrics port; Connect answers GET / on its REST port.
    assertThat(String.join(" ", words)).as(name)
        .contains(node ? "9464" : "8083").contains(node ? "/health" : " /");
    String probe = absolute(image, words.get(1));
    assertThat(copiedFrom(image, probe)).as("%s: what puts %s into the image", name, probe)
        .isEqualTo("docker/http-probe.sh");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.Dockerfile", "node-gpu.Dockerfile", "connect.Dockerfile"})
  void theEntrypointHonoursJavaOpts(String name) throws IOException {
    Stage image = dockerfile(name).finalStage();
    Instruction entrypoint = image.last("ENTRYPOINT")
        .orElseThrow(() -> new AssertionError(name + ": no ENTRYPOINT"));
    assertThat(entrypoint.arguments().trim()).as("%s: exec form, so signals reach the JVM", name).startsWith("[");
    String program = absolute(image, entrypoint.words().get(0));
    Path source = sourceOf(image, program);
    assertThat(Files.readString(source)).as("%s: %s (%s) uses JAVA_OPTS", name, program, source)
        .containsPattern(JAVA_OPTS_USE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.Dockerfile", "node-gpu.Dockerfile", "connect.Dockerfile"})
  void everyCopyFromTheContextNamesFilesThatExistAndAreNotIgnored(String name) throws IOException {
    DockerIgnore ignore = new DockerIgnore(ROOT.resolve(".dockerignore"));
    int checked = 0;
    for (Stage stage : dockerfile(name).stages()) {
      for (Instruction copy : stage.all("COPY")) {
        if (copy.flags().containsKey("from")) {
          continue;
        }
        List<String> words = copy.words();
        for (String source : words.subList(0, words.size() - 1)) {
          if (source.equals(".")) {
            continue;
          }
          List<String> matches = repositoryFiles(source);
          assertThat(matches).as("%s line %d: COPY %s", name, copy.line(), source).isNotEmpty();
          assertThat(matches).as("%s line %d: COPY %s is left out by .dockerignore", name, copy.line(), source)
              .noneMatch(ignore::excludes);
          checked++;
        }
      }
    }
    assertThat(checked).as("%s copies docker/'s scripts from the context", name).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.Dockerfile", "node-gpu.Dockerfile", "connect.Dockerfile"})
  void copiesFromOtherStagesNameAnEarlierStageOrAPinnedImage(String name) {
    Dockerfile file = dockerfile(name);
    List<String> earlier = new ArrayList<>();
    for (Stage stage : file.stages()) {
      for (Instruction copy : stage.all("COPY")) {
        String from = copy.flags().get("from");
        if (from != null) {
          assertThat(earlier.contains(from) || pinned(from)).as("%s line %d: --from=%s", name, copy.line(), from)
              .isTrue();
        }
      }
      if (stage.name() != null) {
        earlier.add(stage.name());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.Dockerfile", "node-gpu.Dockerfile", "connect.Dockerfile"})
  void baseImagesArePinnedToAVersion(String name) {
    Dockerfile file = dockerfile(name);
    for (Stage stage : file.stages()) {
      boolean earlierStage = file.stages().stream().anyMatch(s -> stage.image().equals(s.name()));
      assertThat(earlierStage || pinned(stage.image())).as("%s: FROM %s", name, stage.image()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"node.Dockerfile", "node-gpu.Dockerfile", "connect.Dockerfile"})
  void theMavenBuildNamesRealModulesProfilesAndTheArchivesTheyBuild(String name) throws Exception {
    Element parent = pom(ROOT.resolve("pom.xml"));
    List<String> modules = texts(parent, "module");
    // Profiles of the parent and of every module (drive-tools' sample-drive).
    List<String> profiles = new ArrayList<>(profileIds(parent));
    for (String module : modules) {
      profiles.addAll(profileIds(pom(ROOT.resolve(module).resolve("pom.xml"))));
    }
    String version = text(parent, "version");
    String build = dockerfile(name).stage("build").orElseThrow().all("RUN").stream().map(Instruction::arguments)
        .reduce("", (a, b) -> a + " " + b);
    Matcher pl = Pattern.compile("-pl (\\S+)").matcher(build);
    assertThat(pl.find()).as("%s: mvn -pl <module>", name).isTrue();
    assertThat(modules).as("%s: -pl", name).containsAll(List.of(pl.group(1).split(",")));
    Matcher profile = Pattern.compile("-P(\\S+)").matcher(build);
    while (profile.find()) {
      assertThat(profiles).as("%s: -P", name).contains(profile.group(1));
    }
    Matcher output = Pattern.compile("(?:/src/)?([\\w./-]+)/target/([^\\s;&|]+)").matcher(build);
    int outputs = 0;
    while (output.find()) {
      String module = output.group(1);
      assertThat(modules).as("%s: %s/target", name, module).contains(module);
      List<String> archives = archivesOf(ROOT.resolve(module).resolve("pom.xml"), version);
      PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + output.group(2));
      assertThat(archives).as("%s: %s/target/%s is what %s's pom builds", name, module, output.group(2), module)
          .anyMatch(a -> glob.matches(Path.of(a)));
      outputs++;
    }
    assertThat(outputs).as("%s unpacks a distribution that mvn package builds", name).isPositive();
  }

  @Test
  void theConnectImageCarriesTheSampleDriveItsBuildWritesOwnedByItsUser() throws Exception {
    Dockerfile connect = dockerfile("connect.Dockerfile");
    Stage build = connect.stage("build").orElseThrow();
    String run = build.all("RUN").stream().map(Instruction::arguments).reduce("", (a, b) -> a + " " + b);
    assertThat(run).as("the build writes the drive (drive-tools' profile)").contains("-Psample-drive")
        .containsPattern("-pl \\S*tools/drive-tools");
    // Where the profile writes it, in the build stage's file system.
    String written = text(pom(ROOT.resolve("tools/drive-tools/pom.xml")), "properties", "sample-drive.dir")
        .replace("${project.build.directory}", "target");
    String source = build.workdir().replaceAll("/$", "") + "/tools/drive-tools/" + written + "/";
    Stage image = connect.finalStage();
    Instruction copy = image.all("COPY").stream().filter(c -> "build".equals(c.flags().get("from"))
        && c.words().get(c.words().size() - 1).equals("/opt/depthstream/sample-drive/")).findFirst()
        .orElseThrow(() -> new AssertionError("no COPY --from=build into /opt/depthstream/sample-drive/"));
    assertThat(copy.words().get(0)).isEqualTo(source);
    String user = image.last("USER").orElseThrow().arguments().trim();
    assertThat(copy.flags().get("chown")).isEqualTo(user + ":" + user);
  }

  @Test
  void theConnectImageRunsTheKafkaVersionOfTheBuild() throws Exception {
    Dockerfile connect = dockerfile("connect.Dockerfile");
    String kafka = text(pom(ROOT.resolve("pom.xml")), "properties", "kafka.version");
    assertThat(connect.globalArgs()).containsEntry("KAFKA_VERSION", kafka);
    assertThat(connect.finalStage().image()).isEqualTo("apache/kafka:" + kafka);
  }

  @Test
  void theDockerIgnoreLeavesBuildOutputOutAndSourcesIn() throws Exception {
    Path file = ROOT.resolve(".dockerignore");
    assertThat(file).as("the build context's .dockerignore").isRegularFile();
    DockerIgnore ignore = new DockerIgnore(file);
    assertThat(List.of("target", "stream-app/target/stream-app.jar", "tools/demo/target/lib/x.jar", ".git/HEAD",
        "out/summary.json", "trainer/__pycache__/x.pyc")).allMatch(ignore::excludes);
    List<String> needed = new ArrayList<>(List.of("pom.xml", "config/depthstream.properties",
        "config/connect/lidar-source.properties", "models/fast_interp_x4.onnx", "docker/http-probe.sh",
        "docker/connect-entrypoint.sh", "stream-app/src/dist/bin/depthstream-node",
        "stream-app/src/assembly/node.xml", "connectors/src/assembly/manifest.json"));
    for (String module : texts(pom(ROOT.resolve("pom.xml")), "module")) {
      needed.add(module + "/pom.xml");
      needed.add(firstFile(ROOT.resolve(module).resolve("src/main")));
    }
    assertThat(needed).as("what the Maven build in the images needs").noneMatch(ignore::excludes);
  }

  @Test
  void theProbeSucceedsOnly2xx() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
        "bash is absent: the images' health probe is a bash script");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health", exchange -> respond(exchange, 200));
    server.createContext("/ready", exchange -> respond(exchange, 503));
    server.start();
    try {
      int port = server.getAddress().getPort();
      assertThat(bash(Map.of(), "docker/http-probe.sh", Integer.toString(port), "/health").exitCode()).isZero();
      assertThat(bash(Map.of(), "docker/http-probe.sh", Integer.toString(port), "/ready").exitCode()).isEqualTo(1);
    } finally {
      server.stop(0);
    }
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThat(bash(Map.of(), "docker/http-probe.sh", Integer.toString(closed), "/health").exitCode()).isEqualTo(1);
  }

  @Test
  void theConnectEntrypointTurnsTheEnvironmentIntoWorkerSettings(@TempDir Path kafkaHome) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
        "bash is absent: the Connect image's entrypoint is a bash script");
    // A stub connect-distributed.sh that prints the worker configuration it was given and the JVM options.
    Path script = Files.createDirectories(kafkaHome.resolve("bin")).resolve("connect-distributed.sh");
    Files.writeString(script, "#!/bin/sh\ncat \"$1\"\necho \"KAFKA_OPTS=$KAFKA_OPTS\"\n");
    script.toFile().setExecutable(true);
    Run run = bash(Map.of("KAFKA_HOME", kafkaHome.toString(), "CONNECT_BOOTSTRAP_SERVERS", "kafka:9092",
        "CONNECT_GROUP_ID", "robot-7", "CONNECT_PRODUCER_SASL_JAAS_CONFIG", "x required;",
        "CONNECT_CONFIG_STORAGE__TOPIC__SUFFIX", "kept", "JAVA_OPTS", "-Xmx512m"), "docker/connect-entrypoint.sh");
    assertThat(run.exitCode()).as(run.output()).isZero();
    String pluginPath = dockerfile("connect.Dockerfile").finalStage().all("COPY").stream()
        .filter(c -> "build".equals(c.flags().get("from"))).map(c -> c.words().get(1).replaceAll("/$", ""))
        .findFirst().orElseThrow();
    assertThat(run.output().lines()).contains("bootstrap.servers=kafka:9092", "group.id=robot-7",
        "producer.sasl.jaas.config=x required;", "config.storage_topic_suffix=kept",
        "plugin.path=" + pluginPath, "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
    assertThat(run.output()).contains("KAFKA_OPTS= -Xmx512m");

    Run unset = bash(Map.of("KAFKA_HOME", kafkaHome.toString()), "docker/connect-entrypoint.sh");
    assertThat(unset.exitCode()).isEqualTo(2);
    assertThat(unset.output()).contains("CONNECT_BOOTSTRAP_SERVERS");

    // A command (compose.yaml's: connect-distributed.sh with a mounted worker file) runs as it is, with JAVA_OPTS.
    Path mounted = Files.writeString(kafkaHome.resolve("worker.properties"), "bootstrap.servers=mounted:9092\n");
    Run command = bash(Map.of("JAVA_OPTS", "-Xmx256m"), "docker/connect-entrypoint.sh", script.toString(),
        mounted.toString());
    assertThat(command.exitCode()).as(command.output()).isZero();
    assertThat(command.output().lines()).containsExactly("bootstrap.servers=mounted:9092", "KAFKA_OPTS= -Xmx256m");
  }

  private record Run(int exitCode, String output) {}

  private static Run bash(Map<String, String> env, String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("CONNECT_") || k.equals("JAVA_OPTS")
        || k.equals("KAFKA_OPTS"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", script).isTrue();
    return new Run(process.exitValue(), output);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /** {@code path} inside the image: absolute as it is, relative against the stage's WORKDIR. */
  private static String absolute(Stage image, String path) {
    return path.startsWith("/") ? path : image.workdir().replaceAll("/$", "") + "/" + path;
  }

  /** The context file a COPY without --from puts at {@code target}, or null. */
  private static String copiedFrom(Stage image, String target) {
    for (Instruction copy : image.all("COPY")) {
      List<String> words = copy.words();
      if (!copy.flags().containsKey("from") && words.size() == 2 && words.get(1).equals(target)) {
        return words.get(0);
      }
    }
    return null;
  }

  /**
   * The repository file behind {@code target} in the image: copied from the context, or unpacked from a
   * distribution a build stage made (then the file of that path below a module's src/dist).
   */
  private static Path sourceOf(Stage image, String target) throws IOException {
    String copied = copiedFrom(image, target);
    if (copied != null) {
      return ROOT.resolve(copied);
    }
    for (Instruction copy : image.all("COPY")) {
      List<String> words = copy.words();
      String into = words.get(words.size() - 1);
      if (copy.flags().containsKey("from") && into.endsWith("/") && target.startsWith(into)) {
        String inside = target.substring(into.length());
        List<String> found = repositoryFiles("*/src/dist/" + inside);
        assertThat(found).as("the distribution file behind %s", target).hasSize(1);
        return ROOT.resolve(found.get(0));
      }
    }
    throw new AssertionError("nothing in the image's COPY instructions provides " + target);
  }

  /** Repository files (build output left out) matching a glob relative to the root. */
  private static List<String> repositoryFiles(String glob) throws IOException {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.replaceAll("/$", "") + "{,/**}");
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(Files::isRegularFile).map(p -> ROOT.relativize(p))
          .filter(p -> !p.toString().contains("target/") && !p.startsWith(".git"))
          .filter(matcher::matches).map(Path::toString).toList();
    }
  }

  private static String firstFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return ROOT.relativize(files.filter(Files::isRegularFile).findFirst().orElseThrow()).toString();
    }
  }

  /** An image reference with an explicit version tag (not latest) or digest. */
  private static boolean pinned(String image) {
    if (image.contains("@sha256:")) {
      return true;
    }
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') && !image.endsWith(":latest") && !image.contains("$");
  }

  /** The file names that a module's pom properties ending in ".archive" give, for the build's version. */
  private static List<String> archivesOf(Path pomFile, String version) throws Exception {
    Element properties = element(pom(pomFile), "properties");
    Map<String, String> values = new HashMap<>(Map.of("project.version", version,
        "project.build.directory", "target"));
    NodeList children = properties.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e) {
        values.put(e.getTagName(), e.getTextContent().trim());
      }
    }
    List<String> archives = new ArrayList<>();
    values.forEach((key, value) -> {
      if (key.endsWith(".archive")) {
        archives.add(Path.of(resolve(value, values)).getFileName().toString());
      }
    });
    return archives;
  }

  private static String resolve(String value, Map<String, String> values) {
    String resolved = value;
    for (int round = 0; round < 10 && resolved.contains("${"); round++) {
      Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(resolved);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
      }
      m.appendTail(out);
      resolved = out.toString();
    }
    return resolved;
  }

  private static Element pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  /** The direct child element reached by {@code path}, one tag name per level. */
  private static Element element(Element element, String... path) {
    Element current = element;
    for (String tag : path) {
      Element next = null;
      for (Node n = current.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(tag)) {
          next = e;
          break;
        }
      }
      if (next == null) {
        throw new AssertionError("no <" + tag + "> in <" + current.getTagName() + ">");
      }
      current = next;
    }
    return current;
  }

  private static List<String> profileIds(Element pom) {
    List<String> ids = new ArrayList<>();
    NodeList profileNodes = pom.getElementsByTagName("profile");
    for (int i = 0; i < profileNodes.getLength(); i++) {
      ids.add(text((Element) profileNodes.item(i), "id"));
    }
    return ids;
  }

  private static String text(Element element, String... path) {
    return element(element, path).getTextContent().trim();
  }

  private static List<String> texts(Element element, String tag) {
    NodeList nodes = element.getElementsByTagName(tag);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().trim());
    }
    return texts;
  }
}
