package io.depthstream.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HoldoutTest {
  /** A 64x48 map with about 30 % of its pixels measured (1 to 20 m). */
  private static DepthMap sparse() {
    DepthMap m = DepthMap.allocate(64, 48);
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < m.data().length; i++) {
      if (r.nextDouble() < 0.3) {
        m.data()[i] = 1f + 19f * (float) r.nextDouble();
      }
    }
    return m;
  }

  private static int valid(DepthMap m) {
    int n = 0;
    for (float v : m.data()) {
      if (v > 0f) {
        n++;
      }
    }
    return n;
  }

  @Test
  void splitsDisjointlyIntoTheExactShareAndLosesNoPoint() {
    DepthMap s = sparse();
    Holdout.Split split = Holdout.split(s, 0.2, 7);
    int n = valid(s);
    assertThat(valid(split.truth())).isEqualTo(Math.round(0.2 * n));
    assertThat(valid(split.input()) + valid(split.truth())).isEqualTo(n);
    for (int i = 0; i < s.data().length; i++) {
      float in = split.input().data()[i];
      float gt = split.truth().data()[i];
      assertThat(in > 0f && gt > 0f).as("pixel %d in both", i).isFalse();
      assertThat(in + gt).as("pixel %d keeps its value", i).isEqualTo(s.data()[i]);
    }
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    DepthMap s = sparse();
    assertThat(Holdout.split(s, 0.2, 7).truth().data()).isEqualTo(Holdout.split(s, 0.2, 7).truth().data());
    assertThat(Holdout.split(s, 0.2, 8).truth().data()).isNotEqualTo(Holdout.split(s, 0.2, 7).truth().data());
  }

  @Test
  void refusesFractionsThatLeaveNothingToScoreOrNoInput() {
    assertThatThrownBy(() -> Holdout.split(sparse(), 1.0, 1)).hasMessageContaining("must be in (0, 1)");
    DepthMap one = DepthMap.allocate(4, 4);
    one.data()[3] = 2f;
    assertThatThrownBy(() -> Holdout.split(one, 0.2, 1)).hasMessageContaining("of 1 measured pixels leaves no pixel "
        + "to score on");
  }

  @Test
  void densitiesKeepExactlyTheirCountOfValidPixels() {
    DepthMap s = sparse();
    assertThat(Density.parseList("30,1%,100%")).extracting(d -> d.count(64, 48)).containsExactly(30, 31, 3072);
    assertThat(valid(Density.parseList("30").get(0).sample(s, 1))).isEqualTo(30);
    assertThat(valid(Density.parseList("100%").get(0).sample(s, 1))).as("capped at the valid pixels")
        .isEqualTo(valid(s));
    assertThatThrownBy(() -> Density.parseList("30,lots")).hasMessageContaining("'lots'");
  }
}
