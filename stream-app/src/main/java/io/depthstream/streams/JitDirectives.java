package io.depthstream.streams;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import io.depthstream.streams.config.NodeConfig;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the code of some Java packages out of the C2 compiler (issue 16, cold start): HotSpot then compiles their hot
 * methods with C1 alone (tier 1, fully optimised, without profiling) and never queues them for C2.
 *
 * <p>Why: on a 2-core robot the node's one C2 compiler thread spends most of its first 20-30 s on the Kafka clients'
 * and Kafka Streams' code, once real traffic makes it hot after the node is ready (a restarted node: 8.6 s of compile
 * time in the 10 s after it was ready, 6.4 s of it Kafka's), so it competes with the frames for the cores exactly when
 * a robot needs them. With that code out of C2 the compile time after ready falls to under a second per 10 s. What it
 * costs and gives (BENCHMARKS.md, "Issue 16, session 9"): 40 % less JIT and 15 % less CPU in the first 10 s, a lower
 * median latency there, no lower p99, and about 1.5 % more stream-thread CPU per frame for good (Kafka's code as C1
 * code). So it is a setting ({@code depthstream.jit.c1.packages}), off by default.
 *
 * <p>How: a compiler directive ({@code c2: { Exclude: true }} for {@code org/apache/kafka/*.*} and the like) added to
 * the running JVM through its DiagnosticCommand MBean ({@code Compiler.directives_add}, what {@code jcmd} does), so it
 * needs no JVM option and holds however the JVM was started (the node's launcher, the demo, a user's own JAVA_OPTS).
 * A directive applies to every compilation after it, in the whole JVM (an embedded broker's Java code too). Each
 * package is added once per JVM. Where the JVM has no such command (not HotSpot) or refuses it, the node logs why and
 * runs without it: this is a start-up measure, never a reason not to start.
 */
public final class JitDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(JitDirectives.class);

  private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

  /** The packages this JVM already has a directive for (the JVM's directive stack holds at most 50 entries). */
  private static final Set<String> ADDED = new HashSet<>();

  private JitDirectives() {}

  /**
   * Adds a C1-only directive for those of {@code packages} (Java package names, subpackages included) this JVM does not
   * have one for yet.
   *
   * @return whether the JVM holds a directive for every package afterwards (false: the reason was logged)
   */
  public static synchronized boolean compileWithC1Only(List<String> packages) {
    List<String> missing = new ArrayList<>();
    for (String name : packages) {
      if (!NodeConfig.JAVA_PACKAGE.matcher(name).matches()) {
        throw new IllegalArgumentException("not a Java package name: '" + name + "'");
      }
      if (!ADDED.contains(name) && !missing.contains(name)) {
        missing.add(name);
      }
    }
    if (missing.isEmpty()) {
      return true;
    }
    try {
      String answer = addDirective(directive(missing));
      // The command answers "N compiler directives added" on success and the parser's complaint otherwise.
      if (!answer.contains("added") || answer.startsWith("0 ")) {
        LOG.warn("the JVM refused the C1-only compiler directive for {}: {}", missing, answer.strip());
        return false;
      }
      ADDED.addAll(missing);
      LOG.info("JIT: {} compiled by C1 only (a compiler directive; issue 16, cold start)", missing);
      return true;
    } catch (IOException | JMException | RuntimeException e) {
      LOG.warn("no C1-only compiler directive for {} (this JVM has no Compiler.directives_add command: {}); the node "
          + "runs without it", missing, e.toString());
      return false;
    }
  }

  /** The directive, in HotSpot's compiler directive format: one match list, C2 excluded. */
  static String directive(List<String> packages) {
    String patterns = packages.stream().map(p -> "\"" + p.replace('.', '/') + "/*.*\"")
        .collect(Collectors.joining(", "));
    return "[ { match: [" + patterns + "], c2: { Exclude: true } } ]\n";
  }

  /** The JVM's current directive stack as {@code Compiler.directives_print} shows it. */
  static String printDirectives() throws JMException {
    return invoke("compilerDirectivesPrint");
  }

  private static String addDirective(String directive) throws IOException, JMException {
    // The command reads a file; the JVM has parsed it when the call returns.
    Path file = Files.createTempFile("depthstream-jit", ".json");
    try {
      Files.writeString(file, directive, StandardCharsets.UTF_8);
      return invoke("compilerDirectivesAdd", file.toString());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String invoke(String operation, String... arguments) throws JMException {
    Object answer = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTIC_COMMAND), operation,
        new Object[] {arguments}, new String[] {String[].class.getName()});
    return String.valueOf(answer);
  }
}
