package io.depthstream.depth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.depthstream.depth.image.ImageFileException.Problem;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The one PNG decoder against the spec's definitions and against {@code javax.imageio} (read here, in test code
 * only): every filter type, every colour type and bit depth, interlaced or not, and every PNG of the sample data.
 */
class PngTest {
  private static final int W = 13; // odd sizes: Adam7 passes with partial blocks, rows not a whole number of bytes
  private static final int H = 7;

  @Test
  void everyFilterTypeRoundTripsAt8And16Bits() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int bits : new int[] {8, 16}) {
      for (int filter = 0; filter <= 4; filter++) {
        int w = 7;
        int h = 5;
        int[] samples = new int[w * h];
        for (int i = 0; i < samples.length; i++) {
          samples[i] = rng.nextInt(bits == 8 ? 256 : 65536);
        }
        byte[] png = TestPngs.filteredGrey(samples, w, h, bits, filter);
        int[] out = new int[w * h];
        Png.decodeGrey(png, Path.of("f" + filter + ".png"), bits, out);
        assertThat(out).as("%d-bit, filter %d", bits, filter).isEqualTo(samples);
        try (Png.Decoder decoder = new Png.Decoder()) {
          decoder.decodeSamples(png, Path.of("f" + filter + ".png"));
          assertThat(Arrays.copyOf(decoder.samples(), w * h)).as("%d-bit, filter %d, any-format path", bits, filter)
              .isEqualTo(samples);
        }
      }
    }
  }

  @Test
  void everyColourTypeAndBitDepthDecodesLikeImageIOInterlacedOrNot() throws IOException {
    SplittableRandom rng = new SplittableRandom(12);
    List<BufferedImage> images = List.of(
        random(new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY), rng),
        random(new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY), rng),
        random(new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR), rng),
        random(new BufferedImage(W, H, BufferedImage.TYPE_4BYTE_ABGR), rng),
        random(new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED), rng),
        random(new BufferedImage(W, H, BufferedImage.TYPE_BYTE_BINARY), rng), // 1-bit
        random(packed(2, ramp(4), ramp(4), ramp(4)), rng), // 2-bit grey
        random(packed(2, new byte[] {10, 0, 0, 90}, new byte[] {0, 20, 0, 80}, new byte[4]), rng), // 2-bit palette
        random(packed(1, new byte[] {40, 0}, new byte[] {0, 60}, new byte[2]), rng), // 1-bit palette
        random(packed(4, ramp(16), ramp(16), ramp(16)), rng), // 4-bit grey
        random(packed(4, ramp(16), new byte[16], new byte[16]), rng), // 4-bit palette
        random(component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_BYTE), rng),
        random(component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_USHORT), rng),
        random(component(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_USHORT), rng),
        random(component(ColorSpace.CS_sRGB, true, DataBuffer.TYPE_USHORT), rng));
    long seen = 0;
    for (BufferedImage image : images) {
      for (boolean interlaced : new boolean[] {false, true}) {
        byte[] png = TestPngs.write(image, interlaced);
        Png.Header h = Png.header(png, Path.of("test.png"));
        assertThat(h.interlaced()).isEqualTo(interlaced);
        assertDecodesLikeImageIO(png, h.describe() + (interlaced ? ", interlaced" : ""));
        seen |= 1L << (h.colorType() * 5 + Integer.numberOfTrailingZeros(h.bitDepth()));
      }
    }
    // Every colour type and bit depth the spec allows was among them (ImageIO picks the colour type it writes).
    int[][] allowed = {{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1}, {3, 2}, {3, 4}, {3, 8}, {4, 8},
        {4, 16}, {6, 8}, {6, 16}};
    for (int[] a : allowed) {
      assertThat(seen & 1L << (a[0] * 5 + Integer.numberOfTrailingZeros(a[1])))
          .as("colour type %d at %d bits was tested", a[0], a[1]).isNotZero();
    }
  }

  @Test
  void everyPngOfTheSampleDataDecodesLikeImageIO() throws IOException {
    Path data = sharedData();
    List<Path> pngs;
    try (Stream<Path> files = Files.walk(data)) {
      pngs = files.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png"))
          .sorted().toList();
    }
    assertThat(pngs).hasSizeGreaterThanOrEqualTo(10);
    for (Path p : pngs) {
      assertDecodesLikeImageIO(Files.readAllBytes(p), p.toString());
    }
  }

  @Test
  void rgbAndInterlacedPngsPassTheWholeFileCheck() {
    BufferedImage rgb = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(3, 2, 0x123456);
    Png.Header h = Png.verify(TestPngs.write(rgb, false), Path.of("rgb.png"));
    assertThat(h.channels()).isEqualTo(3);
    // An interlaced (Adam7) grey PNG written by hand: 2x2, passes 1, 6 and 7 (others empty for this size).
    byte[] adam7 = TestPngs.assemble(2, 2, 8, 0, true, new byte[] {0, 10, 0, 20, 0, 30, 40}, null);
    assertThat(Png.verify(adam7, Path.of("i.png")).interlaced()).isTrue();
    try (Png.Decoder decoder = new Png.Decoder()) {
      decoder.decodeSamples(adam7, Path.of("i.png"));
      assertThat(Arrays.copyOf(decoder.samples(), 4)).containsExactly(10, 20, 30, 40);
    }
  }

  @Test
  void paletteProblemsBadBitDepthsAndTruncationAreNamedWithTheFile() {
    Path file = Path.of("bad.png");
    byte[] noPalette = TestPngs.assemble(2, 1, 8, 3, false, new byte[] {0, 0, 1}, null);
    assertProblem(noPalette, file, Problem.CORRUPT, "palette PNG without a PLTE chunk");
    byte[] beyond = TestPngs.assemble(2, 1, 8, 3, false, new byte[] {0, 0, 5}, new byte[] {1, 2, 3, 4, 5, 6});
    assertProblem(beyond, file, Problem.CORRUPT, "palette index 5 lies beyond the 2 PLTE entries");
    byte[] fourBitRgb = TestPngs.assemble(2, 1, 4, 2, false, new byte[] {0, 0, 0, 0}, null);
    assertProblem(fourBitRgb, file, Problem.CORRUPT, "PNG bit depth 4 is invalid for colour type 2");
    byte[] grey = TestPngs.grey(8, 4, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertProblem(Arrays.copyOf(grey, grey.length - 20), file, Problem.TRUNCATED, "bad.png");
    byte[] flipped = grey.clone();
    flipped[40] ^= 0x55;
    assertProblem(flipped, file, Problem.CORRUPT, "CRC");
    assertThatThrownBy(() -> Png.decodeGrey(grey, file, 16, new int[12]))
        .isInstanceOfSatisfying(ImageFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.WRONG_FORMAT))
        .hasMessage("bad.png: expected a 16-bit single-channel grey PNG, found 8-bit grey");
  }

  private static void assertProblem(byte[] png, Path file, Problem problem, String text) {
    assertThatThrownBy(() -> {
      try (Png.Decoder decoder = new Png.Decoder()) {
        decoder.decodeSamples(png, file);
      }
    }).isInstanceOfSatisfying(ImageFileException.class, e -> {
      assertThat(e.problem()).isEqualTo(problem);
      assertThat(e.file()).isEqualTo(file);
    }).hasMessageStartingWith("bad.png: ").hasMessageContaining(text);
  }

  /**
   * The decoder's samples equal ImageIO's: the raster's stored samples, or for a palette image the colours
   * ImageIO's colour model gives.
   */
  private static void assertDecodesLikeImageIO(byte[] png, String what) throws IOException {
    BufferedImage reference = ImageIO.read(new ByteArrayInputStream(png));
    try (Png.Decoder decoder = new Png.Decoder()) {
      Png.Header h = decoder.decodeSamples(png, Path.of(what));
      assertThat(new int[] {h.width(), h.height()}).as(what)
          .containsExactly(reference.getWidth(), reference.getHeight());
      int pixels = h.width() * h.height();
      int[] decoded = Arrays.copyOf(decoder.samples(), pixels * h.sampleChannels());
      int[] expected;
      if (h.colorType() == 3) {
        int[] argb = reference.getRGB(0, 0, h.width(), h.height(), null, 0, h.width());
        expected = new int[3 * pixels];
        for (int i = 0; i < pixels; i++) {
          expected[3 * i] = (argb[i] >>> 16) & 0xff;
          expected[3 * i + 1] = (argb[i] >>> 8) & 0xff;
          expected[3 * i + 2] = argb[i] & 0xff;
        }
      } else {
        expected = reference.getRaster().getPixels(0, 0, h.width(), h.height(), (int[]) null);
      }
      assertThat(decoded).as(what).isEqualTo(expected);
      assertThat(Arrays.stream(decoded).max().orElse(0)).as(what).isLessThanOrEqualTo(h.maxSample());
    }
  }

  private static BufferedImage random(BufferedImage image, SplittableRandom rng) {
    WritableRaster r = image.getRaster();
    for (int b = 0; b < r.getNumBands(); b++) {
      int max = (1 << r.getSampleModel().getSampleSize(b)) - 1;
      for (int y = 0; y < r.getHeight(); y++) {
        for (int x = 0; x < r.getWidth(); x++) {
          r.setSample(x, y, b, rng.nextInt(max + 1));
        }
      }
    }
    return image;
  }

  /** A packed 1-, 2- or 4-bit image with the given palette (grey when the three are equal). */
  private static BufferedImage packed(int bits, byte[] reds, byte[] greens, byte[] blues) {
    return new BufferedImage(W, H, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(bits, reds.length, reds, greens, blues));
  }

  private static byte[] ramp(int n) {
    byte[] r = new byte[n];
    for (int i = 0; i < n; i++) {
      r[i] = (byte) (i * 255 / (n - 1));
    }
    return r;
  }

  private static BufferedImage component(int colorSpace, boolean alpha, int transferType) {
    ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(colorSpace), alpha, false,
        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transferType);
    return new BufferedImage(cm, cm.createCompatibleWritableRaster(W, H), false, null);
  }

  /** {@code shared/data} beside the checkout; the test is skipped, saying so, when it is absent. */
  private static Path sharedData() {
    String root = System.getProperty("depthstream.root", "..");
    for (Path p : new Path[] {Path.of(root, "..", "shared", "data"), Path.of("..", "..", "shared", "data")}) {
      if (Files.isDirectory(p)) {
        return p.normalize();
      }
    }
    assumeTrue(false, "shared/data is absent beside the checkout: the sample-data pixel-identity test is skipped");
    return null;
  }
}
