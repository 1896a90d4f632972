package io.depthstream.depth.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.depthstream.depth.DepthMap;
import org.junit.jupiter.api.Test;

class ResamplerTest {
  private static DepthMap row(float... v) {
    return DepthMap.wrap(v.length, 1, v);
  }

  @Test
  void bilinearUpscaleByTwoWithReplicateEdges() {
    // u = (o + 0.5) / 2 - 0.5: o=0 -> -0.25 (0.25*v[-1->0] + 0.75*v[0]) = 2; o=1 -> 0.25 -> 0.75*2 + 0.25*4 = 2.5;
    // o=2 -> 0.75 -> 0.25*2 + 0.75*4 = 3.5; o=3 -> 1.25 -> 0.75*4 + 0.25*v[2->1] = 4
    DepthMap out = new Resampler(Interpolation.BILINEAR).resize(row(2, 4), 4, 1);
    assertThat(out.data()).containsExactly(2f, 2.5f, 3.5f, 4f);
  }

  @Test
  void bicubicUpscaleUsesKeysKernel() {
    // [1,1,5,1,1] up x2, output o=4: u = 4.5/2 - 0.5 = 1.75; input 0..3 at distances 1.75, 0.75, 0.25, 1.25:
    // h(1.75) = -0.5*5.359375 + 2.5*3.0625 - 4*1.75 + 2 = -0.0234375
    // h(0.75) = 1.5*0.421875 - 2.5*0.5625 + 1 = 0.2265625
    // h(0.25) = 1.5*0.015625 - 2.5*0.0625 + 1 = 0.8671875
    // h(1.25) = -0.5*1.953125 + 2.5*1.5625 - 5 + 2 = -0.0703125      (sum = 1)
    // out = -0.0234375*1 + 0.2265625*1 + 0.8671875*5 - 0.0703125*1 = 4.46875
    DepthMap out = new Resampler(Interpolation.BICUBIC).resize(row(1, 1, 5, 1, 1), 10, 1);
    assertThat(out.get(4, 0)).isCloseTo(4.46875f, offset(1e-5f));
  }

  @Test
  void antialiasedBicubicDownscaleStretchesTheKernel() {
    // 16 ones with a spike of 9 at index 8, down x2. Output o=4 samples u = 4.5*2 - 0.5 = 8.5.
    // Without antialiasing: inputs 8 and 9 at distance 0.5 get h(0.5) = 0.5625, inputs 7 and 10 get
    //   h(1.5) = -0.0625 -> out = 1 + 8*0.5625 = 5.5.
    // With antialiasing the kernel is h(x/2)/2 over 8 taps; input 8 (distance 0.5) gets h(0.25)/2 = 0.43359375
    //   and the weights still sum to 1 -> out = 1 + 8*0.43359375 = 4.46875.
    float[] v = new float[16];
    java.util.Arrays.fill(v, 1f);
    v[8] = 9f;
    DepthMap src = row(v);
    assertThat(new Resampler(Interpolation.BICUBIC, false, EdgeMode.REPLICATE).resize(src, 8, 1).get(4, 0))
        .isCloseTo(5.5f, offset(1e-5f));
    assertThat(new Resampler(Interpolation.BICUBIC, true, EdgeMode.REPLICATE).resize(src, 8, 1).get(4, 0))
        .isCloseTo(4.46875f, offset(1e-5f));
  }

