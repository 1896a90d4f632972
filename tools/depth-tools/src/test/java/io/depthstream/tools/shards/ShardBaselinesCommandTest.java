package io.depthstream.tools.shards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ShardBaselinesCommandTest {

  @Test
  void validAwarePoolAveragesValidDepthsAndLeavesEmptyBlocksAsHoles() {
    // 4x2 image, factor 2: blocks {1, 2, 0, 3} -> mean of 1, 2, 3 = 2; {0, 0, 0, 0} -> hole.
    float[] depth = {
        1, 2, 0, 0,
        0, 3, 0, 0};
    float[] out = new float[2];
    ShardBaselinesCommand.validAwarePool(depth, 4, 2, 2, out);
    assertThat(out[0]).isCloseTo(2f, within(1e-6f));
    assertThat(out[1]).isZero();
  }
}
