package io.depthstream.streams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeHealthTest {
  @ParameterizedTest(name = "{0}, closing={1}: /health {2}, /ready {3}")
  @CsvSource({
      "CREATED,          false, 200, 503",
      "REBALANCING,      false, 200, 503",
      "RUNNING,          false, 200, 200",
      "PENDING_ERROR,    false, 503, 503",
      "ERROR,            false, 503, 503",
      // Stopped by itself (nobody called close): dead.
      "PENDING_SHUTDOWN, false, 503, 503",
      "NOT_RUNNING,      false, 503, 503",
      // Stopping because it was asked to: alive, not ready, even while the client still says RUNNING.
      "RUNNING,          true,  200, 503",
      "PENDING_SHUTDOWN, true,  200, 503",
      "NOT_RUNNING,      true,  200, 503",
      "ERROR,            true,  503, 503",
  })
  void answersFromTheStreamsStateAndWhetherTheNodeIsClosing(State state, boolean closing, int health, int ready) {
    NodeHealth node = new NodeHealth(() -> state,
        List.of(new NodeHealth.Method("depthstream.method.vslam", "nearest-fill", "")));
    if (closing) {
      node.closing();
    }
    NodeHealth.Answer live = node.liveness();
    NodeHealth.Answer readiness = node.readiness();
    assertThat(live.httpStatus()).isEqualTo(health);
    assertThat(readiness.httpStatus()).isEqualTo(ready);
    assertThat(live.text()).contains(state.name());
    assertThat(readiness.text()).contains(state.name()).contains("depthstream.method.vslam=nearest-fill")
        .startsWith(ready == 200 ? "ready" : "not ready");
  }
}
