package io.depthstream.depth.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepthImageIOTest {
  @TempDir
  Path tmp;

  @Test
  void sixteenBitPngRoundTripsExactSamples() throws IOException {
    RawImage img = new RawImage(3, 2, new int[] {0, 1, 256, 40000, 65535, 12345}, 65535);
    Path f = tmp.resolve("d.png");
    DepthImageIO.writePng(f, img);
    RawImage back = DepthImageIO.read(f);
    assertThat(back.width()).isEqualTo(3);
    assertThat(back.height()).isEqualTo(2);
    assertThat(back.maxValue()).isEqualTo(65535);
    assertThat(back.samples()).containsExactly(0, 1, 256, 40000, 65535, 12345);
  }

  @Test
  void eightBitPngRoundTrips() throws IOException {
    Path f = tmp.resolve("d8.png");
    DepthImageIO.writePng(f, new RawImage(2, 2, new int[] {0, 7, 128, 255}, 255));
    RawImage back = DepthImageIO.readPng(f);
    assertThat(back.maxValue()).isEqualTo(255);
    assertThat(back.samples()).containsExactly(0, 7, 128, 255);
  }

  @Test
  void colourPngIsRejectedNamingTheFileAndItsFormat() throws IOException {
    Path f = tmp.resolve("rgb.png");
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
        "png", f.toFile());
    assertThatThrownBy(() -> DepthImageIO.read(f)).isInstanceOf(IOException.class)
        .hasMessage(f + ": expected a single-channel (grey) 8- or 16-bit PNG, found 8-bit RGB");
  }

  @Test
  void pgmSixteenBitHonoursTheGivenByteOrder() throws IOException {
    // Header with a comment, then two samples written by hand: bytes 0x01 0x02, 0xff 0x07.
    Path f = tmp.resolve("le.pgm");
    byte[] header = "P5\n# comment\n2 1\n65535\n".getBytes(StandardCharsets.US_ASCII);
    byte[] body = {0x01, 0x02, (byte) 0xff, 0x07};
    byte[] all = new byte[header.length + body.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(body, 0, all, header.length, body.length);
    Files.write(f, all);
    // big-endian: 0x0102 = 258, 0xff07 = 65287; little-endian: 0x0201 = 513, 0x07ff = 2047
    assertThat(DepthImageIO.readPgm(f, ByteOrder.BIG_ENDIAN).samples()).containsExactly(258, 65287);
    assertThat(DepthImageIO.readPgm(f, ByteOrder.LITTLE_ENDIAN).samples()).containsExactly(513, 2047);
  }

  @Test
  void pgmWriteThenReadInBothOrdersAndEightBit() throws IOException {
    RawImage img = new RawImage(2, 2, new int[] {0, 2047, 300, 65535}, 65535);
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      Path f = tmp.resolve("x" + order + ".pgm");
      DepthImageIO.writePgm(f, img, order);
      assertThat(DepthImageIO.read(f, order).samples()).containsExactly(0, 2047, 300, 65535);
    }
    Path f8 = tmp.resolve("x8.pgm");
    DepthImageIO.writePgm(f8, new RawImage(3, 1, new int[] {0, 64, 255}, 255), ByteOrder.BIG_ENDIAN);
    assertThat(Files.size(f8)).isEqualTo("P5\n3 1\n255\n".length() + 3);
    assertThat(DepthImageIO.read(f8).samples()).containsExactly(0, 64, 255);
  }

  @Test
  void truncatedPgmAndUnknownFilesAreRejected() throws IOException {
    Path f = tmp.resolve("short.pgm");
    Files.write(f, "P5 4 4 255\n\u0001\u0002".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> DepthImageIO.read(f)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    Path g = tmp.resolve("x.txt");
    Files.writeString(g, "hello");
    assertThatThrownBy(() -> DepthImageIO.read(g)).isInstanceOf(IOException.class).hasMessageContaining("not a PNG");
  }

  @Test
  void encodingsDecodeDocumentedFormulas() {
    RawImage raw = new RawImage(4, 1, new int[] {0, 256, 5000, 65535}, 65535);
    // KITTI: v/256 -> 0, 1, 19.53125, 255.99609375
    assertThat(DepthEncoding.KITTI.decode(raw).data()).containsExactly(0f, 1f, 19.53125f, 65535f / 256f);
    // TUM: v/5000 -> 0, 0.0512, 1, 13.107
    assertThat(DepthEncoding.TUM.decode(raw).data()).containsExactly(0f, 256f / 5000f, 1f, 65535f / 5000f);
    // SUN: 1500 mm stored rotated left by 3: (1500 << 3) | (1500 >> 13) = 12000 | 0 = 12000
    //       d = (12000 >> 3) | (12000 << 13) & 0xffff = 1500 | (98304000 & 0xffff = 0) = 1500 -> 1.5 m
    //       and 0xE001 = 57345: (57345 >> 3) = 7168, (57345 << 13) & 0xffff = 0x2000 = 8192 -> 15360 mm
    RawImage sun = new RawImage(3, 1, new int[] {0, 12000, 57345}, 65535);
    assertThat(DepthEncoding.SUN_RGBD.decode(sun).data()).containsExactly(0f, 1.5f, 15.36f);
    // NYU: 2047 invalid; raw 741 -> 351.3 / (1092.5 - 741) = 351.3 / 351.5 = 0.999431 m; raw 1100 invalid
    RawImage nyu = new RawImage(3, 1, new int[] {2047, 741, 1100}, 65535);
    float[] n = DepthEncoding.NYU_RAW.decode(nyu).data();
    assertThat(n[0]).isZero();
    assertThat(n[1]).isCloseTo((float) (351.3 / 351.5), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(n[2]).isZero();
    // Middlebury: values kept as they are
    RawImage mb = new RawImage(2, 1, new int[] {0, 200}, 255);
    assertThat(DepthEncoding.MIDDLEBURY_DISPARITY.decode(mb).data()).containsExactly(0f, 200f);
  }

  @Test
  void encodingsRoundTrip() {
    DepthMap m = DepthMap.wrap(3, 1, new float[] {0f, 1.5f, 4.25f});
    for (DepthEncoding e : new DepthEncoding[] {DepthEncoding.KITTI, DepthEncoding.TUM, DepthEncoding.SUN_RGBD,
        DepthEncoding.MILLIMETRES}) {
      assertThat(e.decode(e.encode(m)).data()).as(e.name()).containsExactly(0f, 1.5f, 4.25f);
    }
    RawImage nyu = DepthEncoding.NYU_RAW.encode(m);
    assertThat(nyu.samples()[0]).isEqualTo(2047);
    // 1092.5 - 351.3/1.5 = 858.3 -> 858; back: 351.3/234.5 = 1.49808
    assertThat(nyu.samples()[1]).isEqualTo(858);
    assertThatThrownBy(() -> DepthEncoding.TUM.encode(DepthMap.wrap(1, 1, new float[] {-1f})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid value");
    assertThatThrownBy(() -> DepthEncoding.TUM.encode(DepthMap.wrap(1, 1, new float[] {20f})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
  }

  @Test
  void directoryLoaderReadsTinyFilesItWrote() throws IOException {
    DepthImageIO.writePng(tmp.resolve("a.png"), new RawImage(2, 1, new int[] {0, 2560}, 65535));
    DepthImageIO.writePng(tmp.resolve("b.png"), new RawImage(2, 1, new int[] {512, 256}, 65535));
    Files.writeString(tmp.resolve("notes.txt"), "ignored");
    DepthDataset ds = DatasetReader.loadDirectory(tmp, "*.png", DepthEncoding.KITTI, ByteOrder.BIG_ENDIAN, 80f);
    assertThat(ds.samples()).extracting(DepthSample::id).containsExactly("a", "b");
    assertThat(ds.sample("a").depth().data()).containsExactly(0f, 10f);
    assertThat(ds.sample("b").depth().data()).containsExactly(2f, 1f);
    assertThat(ds.units()).isEqualTo("m");
  }

  @Test
  void readsGreyBmpsOfEightAndTwentyFourBitsAndRefusesColour(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // 7 columns: 8-bit rows pad to 8 bytes, 24-bit rows to 24; values differ per pixel so row order shows.
    int w = 7;
    int h = 3;
    java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(w, h,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    java.awt.image.BufferedImage bgr = new java.awt.image.BufferedImage(w, h,
        java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    int[] expected = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 10 * y + 30 * x;
        expected[y * w + x] = v;
        grey.getRaster().setSample(x, y, 0, v);
        bgr.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    Path g8 = dir.resolve("g8.bmp");
    Path g24 = dir.resolve("g24.bmp");
    org.assertj.core.api.Assertions.assertThat(javax.imageio.ImageIO.write(grey, "bmp", g8.toFile())).isTrue();
    org.assertj.core.api.Assertions.assertThat(javax.imageio.ImageIO.write(bgr, "bmp", g24.toFile())).isTrue();
    org.assertj.core.api.Assertions.assertThat(DepthImageIO.read(g8).samples()).containsExactly(expected);
    org.assertj.core.api.Assertions.assertThat(DepthImageIO.read(g24).samples()).containsExactly(expected);
    bgr.setRGB(2, 1, 0xff0000);
    Path colour = dir.resolve("colour.bmp");
    javax.imageio.ImageIO.write(bgr, "bmp", colour.toFile());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DepthImageIO.read(colour))
        .hasMessageContaining("pixel (2, 1) is colour (255, 0, 0)");
  }
}