  @Test
  void nearestDownscaleByEightTakesTheCentreRightPixelAsMatlab() {
    // u = (o + 0.5) * 8 - 0.5 = 8o + 3.5, rounded half up -> input 8o + 4
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i + 1;
    }
    DepthMap out = new Resampler(Interpolation.NEAREST).downscale(DepthMap.wrap(16, 1, v), 8);
    assertThat(out.data()).containsExactly(5f, 13f);
  }

  @Test
  void areaAveragesBlocksAndReplicatesOnIntegerUpscale() {
    DepthMap src = DepthMap.wrap(4, 2, new float[] {1, 3, 5, 7, 3, 5, 7, 9});
    // blocks: (1+3+3+5)/4 = 3, (5+7+7+9)/4 = 7
    assertThat(new Resampler(Interpolation.AREA).downscale(src, 2).data()).containsExactly(3f, 7f);
    assertThat(new Resampler(Interpolation.AREA).upscale(row(2, 6), 2).data())
        .containsExactly(2f, 2f, 6f, 6f, 2f, 2f, 6f, 6f);
    // 3 -> 2 pixels: output 0 covers [0, 1.5): (1*1 + 0.5*4)/1.5 = 2; output 1 covers [1.5, 3): (0.5*4 + 10)/1.5 = 8
    float[] third = new Resampler(Interpolation.AREA).resize(row(1, 4, 10), 2, 1).data();
    assertThat(third[0]).isCloseTo(2f, offset(1e-5f));
    assertThat(third[1]).isCloseTo(8f, offset(1e-5f));
  }

  @Test
  void holesAreNeverAveragedIn() {
    // area x2 of [2, hole, 4, 6]: cell 0 has valid weight 0.5 -> 2*0.5/0.5 = 2 (not (2+0)/2 = 1); cell 1 = 5
    DepthMap src = row(2, 0, 4, 6);
    assertThat(new Resampler(Interpolation.AREA).downscale(src, 2).data()).containsExactly(2f, 5f);
    // with coverage 0.6 required, half a cell is not enough
    assertThat(new Resampler(Interpolation.AREA).minCoverage(0.6).downscale(src, 2).data())
        .containsExactly(0f, 5f);
    // bilinear upscale of [2, hole]: o=1 (u=0.25) has 0.75 of valid weight -> 2; o=2 (u=0.75) has 0.25 -> invalid
    DepthMap up = new Resampler(Interpolation.BILINEAR).resize(row(2, 0), 4, 1);
    assertThat(up.data()).containsExactly(2f, 2f, 0f, 0f);
  }

  @Test
  void denseMapWithoutHolesKeepsAConstant() {
    DepthMap c = DepthMap.allocate(37, 23);
    java.util.Arrays.fill(c.data(), 3.25f);
    for (Interpolation k : Interpolation.values()) {
      DepthMap down = new Resampler(k).resize(c, 5, 3);
      DepthMap up = new Resampler(k).resize(c, 80, 51);
      for (float v : down.data()) {
        assertThat(v).as(k.name()).isCloseTo(3.25f, offset(1e-5f));
      }
      for (float v : up.data()) {
        assertThat(v).as(k.name()).isCloseTo(3.25f, offset(1e-5f));
      }
    }
  }

  @Test
  void symmetricEdgesMirrorIncludingTheEdgePixel() {
    assertThat(EdgeMode.SYMMETRIC.map(-1, 5)).isEqualTo(0);
    assertThat(EdgeMode.SYMMETRIC.map(-2, 5)).isEqualTo(1);
    assertThat(EdgeMode.SYMMETRIC.map(5, 5)).isEqualTo(4);
    assertThat(EdgeMode.SYMMETRIC.map(6, 5)).isEqualTo(3);
    assertThat(EdgeMode.REPLICATE.map(-2, 5)).isEqualTo(0);
    assertThat(EdgeMode.REPLICATE.map(7, 5)).isEqualTo(4);
  }

  @Test
  void reusesBuffersAcrossFramesAndRejectsBadInput() {
    Resampler r = new Resampler(Interpolation.BICUBIC);
    DepthMap dst = DepthMap.allocate(4, 1);
    r.resize(row(2, 4), dst);
    float first = dst.get(1, 0);
    r.resize(row(2, 4), dst);
    assertThat(dst.get(1, 0)).isEqualTo(first);
    assertThatThrownBy(() -> r.resize(row(1, -1), dst)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> r.resize(row(1, Float.NaN), dst)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }
}
