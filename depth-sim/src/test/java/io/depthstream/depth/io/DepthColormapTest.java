package io.depthstream.depth.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepthColormapTest {
  @TempDir
  Path tmp;

  @Test
  void turboEndpointsMatchThePolynomial() {
    // x = 0: r = 0.13572138, g = 0.09140261, b = 0.10667330 -> round(*255) = 35, 23, 27
    assertThat(DepthColormap.turbo(0.0)).isEqualTo((35 << 16) | (23 << 8) | 27);
    // x = 1: r = sum of red coeffs = 0.13572138+4.6153926-42.66032258+132.13108234-152.94239396+59.28637943
    //          = 0.56585921 -> 144.29 -> 144; g = 0.09140261+2.19418839+4.84296658-14.18503333+4.27729857
    //          +2.82956604 = 0.05038886 -> 12.85 -> 13; b = 0.1066733+12.64194608-60.58204836+110.36276771
    //          -89.90310912+27.34824973 = -0.02552066 -> clamped 0  (Turbo's dark-red end)
    assertThat(DepthColormap.turbo(1.0)).isEqualTo((144 << 16) | (13 << 8));
    // x = 0.5: r = 0.13572138+2.3076963-10.66508065+16.51638529-9.55889962+1.85269936 = 0.58852206 -> 150
    //          g = 0.09140261+1.0970942+1.21074165-1.77312917+0.26733116+0.08842394 = 0.98186439 -> 250
    //          b = 0.1066733+6.32097304-15.14551209+13.79534596-5.61894432+0.85463280 = 0.31316869 -> 80
    //          (the yellow-green middle). turbo() reads a 256-entry table, so 0.5 lands on entry 128 = 128/255.
    assertThat(DepthColormap.turboPolynomial(0.5)).isEqualTo((150 << 16) | (250 << 8) | 80);
    assertThat(DepthColormap.turbo(0.5)).isEqualTo(DepthColormap.turboPolynomial(128 / 255.0));
    assertThat(DepthColormap.turbo(-3)).isEqualTo(DepthColormap.turbo(0));
  }

  @Test
  void invalidPixelsAreBlackAndRangeIsClamped() {
    DepthMap m = DepthMap.wrap(4, 1, new float[] {0f, 1f, 2f, 10f});
    BufferedImage img = DepthColormap.render(m, new ColorRange(1f, 2f));
    assertThat(img.getRGB(0, 0) & 0xffffff).isZero();
    assertThat(img.getRGB(1, 0) & 0xffffff).isEqualTo(DepthColormap.turbo(0));
    assertThat(img.getRGB(2, 0) & 0xffffff).isEqualTo(DepthColormap.turbo(1));
    assertThat(img.getRGB(3, 0) & 0xffffff).isEqualTo(DepthColormap.turbo(1));
  }

  @Test
  void autoRangeUsesRobustPercentilesOfValidPixels() {
    // 101 valid values 1..101 plus zeros: nearest-rank 2% of (n-1)=100 -> index 2 -> 3; 98% -> index 98 -> 99.
    float[] d = new float[120];
    for (int i = 0; i < 101; i++) {
      d[i] = i + 1;
    }
    ColorRange r = DepthColormap.autoRange(DepthMap.wrap(120, 1, d));
    assertThat(r.min()).isEqualTo(3f);
    assertThat(r.max()).isEqualTo(99f);
    assertThatThrownBy(() -> DepthColormap.autoRange(DepthMap.allocate(3, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no valid");
  }

  @Test
  void panelPutsMapsSideBySideScaledToTheTallest() throws IOException {
    DepthMap gt = DepthMap.wrap(4, 4, new float[] {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4});
    DepthMap low = DepthMap.wrap(2, 2, new float[] {1, 3, 1, 0});
    DepthMap out = gt.copy();
    out.set(0, 0, 2f);
    Path f = tmp.resolve("panel.png");
    new DepthPanel().range(new ColorRange(1f, 4f)).add("GT", gt).add("in", low).add("out", out)
        .addError("err", out, gt).write(f);
    BufferedImage img = ImageIO.read(f.toFile());
    // 4 panels of 4 px (the 2x2 input scaled to 4x4) plus 3 gaps of 4 px; 22-px label strip on top.
    assertThat(img.getWidth()).isEqualTo(4 * 4 + 3 * 4);
    assertThat(img.getHeight()).isEqualTo(22 + 4);
    // GT pixel (3, 0) = 4 -> top of range
    assertThat(img.getRGB(3, 22) & 0xffffff).isEqualTo(DepthColormap.turbo(1));
    // input (1,1)=0 covers panel pixels (2..3, 2..3) of panel 2 starting at x = 8: black
    assertThat(img.getRGB(8 + 3, 22 + 3) & 0xffffff).isZero();
    // error panel starts at x = 24: error 1 at (0,0) is its own max -> top colour; 0 elsewhere -> bottom colour
    assertThat(img.getRGB(24, 22) & 0xffffff).isEqualTo(DepthColormap.turbo(1));
    assertThat(img.getRGB(25, 22) & 0xffffff).isEqualTo(DepthColormap.turbo(0));
  }
}
