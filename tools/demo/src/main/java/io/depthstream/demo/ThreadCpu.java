package io.depthstream.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads between two moments, grouped by who they work for. The node runs in the demo's JVM
 * together with the embedded broker, the publisher and the output monitor, so the process's CPU time alone cannot
 * tell the node's streaming cost from the broker's: per-thread times can.
 *
 * <p>Java threads are read from the JVM's thread CPU clocks (user + system time, nanoseconds) under their full
 * names. The JVM's own threads that Java cannot see (garbage collector, JIT compilers) are read from
 * {@code /proc/self/task/TID/stat} (utime + stime in clock ticks of 1/100 s, Linux's fixed USER_HZ) under their
 * {@code comm} names, which Linux cuts to 15 characters. Whatever the process spent besides (the VM thread, native
 * threads such as ONNX Runtime's intra-op pool, threads that ended inside the window) is {@link #OTHER}.
 *
 * <p>Java threads also report the bytes they allocated on the heap (HotSpot's per-thread allocation counters, the
 * ones JFR's allocation events sample): per group, what a run's frames cost the garbage collector. The JVM's own
 * threads allocate no Java objects and have no such counter.
 */
final class ThreadCpu {
  /** The group of threads no rule matches, and of process CPU time no live thread accounts for. */
  static final String OTHER = "other";
  /** Linux reports per-thread times in units of USER_HZ, which is 100 on every architecture Java runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ThreadCpu() {}

  /**
   * One thread's name, CPU time (user + system) and heap bytes allocated since it started; 0 bytes for threads
   * without an allocation counter (the JVM's own).
   */
  record ThreadTime(String name, long cpuNanos, long allocatedBytes) {
    ThreadTime(String name, long cpuNanos) {
      this(name, cpuNanos, 0L);
    }
  }

  /**
   * CPU times at one moment.
   *
   * @param wallNanos {@link System#nanoTime()} when taken
   * @param processCpuNanos the whole process, every thread that ever ran
   * @param javaThreads by thread id
   * @param nativeThreads by Linux thread id, Java threads included (under cut names); empty where there is no /proc
   */
  record Snapshot(long wallNanos, long processCpuNanos, Map<Long, ThreadTime> javaThreads,
      Map<Integer, ThreadTime> nativeThreads) {}

  /**
   * Which group a thread belongs to: the first rule whose pattern finds a match in the thread's name wins. Rules
   * for Java threads see full names; rules marked native are matched against the {@code comm} names of threads Java
   * cannot see, and only there.
   */
  record Rule(String group, Pattern name, boolean nativeThreads) {
    static Rule java(String group, String regex) {
      return new Rule(group, Pattern.compile(regex), false);
    }

    static Rule jvmInternal(String group, String regex) {
      return new Rule(group, Pattern.compile(regex), true);
    }
  }

  /**
   * CPU seconds per group between two snapshots, with the busiest threads.
   *
   * @param wallSeconds time between the snapshots
   * @param processCpuSeconds the process's CPU time in that time
   * @param secondsByGroup every group of the rules in their order, then {@link #OTHER}; sums to processCpuSeconds
   * @param busiest the busiest threads, Java and JVM-internal, CPU seconds each, busiest first
   * @param unmatched the busiest Java threads no rule matched, so the rules can be told what they miss
   * @param allocatedBytesByGroup heap bytes the Java threads of each group allocated, the groups in the order of
   *     {@code secondsByGroup} (JVM-internal groups 0; {@link #OTHER} only the unmatched Java threads)
   */
  record Breakdown(double wallSeconds, double processCpuSeconds, Map<String, Double> secondsByGroup,
      List<ThreadTime> busiest, List<ThreadTime> unmatched, Map<String, Long> allocatedBytesByGroup) {
    Breakdown(double wallSeconds, double processCpuSeconds, Map<String, Double> secondsByGroup,
        List<ThreadTime> busiest, List<ThreadTime> unmatched) {
      this(wallSeconds, processCpuSeconds, secondsByGroup, busiest, unmatched, Map.of());
    }

    /** CPU seconds of the named groups together. */
    double seconds(String... groups) {
      return Stream.of(groups).mapToDouble(g -> secondsByGroup.getOrDefault(g, 0.0)).sum();
    }

    /** Heap bytes the Java threads of the named groups allocated together. */
    long allocatedBytes(String... groups) {
      return Stream.of(groups).mapToLong(g -> allocatedBytesByGroup.getOrDefault(g, 0L)).sum();
    }
  }

  /** The CPU times of every live thread and of the process, now. */
  static Snapshot take() {
    long wall = System.nanoTime();
    long process = OS.getProcessCpuTime();
    long[] ids = THREADS.getAllThreadIds();
    long[] cpu = THREADS.getThreadCpuTime(ids);
    long[] allocated = THREADS.isThreadAllocatedMemoryEnabled() ? THREADS.getThreadAllocatedBytes(ids)
        : new long[ids.length];
    ThreadInfo[] infos = THREADS.getThreadInfo(ids, 0);
    Map<Long, ThreadTime> java = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && cpu[i] >= 0) { // null: ended meanwhile; -1: measurement off
        java.put(ids[i], new ThreadTime(infos[i].getThreadName(), cpu[i], Math.max(0, allocated[i])));
      }
    }
    return new Snapshot(wall, process, java, nativeThreads(Path.of("/proc/self/task")));
  }

  /** Per Linux thread its comm name and utime + stime; empty when the folder cannot be read (not Linux). */
  static Map<Integer, ThreadTime> nativeThreads(Path taskDir) {
    Map<Integer, ThreadTime> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(taskDir)) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          out.put(Integer.parseInt(task.getFileName().toString()), new ThreadTime(
              Files.readString(task.resolve("comm")).strip(), statCpuNanos(Files.readString(task.resolve("stat")))));
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read: it is in the process total
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  /**
   * utime + stime of a {@code /proc/.../stat} line, nanoseconds. Fields 14 and 15 (proc(5)), counted after the
   * command name's closing parenthesis, since the name itself may hold spaces and parentheses.
   */
  static long statCpuNanos(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): field N is fields[N - 3]
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
  }

  /**
   * What each group of threads spent between {@code start} and {@code end}. A thread started inside the window
   * counts from zero; one that ended inside it is lost to its group and lands in {@link #OTHER} through the
   * process total.
   */
  static Breakdown between(Snapshot start, Snapshot end, List<Rule> rules) {
    Map<String, Double> byGroup = new LinkedHashMap<>();
    Map<String, Long> bytesByGroup = new LinkedHashMap<>();
    rules.forEach(r -> byGroup.put(r.group(), 0.0));
    byGroup.put(OTHER, 0.0);
    byGroup.keySet().forEach(g -> bytesByGroup.put(g, 0L));
    List<ThreadTime> spent = new ArrayList<>();
    end.javaThreads().forEach((id, t) -> {
      ThreadTime before = start.javaThreads().get(id);
      spent.add(new ThreadTime(t.name(), t.cpuNanos() - (before == null ? 0 : before.cpuNanos()),
          t.allocatedBytes() - (before == null ? 0 : before.allocatedBytes())));
    });
    List<ThreadTime> internal = new ArrayList<>();
    end.nativeThreads().forEach((tid, t) -> {
      ThreadTime before = start.nativeThreads().get(tid);
      internal.add(new ThreadTime(t.name(), t.cpuNanos() - (before == null ? 0 : before.cpuNanos())));
    });
    List<ThreadTime> busiest = new ArrayList<>();
    List<ThreadTime> unmatched = new ArrayList<>();
    double grouped = 0;
    for (ThreadTime t : spent) {
      String group = groupOf(t.name(), rules, false);
      if (group.equals(OTHER) && t.cpuNanos() > 0) {
        unmatched.add(t);
      }
      byGroup.merge(group, t.cpuNanos() / 1e9, Double::sum);
      bytesByGroup.merge(group, t.allocatedBytes(), Long::sum);
      grouped += t.cpuNanos() / 1e9;
      busiest.add(t);
    }
    for (ThreadTime t : internal) {
      String group = groupOf(t.name(), rules, true);
      if (!group.equals(OTHER)) {
        byGroup.merge(group, t.cpuNanos() / 1e9, Double::sum);
        grouped += t.cpuNanos() / 1e9;
        busiest.add(t);
      }
    }
    double process = Math.max(0, end.processCpuNanos() - start.processCpuNanos()) / 1e9;
    byGroup.merge(OTHER, Math.max(0, process - grouped), Double::sum);
    return new Breakdown((end.wallNanos() - start.wallNanos()) / 1e9, Math.max(process, grouped), byGroup,
        busiestFirst(busiest), busiestFirst(unmatched), bytesByGroup);
  }

  private static List<ThreadTime> busiestFirst(List<ThreadTime> threads) {
    threads.sort(Comparator.comparingLong(ThreadTime::cpuNanos).reversed());
    return List.copyOf(threads.subList(0, Math.min(12, threads.size())));
  }

  /** The group of a thread by its name: the first matching rule of its kind, or {@link #OTHER}. */
  static String groupOf(String threadName, List<Rule> rules, boolean jvmInternal) {
    for (Rule r : rules) {
      if (r.nativeThreads() == jvmInternal && r.name().matcher(threadName).find()) {
        return r.group();
      }
    }
    return OTHER;
  }
}
