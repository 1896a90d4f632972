package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.connect.formats.FileReaders.Reader;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connectors' readers on a committed corpus: every valid file read as valid, every truncation of it, and named
 * hostile files with their outcome pinned in {@link #EXPECTED} ("OK" or the {@link DeadLetterReason}),
 * the one table to edit when a reader's rules change.
 */
class FileReaderCorpusTest {
  private static final FileReaders.Tally TALLY =
      new FileReaders.Tally("file readers: corpus (valid, truncations, named)");

  @TempDir
  Path dir;

  /** A named hostile file: the reader, its bytes, the expected outcome. */
  record Case(Reader reader, Supplier<byte[]> bytes, String expected) {}

  static final Map<String, Case> EXPECTED = new LinkedHashMap<>();

  private static void pin(String name, Reader reader, String content, String expected) {
    pin(name, reader, () -> content.getBytes(StandardCharsets.UTF_8), expected);
  }

  private static void pin(String name, Reader reader, Supplier<byte[]> bytes, String expected) {
    if (EXPECTED.put(name, new Case(reader, bytes, expected)) != null) {
      throw new IllegalStateException("duplicate case " + name);
    }
  }

  private static String validText(Reader r) {
    return new String(FileReaders.valid(r), StandardCharsets.US_ASCII);
  }

  static {
    pin("empty Velodyne scan", Reader.KITTI_BIN, "", "TRUNCATED_FILE");
    pin("Velodyne scan of 17 bytes", Reader.KITTI_BIN, () -> new byte[17], "TRUNCATED_FILE");
    pin("Velodyne point with NaN x", Reader.KITTI_BIN, () -> KittiVelodyne.encode(new float[] {Float.NaN, 0, 0}, 1),
        "CORRUPT_FILE");
    pin("calibration P2 with 11 values", Reader.KITTI_CALIB, validText(Reader.KITTI_CALIB).replace(" 0 0 0 1 0\nR0",
        " 0 0 1 0\nR0"), "CALIBRATION_MISMATCH");
    pin("calibration P2 NaN", Reader.KITTI_CALIB, validText(Reader.KITTI_CALIB).replace("P2: 100", "P2: NaN"),
        "CALIBRATION_MISMATCH");
    pin("calibration third row zero", Reader.KITTI_CALIB,
        validText(Reader.KITTI_CALIB).replace("P2: 100 0 50 0 0 100 20 0 0 0 1 0", "P2: 1 0 0 0 0 1 0 0 0 0 0 0"),
        "CALIBRATION_MISMATCH");
    pin("calibration of Latin-1 bytes", Reader.KITTI_CALIB, () -> new byte[] {'P', '2', ':', (byte) 0xE9},
        "CORRUPT_FILE");
    pin("raw velo_to_cam without T", Reader.KITTI_CALIB_RAW_VELO, "R: 1 0 0 0 1 0 0 0 1\n", "CALIBRATION_MISMATCH");
    pin("PCD ascii declaring 50 million points", Reader.PCD_ASCII,
        validText(Reader.PCD_ASCII).replace("POINTS 3", "POINTS 50000000"), "TRUNCATED_FILE");
    pin("PCD binary declaring 50 million points", Reader.PCD_BINARY,
        () -> replace(FileReaders.valid(Reader.PCD_BINARY), "POINTS 3", "POINTS 50000000"), "TRUNCATED_FILE");
    pin("PCD binary with a negative SIZE of another field", Reader.PCD_BINARY,
        () -> replace(FileReaders.valid(Reader.PCD_BINARY),
            "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1",
            "FIELDS x y z i\nSIZE 4 4 4 -16\nTYPE F F F F\nCOUNT 1 1 1 1"),
        "CORRUPT_FILE");
    pin("PCD binary with a stride overflowing int", Reader.PCD_BINARY,
        () -> replace(FileReaders.valid(Reader.PCD_BINARY),
            "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1",
            "FIELDS x y z i\nSIZE 4 4 4 8\nTYPE F F F F\nCOUNT 1 1 1 268435456"),
        "CORRUPT_FILE");
    pin("PCD ascii with a negative COUNT before x", Reader.PCD_ASCII,
        validText(Reader.PCD_ASCII).replace("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1",
            "FIELDS i x y z\nSIZE 4 4 4 4\nTYPE F F F F\nCOUNT -5 1 1 1"),
        "CORRUPT_FILE");
    pin("PCD binary_compressed", Reader.PCD_BINARY,
        () -> replace(FileReaders.valid(Reader.PCD_BINARY), "DATA binary", "DATA binary_compressed"), "CORRUPT_FILE");
    pin("PNG of another size", Reader.PNG16_DEPTH, () -> pngOfSize(5, 3), "WRONG_IMAGE_SIZE");
    pin("8-bit PNG as depth", Reader.PNG16_DEPTH, () -> FileReaders.valid(Reader.PNG8_MASK), "WRONG_BIT_DEPTH");
    pin("PNG declaring 16384x16384", Reader.PNG16_MILLIMETRES, () -> pngOfSize(16384, 16384), "WRONG_IMAGE_SIZE");
    pin("PFM declaring 2^31-1 x 2", Reader.PFM, "Pf\n2147483647 2\n-1.0\n", "WRONG_IMAGE_SIZE");
    pin("PFM with a NaN scale", Reader.PFM, "Pf\n4 3\nNaN\n", "CORRUPT_FILE");
    pin("colour PFM", Reader.PFM, "PF\n4 3\n-1.0\n", "WRONG_BIT_DEPTH");
    pin("PFM header only", Reader.PFM, "Pf\n4 3\n-1.0", "TRUNCATED_FILE");
    pin("TUM timestamp 1e100000000", Reader.TUM_LIST, "1e100000000 depth/1.png\n", "CORRUPT_FILE");
    pin("TUM timestamp 1e-100000000", Reader.TUM_LIST, "1e-100000000 depth/1.png\n", "CORRUPT_FILE");
    pin("TUM timestamp beyond 2262", Reader.TUM_LIST, "9300000000 depth/1.png\n", "CORRUPT_FILE");
    pin("TUM line without file", Reader.TUM_LIST, "1305031102.160407\n", "CORRUPT_FILE");
    pin("TUM list of Latin-1 bytes", Reader.TUM_LIST, () -> new byte[] {'1', ' ', (byte) 0xE9, '\n'}, "CORRUPT_FILE");
    pin("keyframe timestamp 1e100000000", Reader.KEYFRAME, "timestamp 1e100000000\n", "CORRUPT_FILE");
    pin("keyframe camera of another size", Reader.KEYFRAME, "camera 100 100 2 1.5 640 480\n", "WRONG_IMAGE_SIZE");
    pin("keyframe camera with fx 0", Reader.KEYFRAME, "camera 0 100 2 1.5 4 3\n", "CALIBRATION_MISMATCH");
    pin("keyframe point with 3 numbers", Reader.KEYFRAME, "1 1 0.5\n", "CORRUPT_FILE");
    pin("keyframe point at u = 1e300", Reader.KEYFRAME, "1e300 1 0.5 0.01\n", "OK"); // outside: dropped
    pin("focus.txt without distances", Reader.FOCAL_SIDECAR, "a.png\nb.png\n", "MISSING_FOCUS_DISTANCE");
    pin("focus distance 0", Reader.FOCAL_SIDECAR, "a.png 0\nb.png 2\n", "MISSING_FOCUS_DISTANCE");
    pin("focus distance NaN", Reader.FOCAL_SIDECAR, "a.png NaN\nb.png 2\n", "MISSING_FOCUS_DISTANCE");
    pin("focus distance -Infinity", Reader.FOCAL_SIDECAR, "a.png -Infinity\nb.png 2\n", "MISSING_FOCUS_DISTANCE");
    pin("focus.txt leaving b.png out", Reader.FOCAL_SIDECAR, "a.png 1\n", "MISSING_FOCUS_DISTANCE");
    pin("focus.txt listing a missing image", Reader.FOCAL_SIDECAR, "a.png 1\nb.png 2\nc.png 3\n", "UNREADABLE_FILE");
    pin("focus.txt image name with NUL", Reader.FOCAL_SIDECAR, "a.png 1\nb.png 2\nc\u0000.png 3\n", "CORRUPT_FILE");
    pin("focus.txt image outside the stack (../)", Reader.FOCAL_SIDECAR, "a.png 1\nb.png 2\n../x.png 3\n",
        "CORRUPT_FILE");
    pin("focus.txt image /dev/zero", Reader.FOCAL_SIDECAR, "a.png 1\nb.png 2\n/dev/zero 3\n", "CORRUPT_FILE");
    pin("focus.txt timestamp 1e100000000", Reader.FOCAL_SIDECAR, "timestamp 1e100000000\na.png 1\nb.png 2\n",
        "CORRUPT_FILE");
    pin("focal-stack image that is 16-bit", Reader.FOCAL_PNG, () -> FileReaders.valid(Reader.PNG16_DEPTH),
        "WRONG_BIT_DEPTH");
    pin("focal-stack image of another size", Reader.FOCAL_PNG, () -> rgbPng(5, 3), "WRONG_IMAGE_SIZE");
    pin("focal-stack image whose header says 5x3 over 4x3 data", Reader.FOCAL_PNG, () -> pngOfSize(5, 3),
        "TRUNCATED_FILE");
    pin("focal-stack image cut inside its image data", Reader.FOCAL_PNG,
        () -> Arrays.copyOf(FileReaders.valid(Reader.FOCAL_PNG), FileReaders.valid(Reader.FOCAL_PNG).length - 20),
        "TRUNCATED_FILE");
  }

  @AfterAll
  static void printSummary() {
    System.out.println(TALLY.table());
  }

  @Test
  void everyValidFileReads() {
    for (Reader r : Reader.values()) {
      String outcome = FileReaders.attempt(r, dir.resolve(r.name()), FileReaders.valid(r));
      TALLY.add(r, outcome);
      assertThat(outcome).as("valid %s", r).isEqualTo("OK");
    }
  }

  @Test
  void everyTruncationOfEveryValidFileReadsOrFailsAsABadFile() {
    for (Reader r : Reader.values()) {
      byte[] valid = FileReaders.valid(r);
      for (int length = 0; length < valid.length; length++) {
        String outcome = FileReaders.attempt(r, dir.resolve(r.name()), Arrays.copyOf(valid, length));
        TALLY.add(r, outcome);
        assertThat(outcome).as("%s cut to %d bytes", r, length).isNotBlank();
      }
    }
  }

  static Stream<Arguments> named() {
    return EXPECTED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("named")
  void aNamedHostileFileHasItsPinnedOutcome(String name, Case c) {
    String outcome = FileReaders.attempt(c.reader(), dir.resolve(c.reader().name()), c.bytes().get());
    TALLY.add(c.reader(), outcome);
    assertThat(outcome).as(name).isEqualTo(c.expected());
  }

  private static byte[] replace(byte[] bytes, String from, String to) {
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    if (!s.contains(from)) {
      throw new IllegalArgumentException("'" + from + "' not in the file");
    }
    return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A valid RGB PNG of {@code w x h}. */
  private static byte[] rgbPng(int w, int h) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB),
          "png", out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An 8-bit grey PNG header declaring {@code w x h}, data for 1x1 only. */
  private static byte[] pngOfSize(int w, int h) {
    byte[] valid = FileReaders.valid(Reader.PNG8_MASK);
    byte[] out = valid.clone();
    java.nio.ByteBuffer.wrap(out).putInt(16, w).putInt(20, h);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(out, 12, 17);
    java.nio.ByteBuffer.wrap(out).putInt(29, (int) crc.getValue());
    return out;
  }
}
