package io.depthstream.depth.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FocalStackSynthesisTest {

  /** The Java synthesis against the trainer's on the RGB-D pair that make_focal_synthesis_fixture.py writes. */
  @Test
  void matchesTheTrainersSynthesisWithin1e5() {
    Fixture f = Fixture.load();
    DepthMap depth = DepthMap.wrap(f.w, f.h, f.depth);
    double[] range = FocalStackSynthesis.depthRange(depth);
    assertThat(range).containsExactly(f.near, f.far);
    double[] focus = FocalStackSynthesis.evenlySpacedFocus(range[0], range[1], f.t);
    assertThat(focus).containsExactly(f.focus, within(1e-12));

    float[] stack = FocalStackSynthesis.TRAINING.synthesize(f.rgb, depth, focus, range[0], range[1]);

    assertThat(stack).hasSameSizeAs(f.stack);
    float worst = 0f;
    for (int i = 0; i < stack.length; i++) {
      worst = Math.max(worst, Math.abs(stack[i] - f.stack[i]));
    }
    assertThat(worst).as("max |Java - Python| colour").isLessThan(1e-5f);
    // The case blurs: most pixels differ from the sharp image in every image of the stack.
    int plane = f.w * f.h;
    for (int t = 0; t < f.t; t++) {
      int blurred = 0;
      for (int p = 0; p < 3 * plane; p++) {
        blurred += Math.abs(stack[t * 3 * plane + p] - f.rgb[p]) > 1e-3f ? 1 : 0;
      }
      assertThat(blurred).as("blurred values of image %d", t).isGreaterThan(plane);
    }
  }

  @Test
  void keepsTheFocalPlaneSharpAndBlursTheRestMoreWithDistance() {
    int w = 40;
    int h = 8;
    DepthMap depth = DepthMap.allocate(w, h);
    float[] rgb = new float[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        depth.set(x, y, x < 20 ? 1f : 3f); // two planes, 2 m apart
        for (int c = 0; c < 3; c++) {
          rgb[c * w * h + y * w + x] = (x + y) % 2; // a checkerboard: blur greys it
        }
      }
    }
    FocalStackSynthesis synthesis = new FocalStackSynthesis(2, 2.0, 8.0, 0.25);
    // layer centres 1.5 and 2.5 m: focused at 1.5 m the near layer is sharp, the far one has sigma 2 px
    float[] stack = synthesis.synthesize(rgb, depth, new double[] {1.5, 2.5}, 1.0, 3.0);
    int plane = w * h;
    assertThat(stack[4 * w + 5]).isEqualTo(rgb[4 * w + 5]);
    assertThat(stack[4 * w + 30]).isCloseTo(0.5f, within(0.05f));
    // focused at 2.5 m: the far layer sharp, the near one blurred
    assertThat(stack[3 * plane + 4 * w + 30]).isEqualTo(rgb[4 * w + 30]);
    assertThat(stack[3 * plane + 4 * w + 5]).isCloseTo(0.5f, within(0.05f));
  }

  @Test
  void focusDistancesAreEvenlySpacedInsideTheRange() {
    assertThat(FocalStackSynthesis.evenlySpacedFocus(1.0, 5.0, 3)).containsExactly(2.0, 3.0, 4.0);
    assertThat(FocalStackSynthesis.evenlySpacedFocus(1.0, 2.0, 1)).containsExactly(1.5);
  }

  @Test
  void rejectsWhatItCannotSynthesise() {
    DepthMap empty = DepthMap.allocate(4, 3);
    assertThatThrownBy(() -> FocalStackSynthesis.depthRange(empty)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no valid pixel");
    assertThatThrownBy(() -> FocalStackSynthesis.TRAINING.synthesize(new float[5], empty, new double[] {1}, 1, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 3 x 4 x 3");
    assertThatThrownBy(() -> new FocalStackSynthesis(0, 2, 8, 0.25)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layers");
    assertThatThrownBy(() -> FocalStackSynthesis.evenlySpacedFocus(1, 2, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one image");
  }

  /** focal_synthesis_fixture.bin (make_focal_synthesis_fixture.py next to it has the layout). */
  private record Fixture(int t, int h, int w, double near, double far, double[] focus, float[] rgb, float[] depth,
      float[] stack) {
    static Fixture load() {
      try (InputStream in = FocalStackSynthesisTest.class.getResourceAsStream("focal_synthesis_fixture.bin")) {
        assertThat(in).as("focal_synthesis_fixture.bin on the test class path").isNotNull();
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int t = b.getInt();
        int h = b.getInt();
        int w = b.getInt();
        double near = b.getDouble();
        double far = b.getDouble();
        double[] focus = new double[t];
        for (int i = 0; i < t; i++) {
          focus[i] = b.getDouble();
        }
        float[] rgb = floats(b, 3 * h * w);
        float[] depth = floats(b, h * w);
        float[] stack = floats(b, t * 3 * h * w);
        assertThat(b.remaining()).isZero();
        return new Fixture(t, h, w, near, far, focus, rgb, depth, stack);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    private static float[] floats(ByteBuffer b, int n) {
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = b.getFloat();
      }
      return values;
    }
  }
}
