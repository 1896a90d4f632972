package io.depthstream.depth.classical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PushPullInpaintTest {

  @Test
  void interpolatesAcrossAGapWithHandComputedValues() {
    // Level 1 (2x1): (2 | 4), weights 1; level 2: 3. Push to level 0: x=1 maps to coarse 0.25 -> 2.5,
    // x=2 maps to 0.75 -> 3.5.
    DepthMap out = DepthMap.allocate(4, 1);
    new PushPullInpaint().reconstruct(DepthMap.wrap(4, 1, new float[] {2f, 0f, 0f, 4f}), out);
    assertThat(out.data()[0]).isEqualTo(2f);
    assertThat(out.data()[1]).isCloseTo(2.5f, within(1e-6f));
    assertThat(out.data()[2]).isCloseTo(3.5f, within(1e-6f));
    assertThat(out.data()[3]).isEqualTo(4f);
  }

  @Test
  void keepsMeasuredPixelsAndFillsEveryHoleWithinTheMeasuredRange() {
    SplittableRandom rnd = new SplittableRandom(11);
    int w = 64;
    int h = 48;
    float[] d = new float[w * h];
    for (int i = 0; i < d.length; i++) {
      d[i] = 1f + (float) rnd.nextDouble() * 4f;
    }
    // Kinect-like holes: a large block and scattered dropouts.
    for (int y = 10; y < 30; y++) {
      for (int x = 20; x < 50; x++) {
        d[y * w + x] = 0f;
      }
    }
    for (int i = 0; i < d.length; i++) {
      if (rnd.nextDouble() < 0.2) {
        d[i] = 0f;
      }
    }
    float[] original = d.clone();
    DepthMap out = DepthMap.allocate(w, h);
    new PushPullInpaint().reconstruct(DepthMap.wrap(w, h, d), out);
    assertThat(d).containsExactly(original);
    for (int i = 0; i < d.length; i++) {
      if (original[i] > 0f) {
        assertThat(out.data()[i]).isEqualTo(original[i]);
      } else {
        // Every fill is a convex combination of measurements.
        assertThat(out.data()[i]).isBetween(1f, 5f);
      }
    }
  }

  @Test
  void aHoleInAFlatSurfaceIsFilledFlat() {
    DepthMap in = DepthMap.allocate(33, 17);
    java.util.Arrays.fill(in.data(), 2.5f);
    for (int y = 3; y < 14; y++) {
      for (int x = 5; x < 30; x++) {
        in.set(x, y, 0f);
      }
    }
    DepthMap out = DepthMap.allocate(33, 17);
    new PushPullInpaint().reconstruct(in, out);
    for (float v : out.data()) {
      assertThat(v).isCloseTo(2.5f, within(1e-5f));
    }
  }

  @Test
  void allInvalidStaysInvalidAndBadInputIsRejected() {
    DepthMap out = DepthMap.wrap(2, 2, new float[] {1f, 1f, 1f, 1f});
    PushPullInpaint inpaint = new PushPullInpaint();
    inpaint.reconstruct(DepthMap.allocate(2, 2), out);
    assertThat(out.validCount()).isZero();
    assertThatThrownBy(() -> inpaint.reconstruct(DepthMap.allocate(2, 2), DepthMap.allocate(2, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size mismatch");
  }
}
