package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.connect.testing.SharedData;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.io.DepthEncoding;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFormatsTest {
  @TempDir Path dir;

  private Path png16(String name, int w, int h, int... samples) throws Exception {
    Path p = dir.resolve(name);
    DepthImageIO.writePng(p, new RawImage(w, h, samples, 65535));
    return p;
  }

  @Test
  void sixteenBitPngDecodesWithEachScale() throws Exception {
    Path p = png16("d.png", 3, 2, 0, 1000, 5000, 65535, 256, 1);
    byte[] b = Files.readAllBytes(p);
    DepthMap m = DepthMap.allocate(3, 2);
    int[] scratch = new int[6];
    DepthImages.decodeScaledPng(b, p, 1000, scratch, m);
    assertThat(m.data()).containsExactly(0f, 1f, 5f, 65.535f, 0.256f, 0.001f);
    DepthImages.decodeScaledPng(b, p, 5000, scratch, m); // TUM: value / 5000
    assertThat(m.get(2, 0)).isEqualTo(1f);
    DepthImages.decodeScaledPng(b, p, 256, scratch, m); // KITTI depth completion: value / 256
    assertThat(m.get(1, 1)).isEqualTo(1f);
  }

  @Test
  void millimetreFastPathEqualsTheFloatPath() throws Exception {
    int[] s = {0, 1, 2, 3, 4, 7, 4999, 5000, 5002, 65535};
    Path p = png16("t.png", 10, 1, s);
    byte[] b = Files.readAllBytes(p);
    byte[] le = new byte[20];
    DepthImages.decodeToMillimetres(b, p, DepthImages.millimetreTable(5000), new Png.Decoder(), le, 10, 1);
    // TUM value v is v / 5 mm, rounded; a measurement never becomes 0 mm (1 -> 0.2 mm -> 1).
    int[] expected = {0, 1, 1, 1, 1, 1, 1000, 1000, 1000, 13107};
    for (int i = 0; i < 10; i++) {
      assertThat((le[2 * i] & 0xff) | (le[2 * i + 1] & 0xff) << 8).as("pixel %d", i).isEqualTo(expected[i]);
    }
  }

  /**
   * Every PNG filter type (spec 9.2: None, Sub, Up, Average, Paeth), 8- and 16-bit, undone by our decoder:
   * rows are filtered here by the spec's forward formulas, so the decoder's shortcuts for the first row and the
   * first pixel of a row are checked against the definition.
   */
  @Test
  void everyFilterTypeRoundTripsAt8And16Bits() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int bits : new int[] {8, 16}) {
      for (int filter = 0; filter <= 4; filter++) {
        int w = 7;
        int h = 5;
        int[] samples = new int[w * h];
        for (int i = 0; i < samples.length; i++) {
          samples[i] = rng.nextInt(bits == 8 ? 256 : 65536);
        }
        byte[] png = filteredPng(samples, w, h, bits, filter);
        int[] out = new int[w * h];
        Png.decodeGrey(png, Path.of("f" + filter + ".png"), bits, out);
        assertThat(out).as("%d-bit, filter %d", bits, filter).isEqualTo(samples);
      }
    }
  }

  /** A grey PNG whose every row uses {@code filter}, encoded by the spec's forward filter definitions. */
  private static byte[] filteredPng(int[] samples, int w, int h, int bits, int filter) {
    int bpp = bits / 8;
    int stride = w * bpp;
    byte[][] rows = new byte[h][stride];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = samples[y * w + x];
        if (bpp == 2) {
          rows[y][2 * x] = (byte) (v >>> 8);
          rows[y][2 * x + 1] = (byte) v;
        } else {
          rows[y][x] = (byte) v;
        }
      }
    }
    byte[] filtered = new byte[(stride + 1) * h];
    for (int y = 0; y < h; y++) {
      filtered[y * (stride + 1)] = (byte) filter;
      for (int i = 0; i < stride; i++) {
        int a = i >= bpp ? rows[y][i - bpp] & 0xff : 0;
        int b = y > 0 ? rows[y - 1][i] & 0xff : 0;
        int c = i >= bpp && y > 0 ? rows[y - 1][i - bpp] & 0xff : 0;
        int pred = switch (filter) {
          case 0 -> 0;
          case 1 -> a;
          case 2 -> b;
          case 3 -> (a + b) / 2;
          default -> {
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          }
        };
        filtered[y * (stride + 1) + 1 + i] = (byte) ((rows[y][i] & 0xff) - pred);
      }
    }
    java.util.zip.Deflater deflater = new java.util.zip.Deflater();
    deflater.setInput(filtered);
    deflater.finish();
    byte[] z = new byte[filtered.length * 2 + 64];
    int zlen = deflater.deflate(z);
    deflater.end();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bits).put((byte) 0)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", Arrays.copyOf(z, zlen));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    out.writeBytes(b.array());
  }

  @Test
  void wrongBitDepthWrongSizeAndTruncationNameTheFile() throws Exception {
    Path eight = dir.resolve("eight.png");
    DepthImageIO.writePng(eight, new RawImage(2, 2, new int[] {1, 2, 3, 4}, 255));
    DepthMap m = DepthMap.allocate(2, 2);
    assertThatThrownBy(() -> DepthImages.decodeScaledPng(Files.readAllBytes(eight), eight, 1000, new int[4], m))
        .isInstanceOf(BadFileException.class).hasMessageContaining("eight.png")
        .hasMessageContaining("expected a 16-bit single-channel grey PNG, found 8-bit grey");
    Path p = png16("big.png", 3, 2, 1, 2, 3, 4, 5, 6);
    byte[] b = Files.readAllBytes(p);
    assertThatThrownBy(() -> DepthImages.decodeScaledPng(b, p, 1000, new int[6], m))
        .hasMessageContaining("image is 3x2, the connector is configured for 2x2");
    DepthMap ok = DepthMap.allocate(3, 2);
    assertThatThrownBy(() -> DepthImages.decodeScaledPng(Arrays.copyOf(b, b.length - 20), p, 1000, new int[6], ok))
        .isInstanceOf(BadFileException.class).hasMessageContaining("big.png");
    byte[] flipped = b.clone();
    flipped[40] ^= 0x55; // inside IDAT: the CRC check catches it
    assertThatThrownBy(() -> DepthImages.decodeScaledPng(flipped, p, 1000, new int[6], ok))
        .hasMessageContaining("CRC");
  }

  @Test
  void pfmRoundTripsBottomUpRows() throws Exception {
    float[] v = {1f, 2f, Float.NaN, 4f, 0.5f, 6f};
    byte[] b = DepthImages.encodePfm(v, 3, 2);
    float[] out = new float[6];
    DepthImages.decodePfm(b, dir.resolve("x.pfm"), out, 3, 2);
    assertThat(out).containsExactly(v);
    // The first raster row on disk is the image's bottom row (PFM convention).
    int header = "Pf\n3 2\n-1.0\n".length();
    assertThat(java.nio.ByteBuffer.wrap(b, header, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat())
        .isEqualTo(4f);
    assertThatThrownBy(() -> DepthImages.decodePfm(Arrays.copyOf(b, b.length - 1), dir.resolve("x.pfm"), out, 3, 2))
        .hasMessageContaining("x.pfm").hasMessageContaining("raster has");
  }

  @Test
  void realTumDepthDecodesLikeTheLibraryReader() throws Exception {
    Path p = SharedData.require("tum_rgbd/TUM_depth.png");
    DepthMap fast = DepthMap.allocate(640, 480);
    DepthImages.decodeScaledPng(Files.readAllBytes(p), p, 5000, new int[640 * 480], fast);
    DepthMap reference = DepthEncoding.TUM.decode(DepthImageIO.readPng(p));
    assertThat(fast.data()).containsExactly(reference.data());
    // MANIFEST: 19.2% missing, 1.46-9.33 m.
    assertThat(1.0 - fast.validCount() / (640.0 * 480)).isBetween(0.19, 0.195);
  }

  @Test
  void realKittiDepthCompletionPngIsSparseInput() throws Exception {
    Path p = SharedData.require("kitti_object_000008/derived/000008_sparse_depth_x256.png");
    DepthMap m = DepthMap.allocate(1242, 375);
    DepthImages.decodeScaledPng(Files.readAllBytes(p), p, 256, new int[1242 * 375], m);
    assertThat(m.validCount()).isEqualTo(17_144);
  }
}
