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
  @TempDir
  Path root;
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
}
