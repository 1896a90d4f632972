package io.depthstream.depth.focus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DepthFromFocusTest {
  private static final int W = 20;
  private static final int H = 16;

  /**
   * A stack of uniform grey images (textureless: SML 0), except that image {@code sharp} carries a random texture
   * in rows [6, 10).
   */
  private static float[] bandSharpIn(int t, int sharp) {
    int plane = W * H;
    float[] stack = new float[t * 3 * plane];
    Arrays.fill(stack, 0.4f);
    SplittableRandom rnd = new SplittableRandom(5);
    for (int y = 6; y < 10; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < 3; c++) {
          stack[(sharp * 3 + c) * plane + y * W + x] = (float) rnd.nextDouble();
        }
      }
    }
    return stack;
  }

  private static DepthMap estimate(float[] stack, float[] focus, int t) {
    DepthMap out = DepthMap.allocate(W, H);
    try (DepthFromFocus dff = new DepthFromFocus()) {
      dff.estimate(stack, focus, t, H, W, out);
    }
    return out;
  }

  @Test
  void aBandSharpInOneImageGetsThatImagesFocusDistance() {
    // Uniform spacing. In the band, SML is > 0 in the sharp image and 0 in the others, so an interior image's
    // neighbours have equal log values and the parabola's vertex is the midpoint of f1 and f3 = f2.
    float[] focus = {1f, 2f, 3f, 4f};
    for (int sharp = 0; sharp < 4; sharp++) {
      DepthMap out = estimate(bandSharpIn(4, sharp), focus, 4);
      for (int y = 6; y < 10; y++) {
        for (int x = 0; x < W; x++) {
          assertThat(out.get(x, y)).as("image %d, pixel (%d, %d)", sharp, x, y).isCloseTo(focus[sharp], within(1e-5f));
        }
      }
      // Rows more than the Laplacian (1) plus half the window (4) away from the band (rows 6..9): SML 0 in every
      // image, so the textureless rule gives the first image's focus distance.
      for (int y : new int[] {0, 15}) {
        assertThat(out.get(3, y)).as("image %d, row %d", sharp, y).isEqualTo(1f);
      }
    }
  }

  @Test
  void withNonUniformSpacingAndFlatNeighboursTheVertexIsTheMidpointOfTheNeighbours() {
    // y1 = y3: f* = f2 - (a^2 - b^2) / (2 (a - b)) = f2 - (a + b) / 2 = (f1 + f3) / 2 = (0.5 + 2) / 2.
    DepthMap out = estimate(bandSharpIn(4, 1), new float[] {0.5f, 1f, 2f, 4f}, 4);
    assertThat(out.get(10, 8)).isCloseTo(1.25f, within(1e-5f));
    // Sharp in the last image: no neighbour beyond it, the depth is its own focus distance.
    assertThat(estimate(bandSharpIn(4, 3), new float[] {0.5f, 1f, 2f, 4f}, 4).get(10, 8)).isEqualTo(4f);
  }

  @Test
  void peakOfThreeMatchesHandComputedVertices() {
    double e = Math.E;
    // Symmetric values on a uniform grid: the middle.
    assertThat(DepthFromFocus.peakOfThree(1f, 2f, 3f, 1f, 5f, 1f)).isCloseTo(2f, within(1e-6f));
    // Non-uniform f = (1, 2, 4), y = ln s = (0, 2, 1): the parabola y = -5/6 x^2 + 9/2 x + C has its vertex at
    // x = (9/2) / (5/3) = 2.7.
    assertThat(DepthFromFocus.peakOfThree(1f, 2f, 4f, 1f, (float) (e * e), (float) e)).isCloseTo(2.7f,
        within(1e-5f));
    // Uniform spacing d = 1: f2 + d/2 (y1 - y3) / (y1 - 2 y2 + y3) = 2 + 0.5 (0 - 1) / (0 - 4 + 1) = 2 + 1/6.
    assertThat(DepthFromFocus.peakOfThree(1f, 2f, 3f, 1f, (float) (e * e), (float) e)).isCloseTo(2f + 1f / 6f,
        within(1e-5f));
    // A flat curve (den = 0): f2.
    assertThat(DepthFromFocus.peakOfThree(1f, 2f, 4f, 3f, 3f, 3f)).isEqualTo(2f);
    // Middle not the largest, vertex far outside: clamped to [f1, f3]. y = (0, 1, 1.9): f* = 11.5.
    assertThat(DepthFromFocus.peakOfThree(1f, 2f, 3f, 1f, (float) e, (float) Math.exp(1.9))).isEqualTo(3f);
  }

  @Test
  void aSingleImageGivesItsFocusDistanceEverywhere() {
    DepthMap out = estimate(bandSharpIn(1, 0), new float[] {2.5f}, 1);
    assertThat(out.data()).containsOnly(2.5f);
  }

  @Test
  void texturelessAndEquallySharpStacksGiveTheFirstImagesFocusDistance() {
    int plane = W * H;
    float[] flat = new float[3 * 3 * plane];
    for (int k = 0; k < 3; k++) {
      Arrays.fill(flat, k * 3 * plane, (k + 1) * 3 * plane, 0.2f + 0.3f * k); // uniform, a different grey each
    }
    assertThat(estimate(flat, new float[] {0.7f, 1.5f, 3f}, 3).data()).containsOnly(0.7f);
    // Three identical textured images: every SML ties, argmax keeps the first (nearest).
    float[] same = new float[3 * 3 * plane];
    float[] one = bandSharpIn(1, 0);
    for (int k = 0; k < 3; k++) {
      System.arraycopy(one, 0, same, k * 3 * plane, 3 * plane);
    }
    assertThat(estimate(same, new float[] {0.7f, 1.5f, 3f}, 3).data()).containsOnly(0.7f);
  }

  @Test
  void twoImagesGiveOneOfTheTwoFocusDistances() {
    float[] focus = {1f, 3f};
    assertThat(estimate(bandSharpIn(2, 1), focus, 2).get(5, 7)).isEqualTo(3f);
    assertThat(estimate(bandSharpIn(2, 0), focus, 2).get(5, 7)).isEqualTo(1f);
  }

  @Test
  void reusedScratchBuffersGiveTheSameDepthAfterASizeChange() {
    float[] focus = {0.5f, 1f, 2f, 4f};
    Fixture f = Fixture.load();
    DepthMap first = DepthMap.allocate(f.w, f.h);
    DepthMap again = DepthMap.allocate(f.w, f.h);
    try (DepthFromFocus dff = new DepthFromFocus()) {
      dff.estimate(f.stack, f.focus, f.t, f.h, f.w, first);
      DepthMap small = DepthMap.allocate(W, H);
      dff.estimate(bandSharpIn(4, 2), focus, 4, H, W, small);
      assertThat(small.get(10, 8)).isCloseTo(2.5f, within(1e-5f)); // flat neighbours: (f1 + f3) / 2 = (1 + 4) / 2
      dff.estimate(f.stack, f.focus, f.t, f.h, f.w, again);
    }
    assertThat(again.data()).isEqualTo(first.data());
  }

  /** The Java method against the trainer's Python baseline on the stack that make_dff_fixture.py writes. */
  @Test
  void matchesThePythonBaselineWithin1e4Metres() {
    Fixture f = Fixture.load();
    DepthMap out = DepthMap.allocate(f.w, f.h);
    new DepthFromFocus().estimate(f.stack, f.focus, f.t, f.h, f.w, out);
    float worst = 0f;
    for (int i = 0; i < f.depth.length; i++) {
      worst = Math.max(worst, Math.abs(out.data()[i] - f.depth[i]));
    }
    assertThat(worst).as("max |Java - Python| in metres").isLessThan(1e-4f);
    // The fixture exercises the interpolation, not only the focus distances themselves.
    long interpolated = 0;
    for (float d : f.depth) {
      if (d != 0.5f && d != 1f && d != 2f && d != 4f) {
        interpolated++;
      }
    }
    assertThat(interpolated).isGreaterThan(f.depth.length / 4);
  }

  @Test
  void rejectsBadArgumentsNamingTheProblem() {
    DepthFromFocus dff = new DepthFromFocus();
    int plane = W * H;
    float[] stack = new float[2 * 3 * plane];
    DepthMap out = DepthMap.allocate(W, H);
    assertThatThrownBy(() -> dff.estimate(new float[0], new float[0], 0, H, W, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t = 0");
    assertThatThrownBy(() -> dff.estimate(new float[3 * plane], new float[] {1f, 2f}, 2, H, W, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t*3*h*w");
    assertThatThrownBy(() -> dff.estimate(stack, new float[] {1f}, 2, H, W, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 focus distances");
    for (float bad : new float[] {Float.NaN, 0f, -1f, Float.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> dff.estimate(stack, new float[] {1f, bad}, 2, H, W, out)).as("focus %s", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("focus distance 1 is " + bad);
    }
    assertThatThrownBy(() -> dff.estimate(stack, new float[] {2f, 1f}, 2, H, W, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("near to far");
    assertThatThrownBy(() -> dff.estimate(stack, new float[] {1f, 2f}, 2, H, W, DepthMap.allocate(H, W)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output is 16x20");
    float[] nan = stack.clone();
    nan[plane + 3] = Float.NaN;
    assertThatThrownBy(() -> dff.estimate(nan, new float[] {1f, 2f}, 2, H, W, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 1, pixel (3, 0)");
    assertThatThrownBy(() -> dff.estimate(stack, new float[] {1f, 2f}, 2, 0, W, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image size");
    assertThatThrownBy(() -> new DepthFromFocus(4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
    assertThat(dff.name()).isEqualTo("depth-from-focus");
    assertThat(dff.version()).isEmpty();
  }

  /** dff_fixture.bin (see make_dff_fixture.py next to it for the layout and how to regenerate it). */
  private record Fixture(int t, int h, int w, float[] focus, float[] stack, float[] depth) {
    static Fixture load() {
      try (InputStream in = DepthFromFocusTest.class.getResourceAsStream("dff_fixture.bin")) {
        assertThat(in).as("dff_fixture.bin on the test class path").isNotNull();
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int t = b.getInt();
        int h = b.getInt();
        int w = b.getInt();
        float[] focus = new float[t];
        b.asFloatBuffer().get(focus);
        b.position(b.position() + 4 * t);
        float[] stack = new float[t * 3 * h * w];
        for (int i = 0; i < stack.length; i++) {
          stack[i] = (b.get() & 0xFF) / 255f;
        }
        float[] depth = new float[h * w];
        b.asFloatBuffer().get(depth);
        assertThat(b.position() + 4 * depth.length).isEqualTo(b.limit());
        return new Fixture(t, h, w, focus, stack, depth);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
