package io.depthstream.depth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.ImageFileException.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DepthImagesTest {
  private static final Path FILE = Path.of("d.png");

  @Test
  void sixteenBitPngDecodesWithEachScale() {
    byte[] b = TestPngs.grey(16, 3, 2, 0, 1000, 5000, 65535, 256, 1);
    DepthMap m = DepthMap.allocate(3, 2);
    int[] scratch = new int[6];
    DepthImages.decodeScaledPng(b, FILE, 1000, scratch, m);
    assertThat(m.data()).containsExactly(0f, 1f, 5f, 65.535f, 0.256f, 0.001f);
    DepthImages.decodeScaledPng(b, FILE, 5000, scratch, m); // TUM: value / 5000
    assertThat(m.get(2, 0)).isEqualTo(1f);
    DepthImages.decodeScaledPng(b, FILE, 256, scratch, m); // KITTI depth completion: value / 256
    assertThat(m.get(1, 1)).isEqualTo(1f);
  }

  @Test
  void millimetreFastPathEqualsTheFloatPath() {
    int[] s = {0, 1, 2, 3, 4, 7, 4999, 5000, 5002, 65535};
    byte[] b = TestPngs.grey(16, 10, 1, s);
    byte[] le = new byte[20];
    try (Png.Decoder decoder = new Png.Decoder()) {
      DepthImages.decodeToMillimetres(b, FILE, DepthImages.millimetreTable(5000), decoder, le, 10, 1);
    }
    // TUM value v is v / 5 mm, rounded; a measurement never becomes 0 mm (1 -> 0.2 mm -> 1).
    int[] expected = {0, 1, 1, 1, 1, 1, 1000, 1000, 1000, 13107};
    for (int i = 0; i < 10; i++) {
      assertThat((le[2 * i] & 0xff) | (le[2 * i + 1] & 0xff) << 8).as("pixel %d", i).isEqualTo(expected[i]);
    }
  }

  @Test
  void maskMarksNonZeroSamplesValid() {
    byte[] b = TestPngs.grey(8, 3, 1, 0, 1, 255);
    boolean[] valid = new boolean[3];
    DepthImages.decodeMask(b, FILE, new int[3], valid, DepthMap.allocate(3, 1));
    assertThat(valid).containsExactly(false, true, true);
  }

  @Test
  void pfmRoundTripsBottomUpRows() {
    float[] v = {1f, 2f, Float.NaN, 4f, 0.5f, 6f};
    byte[] b = DepthImages.encodePfm(v, 3, 2);
    float[] out = new float[6];
    DepthImages.decodePfm(b, Path.of("x.pfm"), out, 3, 2);
    assertThat(out).containsExactly(v);
    // The first raster row on disk is the image's bottom row (PFM convention).
    int header = "Pf\n3 2\n-1.0\n".length();
    assertThat(ByteBuffer.wrap(b, header, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(4f);
    assertThatThrownBy(() -> DepthImages.decodePfm(Arrays.copyOf(b, b.length - 1), Path.of("x.pfm"), out, 3, 2))
        .isInstanceOfSatisfying(ImageFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TRUNCATED))
        .hasMessageContaining("x.pfm").hasMessageContaining("raster has");
  }

  @Test
  void wrongSizeAndWrongBitDepthNameTheFileAndTheProblem() {
    byte[] sixteen = TestPngs.grey(16, 3, 2, 1, 2, 3, 4, 5, 6);
    assertThatThrownBy(() -> DepthImages.decodeScaledPng(sixteen, FILE, 1000, new int[6], DepthMap.allocate(2, 2)))
        .isInstanceOfSatisfying(ImageFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_SIZE))
        .hasMessage("d.png: image is 3x2, the configured size is 2x2");
    byte[] eight = TestPngs.grey(8, 2, 2, 1, 2, 3, 4);
    assertThatThrownBy(() -> DepthImages.decodeScaledPng(eight, FILE, 1000, new int[4], DepthMap.allocate(2, 2)))
        .isInstanceOfSatisfying(ImageFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_FORMAT))
        .hasMessage("d.png: expected a 16-bit single-channel grey PNG, found 8-bit grey");
    assertThatThrownBy(() -> DepthImages.decodeMask(sixteen, FILE, new int[6], new boolean[6],
        DepthMap.allocate(3, 2)))
        .isInstanceOfSatisfying(ImageFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_FORMAT));
  }
}
