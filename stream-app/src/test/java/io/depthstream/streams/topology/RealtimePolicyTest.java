package io.depthstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.streams.topology.RealtimePolicy.Admission;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class RealtimePolicyTest {
  private static final long MS = 1_000_000L;
  private final RealtimePolicy policy = new RealtimePolicy(100 * MS, 1_000 * MS);

  private static Record<String, byte[]> record(String key) {
    return new Record<>(key, new byte[] {1}, 0L);
  }

  @Test
  void freshFramesAreProcessedStaleOnesHeldAndFutureOnesRefused() {
    long now = 10_000 * MS;
    assertThat(policy.admit("a", now - 50 * MS, now)).isEqualTo(Admission.PROCESS);
    assertThat(policy.admit("a", now - 150 * MS, now)).isEqualTo(Admission.HOLD);
    assertThat(policy.admit("a", now + 2_000 * MS, now)).isEqualTo(Admission.FUTURE);
    assertThat(new RealtimePolicy(0, -1).admit("a", 0, now)).as("policy off").isEqualTo(Admission.PROCESS);
  }

  @Test
  void aHeldFrameIsReplacedByANewerOneAndServedOnlyAfterAFullCheckInterval() {
    Record<String, byte[]> first = record("a");
    Record<String, byte[]> second = record("a");
    assertThat(policy.hold("a", first, RecordSource.UNKNOWN)).isNull();
    assertThat(policy.hold("a", second, RecordSource.UNKNOWN).record()).as("dropped").isSameAs(first);
    assertThat(policy.due(0)).as("held since this interval began").isEmpty();
    assertThat(policy.due(0)).extracting(RealtimePolicy.Held::record).containsExactly(second);
    assertThat(policy.supersede("a")).isNull();
  }

  @Test
  void aSensorServedRecentlyYieldsToOneThatWaitedLonger() {
    long now = 10_000 * MS;
    assertThat(policy.admit("a", now, now)).isEqualTo(Admission.PROCESS);
    assertThat(policy.admit("b", now - 150 * MS, now)).as("stale: b waits").isEqualTo(Admission.HOLD);
    now += 10 * MS;
    assertThat(policy.admit("a", now, now)).as("a yields to b").isEqualTo(Admission.HOLD);
    assertThat(policy.admit("b", now, now)).isEqualTo(Admission.PROCESS);
    now += 10 * MS;
    assertThat(policy.admit("a", now, now)).as("a's turn again").isEqualTo(Admission.PROCESS);
  }

  @Test
  void aSensorThatStoppedSendingDoesNotMakeOthersYield() {
    long now = 10_000 * MS;
    policy.admit("a", now, now);
    policy.admit("gone", now - 150 * MS, now);
    now += 500 * MS; // "gone" sent nothing for longer than the budget
    assertThat(policy.admit("a", now, now)).isEqualTo(Admission.PROCESS);
  }

  @Test
  void heldFramesAreBoundedUnderAFloodOfSensorIds() {
    for (int i = 0; i < 1024; i++) {
      assertThat(policy.hold("s" + i, record("s" + i), RecordSource.UNKNOWN)).isNull();
    }
    Record<String, byte[]> extra = record("one-too-many");
    assertThat(policy.hold("one-too-many", extra, RecordSource.UNKNOWN).record()).isSameAs(extra);
    assertThat(policy.drain()).hasSize(1024);
  }

  @Test
  void theCheckIntervalIsAFifthOfTheBudgetWithinBounds() {
    assertThat(policy.checkInterval()).isEqualTo(Duration.ofMillis(20));
    assertThat(new RealtimePolicy(10 * MS, -1).checkInterval()).isEqualTo(Duration.ofMillis(5));
    assertThat(new RealtimePolicy(5_000 * MS, -1).checkInterval()).isEqualTo(Duration.ofMillis(50));
  }
}
