package io.depthstream.streams.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.streams.DepthNode;
import io.depthstream.streams.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 part B: faults injected into a real three-broker KRaft cluster (replication 3, min.insync.replicas 2)
 * while sensors send frames at a fixed rate and a read_committed consumer counts the outputs by (sensor,
 * sequence). The node runs with the real-time budget off, so every frame sent must come out dense or
 * dead-lettered: under exactly_once_v2 none may be lost or repeated, under at_least_once none may be lost and the
 * repeats are counted.
 *
 * <p>The normal build runs one case per scenario under exactly_once_v2; {@code -Ddepthstream.reliability=full}
 * ({@code ./depthstream reliability}) runs both guarantees. Each case appends its row to
 * {@code target/reliability/fault-injection.md}.
 */
class FaultInjectionIT {
  private static final double FRAMES_PER_SECOND_PER_SENSOR = 20;

  private static final Path RESULTS = Path.of("target", "reliability", "fault-injection.md");

  private static FaultCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    Files.deleteIfExists(RESULTS);
    cluster = FaultCluster.start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  static Stream<Arguments> cases() {
    boolean full = "full".equals(System.getProperty("depthstream.reliability"));
    List<String> guarantees = full ? List.of("exactly_once_v2", "at_least_once") : List.of("exactly_once_v2");
    List<Arguments> cases = new ArrayList<>();
    for (String scenario : List.of("leader-bounce", "node-kill")) {
      for (String guarantee : guarantees) {
        cases.add(Arguments.of(scenario, guarantee));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, processing.guarantee={1}")
  @MethodSource("cases")
  void everyFrameComesOutDespiteTheFault(String scenario, String guarantee, @TempDir Path dir) throws Exception {
    FaultSetup setup = new FaultSetup(scenario.replace("-", "") + "-" + guarantee.replace("_", ""),
        cluster.bootstrapServers(), guarantee);
    cluster.createTopics(setup.topics(), FaultSetup.RAW_PARTITIONS);
    Outcome outcome;
    try (OutputTally tally = new OutputTally(cluster.bootstrapServers(), setup.dense(), setup.dlq())) {
      outcome = switch (scenario) {
        case "leader-bounce" -> leaderBounce(setup, tally);
        case "node-kill" -> nodeKill(setup, tally, dir);
        default -> throw new IllegalArgumentException(scenario);
      };
    }
    record(scenario, guarantee, outcome);
    assertThat(outcome.lost()).as("frames lost").isZero();
    if (guarantee.equals("exactly_once_v2")) {
      assertThat(outcome.duplicated()).as("frames duplicated under exactly_once_v2").isZero();
    }
    assertThat(outcome.longestGap()).as("longest silence of a sensor").isLessThan(outcome.gapLimit());
  }

  /** What one case measured; {@code gapLimit} is what the scenario must stay under. */
  record Outcome(long sent, long received, long lost, long duplicated, long deadLettered, Duration longestGap,
      Duration gapLimit, String notes) {}

  /**
   * Scenario 1: the leaders of the raw topic's and then the dense topic's partition 0 are shut down and started
   * again mid-stream (each bounce: leader down, a follower takes over, the old leader comes back and catches up).
   * The node runs in this JVM.
   */
  private static Outcome leaderBounce(FaultSetup setup, OutputTally tally) throws Exception {
    NodeConfig config = NodeConfig.from(setup.nodeSettings(Map.of(NodeConfig.INSTANCE_ID, setup.name())));
    List<String> sensors = FaultSetup.sensorsOnePerPartition();
    try (DepthNode node = DepthNode.start(config, DepthNode.methods(config));
        FrameLoad load = new FrameLoad(cluster.bootstrapServers(), setup.raw(), sensors,
            FRAMES_PER_SECOND_PER_SENSOR)) {
      long from = awaitFlowing(tally, System.nanoTime(), Duration.ofSeconds(60));
      Thread.sleep(2_000);
      int first = cluster.bounceLeader(setup.raw(), 0, Duration.ofSeconds(2));
      Thread.sleep(2_000);
      int second = cluster.bounceLeader(setup.dense(), 0, Duration.ofSeconds(2));
      Thread.sleep(2_000);
      load.stopAndFlush();
      long to = System.nanoTime();
      tally.awaitAll(load.sentPerSensor(), load.unacknowledged(), Duration.ofSeconds(60));
      return outcome(load, tally, tally.longestGap(from, to), Duration.ofSeconds(15),
          "bounced broker " + first + " (raw leader), then broker " + second + " (dense leader)");
    }
  }

  /**
   * Scenario 2: two nodes, each in its own JVM, share the raw partitions; node a is killed with SIGKILL, node b
   * takes its partition over once the coordinator expires a's session, then a starts again and takes its
   * partition back.
   */
  private static Outcome nodeKill(FaultSetup setup, OutputTally tally, Path dir) throws Exception {
    List<String> sensors = FaultSetup.sensorsOnePerPartition();
    Map<String, String> a = setup.nodeSettings(Map.of(NodeConfig.INSTANCE_ID, "node-a"));
    Map<String, String> b = setup.nodeSettings(Map.of(NodeConfig.INSTANCE_ID, "node-b"));
    try (NodeProcess nodeA = NodeProcess.start(setup.name() + "-a", a, dir);
        NodeProcess nodeB = NodeProcess.start(setup.name() + "-b", b, dir);
        FrameLoad load = new FrameLoad(cluster.bootstrapServers(), setup.raw(), sensors,
            FRAMES_PER_SECOND_PER_SENSOR)) {
      nodeA.awaitRunning(Duration.ofSeconds(90));
      nodeB.awaitRunning(Duration.ofSeconds(90));
      long from = awaitFlowing(tally, System.nanoTime(), Duration.ofSeconds(60));
      Thread.sleep(3_000);
      nodeA.kill();
      long killed = System.nanoTime();
      // b takes a's partition over after a's session times out (and, under exactly_once_v2, after a's open
      // transaction is aborted); wait until every sensor is served again.
      awaitEverySensorAfter(tally, sensors, killed, Duration.ofSeconds(90));
      Duration takeover = tally.longestGap(from, System.nanoTime());
      Thread.sleep(2_000);
      try (NodeProcess again = NodeProcess.start(setup.name() + "-a2", a, dir)) {
        long restarted = again.awaitStarted(Duration.ofSeconds(60));
        again.awaitRunning(Duration.ofSeconds(90));
        double runningAfter = (System.nanoTime() - restarted) / 1e9;
        Thread.sleep(3_000);
        load.stopAndFlush();
        long to = System.nanoTime();
        tally.awaitAll(load.sentPerSensor(), load.unacknowledged(), Duration.ofSeconds(60));
        return outcome(load, tally, tally.longestGap(from, to), Duration.ofSeconds(40),
            String.format("takeover by b after SIGKILL of a: %.1f s; a back: RUNNING %.1f s after start",
                takeover.toMillis() / 1e3, runningAfter));
      }
    }
  }

  private static Outcome outcome(FrameLoad load, OutputTally tally, Duration gap, Duration limit, String notes) {
    Map<String, Long> sent = load.sentPerSensor();
    var unacknowledged = load.unacknowledged();
    long acknowledged = sent.values().stream().mapToLong(Long::longValue).sum() - unacknowledged.size();
    if (!unacknowledged.isEmpty()) {
      // The sensor's loss, not the node's: reported, not expected at the output.
      notes += "; " + unacknowledged.size() + " frame(s) never acknowledged by the cluster (" + load.firstFailure()
          + "), left out of sent";
    }
    return new Outcome(acknowledged, tally.received(), tally.lost(sent, unacknowledged), tally.duplicated(),
        tally.deadLettered(), gap, limit, notes);
  }

  /** Waits for the first dense output after {@code nanos}; returns its arrival time. */
  private static long awaitFlowing(OutputTally tally, long nanos, Duration timeout) throws InterruptedException {
    long t = tally.awaitArrivalAfter(nanos, timeout);
    if (t < 0) {
      throw new IllegalStateException("no dense output within " + timeout);
    }
    return t;
  }

  private static void awaitEverySensorAfter(OutputTally tally, List<String> sensors, long nanos, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (sensors.stream().allMatch(s -> tally.lastArrival(s) > nanos + 500_000_000L)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("not every sensor served again within " + timeout + " of the fault");
  }

  private static void record(String scenario, String guarantee, Outcome o) throws IOException {
    Files.createDirectories(RESULTS.getParent());
    Path table = RESULTS;
    if (!Files.exists(table)) {
      Files.write(table, List.of(
          "| scenario | guarantee | sent | received | lost | duplicated | dead-lettered | longest output gap "
              + "of a sensor (s) | notes |",
          "|---|---|---|---|---|---|---|---|---|"));
    }
    String row = String.format("| %s | %s | %d | %d | %d | %d | %d | %.1f | %s |", scenario, guarantee, o.sent(),
        o.received(), o.lost(), o.duplicated(), o.deadLettered(), o.longestGap().toMillis() / 1e3, o.notes());
    Files.write(table, List.of(row), StandardOpenOption.APPEND);
    System.out.println(row);
  }
}
