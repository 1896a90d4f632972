package io.depthstream.streams.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 part A, the measurement behind the group-membership default: for each way of joining the group, a node
 * in its own JVM is stopped cleanly (SIGTERM) or killed (SIGKILL) and started again, and the time from the new
 * node's start-up line to its first dense output is measured while frames keep arriving. Heavy (minutes: the
 * dynamic-membership rows wait for the session timeout), so it runs only with {@code -Ddepthstream.reliability=full}
 * ({@code ./depthstream reliability}); it writes {@code target/reliability/restart-recovery.md}.
 */
@EnabledIfSystemProperty(named = "depthstream.reliability", matches = "full")
class RestartRecoveryIT {
  private static FaultCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = FaultCluster.start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  /** One way of joining the group, as Kafka settings on top of the scenario's. */
  record Membership(String label, Map<String, String> settings) {}

  @Test
  void restartedNodeServesAgainWithinFiveSecondsWithTheDefaultMembership(@TempDir Path dir) throws Exception {
    String dynamic = "depthstream.group.membership";
    String leave = "depthstream.group.leave.on.close";
    String session = "session.timeout.ms";
    List<Membership> options = List.of(
        new Membership("default: static membership (depthstream.instance.id), leave group on clean stop", Map.of()),
        new Membership("static membership, stay in group on clean stop", Map.of(leave, "false")),
        new Membership("classic, dynamic membership, stay in group, session.timeout.ms=45000 (before issue 11)",
            Map.of(dynamic, "dynamic", leave, "false", session, "45000")),
        new Membership("classic, dynamic membership, leave group on clean stop, session.timeout.ms=45000",
            Map.of(dynamic, "dynamic", session, "45000")),
        new Membership("classic, dynamic membership, stay in group, session.timeout.ms=10000 (node default)",
            Map.of(dynamic, "dynamic", leave, "false")),
        new Membership("classic, dynamic membership, stay in group, session.timeout.ms=6000 (broker minimum)",
            Map.of(dynamic, "dynamic", leave, "false", session, "6000")),
        new Membership("group.protocol=streams (KIP-1071), dynamic, leave group on clean stop",
            Map.of(dynamic, "dynamic", "group.protocol", "streams")));
    List<String> rows = new ArrayList<>();
    Map<String, Double> defaultSeconds = new LinkedHashMap<>();
    int n = 0;
    for (Membership option : options) {
      for (boolean crash : new boolean[] {false, true}) {
        String name = "restart" + n++;
        Recovery r = measure(name, option.settings(), crash, dir);
        String how = crash ? "SIGKILL" : "clean stop (SIGTERM)";
        rows.add(String.format("| %s | %s | %.1f | %.1f |", option.label(), how, r.fromStart(), r.fromStop()));
        if (option.settings().isEmpty()) {
          defaultSeconds.put(how, r.fromStart());
        }
      }
    }
    Path out = Path.of("target", "reliability");
    Files.createDirectories(out);
    List<String> table = new ArrayList<>(List.of(
        "| membership | restart after | node started -> first dense output (s) | stop/kill -> first dense output, "
            + "JVM start included (s) |",
        "|---|---|---|---|"));
    table.addAll(rows);
    Files.write(out.resolve("restart-recovery.md"), table);
    table.forEach(System.out::println);
    assertThat(defaultSeconds.values()).allSatisfy(s -> assertThat(s).isLessThan(5.0));
  }

  /**
   * Seconds from the restarted node's start-up line, and from the moment the old node was gone, to the first dense
   * output after that; -1 when none came within 120 s.
   */
  record Recovery(double fromStart, double fromStop) {}

  private static Recovery measure(String name, Map<String, String> extra, boolean crash, Path dir) throws Exception {
    FaultSetup setup = new FaultSetup(name, cluster.bootstrapServers(), "at_least_once");
    cluster.createTopics(setup.topics(), FaultSetup.RAW_PARTITIONS);
    Map<String, String> settings = setup.nodeSettings(extra);
    try (OutputTally tally = new OutputTally(cluster.bootstrapServers(), setup.dense(), setup.dlq());
        FrameLoad load =
            new FrameLoad(cluster.bootstrapServers(), setup.raw(), FaultSetup.sensorsOnePerPartition(), 20)) {
      NodeProcess first = NodeProcess.start(name + "-first", settings, dir);
      try {
        long started = first.awaitStarted(Duration.ofSeconds(60));
        tally.awaitArrivalAfter(started, Duration.ofSeconds(120));
      } finally {
        if (crash) {
          first.kill();
        } else {
          first.stop();
        }
      }
      long gone = System.nanoTime();
      try (NodeProcess second = NodeProcess.start(name + "-second", settings, dir)) {
        long started = second.awaitStarted(Duration.ofSeconds(60));
        long output = tally.awaitArrivalAfter(started, Duration.ofSeconds(120));
        return output < 0 ? new Recovery(-1, -1) : new Recovery((output - started) / 1e9, (output - gone) / 1e9);
      }
    }
  }

}
