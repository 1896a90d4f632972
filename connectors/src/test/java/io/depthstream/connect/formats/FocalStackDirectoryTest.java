package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's image names, found hostile by FileReaderCorpusTest. */
class FocalStackDirectoryTest {
  @TempDir Path root;
  private Path stack;

  @BeforeEach
  void twoImageStack() throws Exception {
    stack = Files.createDirectories(root.resolve("stack"));
    DepthImageIO.writePng(stack.resolve("a.png"), new RawImage(2, 1, new int[] {1, 2}, 255));
    DepthImageIO.writePng(stack.resolve("b.png"), new RawImage(2, 1, new int[] {3, 4}, 255));
    DepthImageIO.writePng(root.resolve("outside.png"), new RawImage(2, 1, new int[] {5, 6}, 255));
  }

  private DeadLetterReason reasonFor(String sidecar) throws Exception {
    Files.writeString(stack.resolve(FocalStackDirectory.SIDECAR), sidecar);
    try {
      FocalStackDirectory.read(stack);
      return null;
    } catch (BadFileException e) {
      assertThat(e.getMessage()).contains(FocalStackDirectory.SIDECAR);
      return e.reason();
    }
  }

  @Test
  void aValidSidecarReadsItsImagesInOrder() throws Exception {
    Files.writeString(stack.resolve(FocalStackDirectory.SIDECAR), "b.png 2\na.png 0.5\n");
    assertThat(FocalStackDirectory.read(stack).slices()).extracting(FocalStackDirectory.Slice::focusDistanceM)
        .containsExactly(2f, 0.5f);
  }

  @Test
  void anImageOutsideTheStackDirectoryIsRejected() throws Exception {
    // ../outside.png was read into the stack; /dev/zero was read without end (OutOfMemoryError).
    assertThat(reasonFor("a.png 1\nb.png 2\n../outside.png 3\n")).isEqualTo(DeadLetterReason.CORRUPT_FILE);
    assertThat(reasonFor("a.png 1\nb.png 2\n/dev/zero 3\n")).isEqualTo(DeadLetterReason.CORRUPT_FILE);
    assertThat(reasonFor("a.png 1\nb.png 2\n. 3\n")).isEqualTo(DeadLetterReason.CORRUPT_FILE);
  }

  @Test
  void anImageNameWithANulCharacterIsCorruptNotAnInvalidPathException() throws Exception {
    // It escaped as java.nio.file.InvalidPathException.
    assertThat(reasonFor("a.png 1\nb.png 2\nc\u0000.png 3\n")).isEqualTo(DeadLetterReason.CORRUPT_FILE);
  }

  @Test
  void aSidecarThatIsNotUtf8IsCorruptNotUnreadable() throws Exception {
    Files.write(stack.resolve(FocalStackDirectory.SIDECAR), new byte[] {'a', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> FocalStackDirectory.read(stack))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CORRUPT_FILE));
  }

  @Test
  void anImageWhosePngBodyIsCutShortOrCorruptIsABadFile() throws Exception {
    // Found by FileReaderCorpusTest: only the PNG header was read, so a truncated or corrupt body passed the
    // connector and reached the node, which dead-lettered the whole stack as CORRUPT_BYTES.
    Files.writeString(stack.resolve(FocalStackDirectory.SIDECAR), "a.png 1\nb.png 2\n");
    byte[] png = Files.readAllBytes(stack.resolve("a.png"));
    Files.write(stack.resolve("a.png"), java.util.Arrays.copyOf(png, png.length - 20)); // into IDAT
    assertThatThrownBy(() -> FocalStackDirectory.read(stack))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isIn(DeadLetterReason.TRUNCATED_FILE))
        .hasMessageContaining("a.png");
    byte[] flipped = png.clone();
    flipped[png.length - 20] ^= 0x10; // inside IDAT: its CRC no longer matches
    Files.write(stack.resolve("a.png"), flipped);
    assertThatThrownBy(() -> FocalStackDirectory.read(stack))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CORRUPT_FILE))
        .hasMessageContaining("a.png");
  }

  @Test
  void rgbAndInterlacedPngsPassTheWholeFileCheck() throws Exception {
    java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(7, 5, java.awt.image.BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(3, 2, 0x123456);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(rgb, "png", out);
    Png.Header h = Png.verify(out.toByteArray(), root.resolve("rgb.png"));
    assertThat(h.channels()).isEqualTo(3);
    // An interlaced (Adam7) grey PNG written by hand: 2x2, passes 1, 6 and 7 (others empty for this size).
    assertThat(Png.verify(adam7Gray2x2(), root.resolve("i.png")).interlaced()).isTrue();
  }

  /** A 2x2 8-bit grey Adam7 PNG: pass 1 = pixel (0,0), pass 6 = (1,0), pass 7 = row 1; each row has a filter byte. */
  private static byte[] adam7Gray2x2() {
    byte[] raw = {0, 10, 0, 20, 0, 30, 40};
    java.util.zip.Deflater deflater = new java.util.zip.Deflater();
    deflater.setInput(raw);
    deflater.finish();
    byte[] idat = new byte[64];
    int n = deflater.deflate(idat);
    deflater.end();
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    // IHDR: width, height, bit depth 8, colour type 0 (grey), compression 0, filter 0, interlace 1 (Adam7)
    chunk(png, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(2).putInt(2).put((byte) 8).put((byte) 0)
        .put((byte) 0).put((byte) 0).put((byte) 1).array());
    chunk(png, "IDAT", java.util.Arrays.copyOf(idat, n));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b.array(), 4, 4 + data.length);
    b.putInt((int) crc.getValue());
    out.writeBytes(b.array());
  }
}
