package io.depthstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.jitprobe.ProbeLoop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class JitDirectivesTest {
  @Test
  void theDirectiveExcludesC2ForEveryClassOfEachPackage() {
    assertThat(JitDirectives.directive(List.of("org.apache.kafka", "com.example.a")))
        .isEqualTo("[ { match: [\"org/apache/kafka/*.*\", \"com/example/a/*.*\"], c2: { Exclude: true } } ]\n");
  }

  @Test
  void aPackageOutOfC2IsCompiledByC1OnlyWhileOtherCodeReachesC2() throws Exception {
    assertThat(JitDirectives.compileWithC1Only(List.of("io.depthstream.streams.jitprobe"))).isTrue();
    assertThat(JitDirectives.printDirectives()).contains("io/depthstream/streams/jitprobe/");

    // Every compilation of the two loops' methods, with its tier (1-3 = C1, 4 = C2), from the JVM's own events. Both
    // spin and mix count: C2 may compile spin first with mix inlined, and then drop mix's own queued compilation as
    // stale, so mix alone need never show tier 4 (a fresh-clone run saw that once).
    Map<String, Set<Integer>> levels = new ConcurrentHashMap<>();
    try (RecordingStream events = new RecordingStream()) {
      events.enable("jdk.Compilation").withThreshold(Duration.ZERO);
      events.onEvent("jdk.Compilation", e -> {
        RecordedMethod method = e.getValue("method");
        if (method.getName().equals("mix") || method.getName().equals("spin")) {
          levels.computeIfAbsent(method.getType().getName(), k -> ConcurrentHashMap.newKeySet())
              .add(e.getInt("compileLevel"));
        }
      });
      events.startAsync();
      String control = ControlLoop.class.getName();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long sink = 0;
      while (!levels.getOrDefault(control, Set.of()).contains(4) && System.nanoTime() < deadline) {
        sink += ProbeLoop.spin(100_000) + ControlLoop.spin(100_000);
        Thread.sleep(5);
      }
      // One more round after the control reached C2, so the probe had at least as many calls.
      sink += ProbeLoop.spin(1_000_000);
      Thread.sleep(500);
      assertThat(sink).isNotZero();
    }
    assertThat(levels.get(ControlLoop.class.getName())).as("the control reaches C2").contains(4);
    assertThat(levels.get(ProbeLoop.class.getName())).as("the excluded package: compiled, by C1 only")
        .isNotEmpty().doesNotContain(4);
  }

  @Test
  void aPackageIsAddedOncePerJvm() throws Exception {
    List<String> probe = List.of("io.depthstream.streams.jitonce");
    assertThat(JitDirectives.compileWithC1Only(probe)).isTrue();
    String once = JitDirectives.printDirectives();
    assertThat(JitDirectives.compileWithC1Only(probe)).isTrue();
    assertThat(JitDirectives.printDirectives()).isEqualTo(once);
  }

  @Test
  void aNameThatIsNoPackageIsRefusedByTheSettingNamingTheKey() {
    assertThatThrownBy(() -> config("org.apache.kafka,org/apache"))
        .isInstanceOf(ConfigException.class).hasMessageContaining(NodeConfig.JIT_C1_PACKAGES)
        .hasMessageContaining("org/apache");
    assertThatThrownBy(() -> JitDirectives.compileWithC1Only(List.of("a.*")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.*");
    assertThat(config("").getList(NodeConfig.JIT_C1_PACKAGES)).isEmpty();
  }

  private static NodeConfig config(String packages) {
    return NodeConfig.from(Map.of("bootstrap.servers", "127.0.0.1:9", "application.id", "jit-test",
        NodeConfig.JIT_C1_PACKAGES, packages));
  }

  /** The same hot code as {@link ProbeLoop}, in a package no directive names. */
  static final class ControlLoop {
    static long spin(int n) {
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += mix(i);
      }
      return sum;
    }

    static long mix(int i) {
      return Integer.rotateLeft(i * 0x9E3779B9, 7) ^ (i >>> 3);
    }
  }
}
