package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.demo.ThreadCpu.Rule;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  private static final List<Rule> BUSY_RULES = List.of(Rule.java("busy", "^busy-worker-"));

  /**
   * Runs each work on a thread of its name, all started after a first snapshot; once every one has finished its
   * work, and while each still waits (alive, so its clocks are still readable), takes the second snapshot; returns
   * what the rules make of the two.
   */
  private static ThreadCpu.Breakdown measure(Map<String, Runnable> works) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(works.size());
    CountDownLatch release = new CountDownLatch(1);
    ThreadCpu.Snapshot start = ThreadCpu.take();
    List<Thread> threads = new ArrayList<>();
    works.forEach((name, work) -> {
      Thread t = new Thread(() -> {
        work.run();
        done.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, name);
      t.start();
      threads.add(t);
    });
    done.await();
    ThreadCpu.Snapshot end = ThreadCpu.take();
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
    return ThreadCpu.between(start, end, BUSY_RULES);
  }

  /** Spins until the calling thread's CPU clock has advanced {@code cpuNanos}. */
  private static Runnable spin(long cpuNanos) {
    return () -> {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long start = threads.getCurrentThreadCpuTime();
      double sink = 0;
      while (threads.getCurrentThreadCpuTime() - start < cpuNanos) {
        for (int i = 0; i < 10_000; i++) {
          sink += Math.sqrt(i + sink);
        }
      }
      if (sink < 0) {
        System.out.println(sink); // keeps the loop from being optimised away
      }
    };
  }

  /** Allocates {@code arrays} arrays of 1,000,000 bytes, each written to, so none is optimised away. */
  private static Runnable allocate(int arrays) {
    return () -> {
      long sum = 0;
      for (int i = 0; i < arrays; i++) {
        byte[] a = new byte[1_000_000];
        a[i % a.length] = (byte) i;
        sum += a[i % a.length];
      }
      if (sum == Long.MIN_VALUE) {
        System.out.println(sum);
      }
    };
  }

  @Test
  void attributesAKnownAmountOfWorkToTheThreadsGroup() throws InterruptedException {
    Map<String, Runnable> works = new LinkedHashMap<>();
    works.put("busy-worker-1", spin(300_000_000L));
    works.put("busy-worker-2", spin(200_000_000L));
    ThreadCpu.Breakdown cpu = measure(works);
    // each thread overshoots its target by at most one inner loop (microseconds) plus the clock's granularity
    assertThat(cpu.seconds("busy")).isCloseTo(0.5, within(0.05));
    assertThat(cpu.processCpuSeconds()).isGreaterThanOrEqualTo(cpu.seconds("busy"));
    assertThat(cpu.secondsByGroup().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(cpu.processCpuSeconds(), within(1e-6));
    assertThat(cpu.busiest()).extracting(ThreadCpu.ThreadTime::name).startsWith("busy-worker-1", "busy-worker-2");
    assertThat(cpu.unmatched()).extracting(ThreadCpu.ThreadTime::name).doesNotContain("busy-worker-1");
  }

  @Test
  void attributesAKnownAmountOfHeapAllocationToTheThreadsGroup() throws InterruptedException {
    // 64 + 96 arrays of 1 MB: the group's count holds those 160 MB and, in two quiet threads, little more.
    Map<String, Runnable> works = new LinkedHashMap<>();
    works.put("busy-worker-a", allocate(64));
    works.put("busy-worker-b", allocate(96));
    ThreadCpu.Breakdown cpu = measure(works);
    assertThat(cpu.allocatedBytes("busy")).isBetween(160_000_000L, 162_000_000L);
    assertThat(cpu.allocatedBytesByGroup()).containsKeys("busy", ThreadCpu.OTHER);
    assertThat(cpu.allocatedBytes(ThreadCpu.OTHER)).as("the test thread, not the workers")
        .isLessThan(cpu.allocatedBytes("busy"));
  }

  @Test
  void readsTheJvmsOwnThreadsFromProc() {
    // Linux only: the JIT compiler threads are not Java threads, but /proc lists them
    assertThat(ThreadCpu.nativeThreads(java.nio.file.Path.of("/proc/self/task")).values())
        .extracting(ThreadCpu.ThreadTime::name).anyMatch(n -> n.startsWith("C2 CompilerThre"));
  }

  @Test
  void statCpuIsUserPlusSystemTicksAfterTheCommandName() {
    // field 14 utime = 250 ticks, 15 stime = 50 ticks: 3 s at USER_HZ 100; the name holds a space and a ')'
    String stat = "4242 (C2 Compiler) x) S 1 4242 4242 0 -1 4194624 10 0 0 0 250 50 0 0 20 0 1 0 100 0 0";
    assertThat(ThreadCpu.statCpuNanos(stat)).isEqualTo(3_000_000_000L);
  }

  @Test
  void groupsTheThreadsOfADemoJvmByName() {
    List<Rule> rules = NodeThreads.rules("depthstream");
    String stream = "depthstream-3d3dd189-7421-4493-aafc-073eba1214d0-StreamThread-3";
    assertThat(ThreadCpu.groupOf(stream, rules, false)).isEqualTo(NodeThreads.STREAM);
    assertThat(ThreadCpu.groupOf("kafka-producer-network-thread | " + stream + "-producer", rules, false))
        .isEqualTo(NodeThreads.NODE_IO);
    assertThat(ThreadCpu.groupOf("kafka-coordinator-heartbeat-thread | depthstream", rules, false))
        .isEqualTo(NodeThreads.NODE_IO);
    assertThat(ThreadCpu.groupOf("depthstream-3d3dd189-7421-4493-aafc-073eba1214d0-CleanupThread", rules, false))
        .isEqualTo(NodeThreads.NODE_OTHER);
    assertThat(ThreadCpu.groupOf("kafka-coordinator-heartbeat-thread | depthstream-demo-monitor", rules, false))
        .isEqualTo(NodeThreads.MONITOR);
    assertThat(ThreadCpu.groupOf("kafka-producer-network-thread | demo-publisher", rules, false))
        .isEqualTo(NodeThreads.PUBLISHER);
    assertThat(ThreadCpu.groupOf("loop-publisher", rules, false)).isEqualTo(NodeThreads.PUBLISHER);
    assertThat(ThreadCpu.groupOf("data-plane-kafka-request-handler-5", rules, false)).isEqualTo(NodeThreads.BROKER);
    assertThat(ThreadCpu.groupOf("kafka-1-raft-io-thread", rules, false)).isEqualTo(NodeThreads.BROKER);
    assertThat(ThreadCpu.groupOf("metrics-meter-tick-thread-2", rules, false)).isEqualTo(NodeThreads.BROKER);
    assertThat(ThreadCpu.groupOf("GC Thread#0", rules, true)).isEqualTo(NodeThreads.GC);
    assertThat(ThreadCpu.groupOf("G1 Conc#0", rules, true)).isEqualTo(NodeThreads.GC);
    assertThat(ThreadCpu.groupOf("C2 CompilerThre", rules, true)).isEqualTo(NodeThreads.JIT);
    // a Java thread is never put in a JVM-internal group, nor the other way round
    assertThat(ThreadCpu.groupOf("GC Thread#0", rules, false)).isEqualTo(ThreadCpu.OTHER);
    assertThat(ThreadCpu.groupOf("depthstr-Stream", rules, true)).isEqualTo(ThreadCpu.OTHER);
    assertThat(ThreadCpu.groupOf("main", rules, false)).isEqualTo(ThreadCpu.OTHER);
  }
}
