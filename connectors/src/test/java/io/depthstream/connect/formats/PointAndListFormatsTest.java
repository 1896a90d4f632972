package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointAndListFormatsTest {
  @TempDir
  Path dir;

  @Test
  void pcdAsciiAndBinaryGiveTheSamePointsAndSkipNaN() {
    float[] xyz = {1f, 2f, 3f, Float.NaN, 0f, 0f, -4.5f, 0.25f, 8f};
    for (boolean binary : new boolean[] {false, true}) {
      PointCloud c = PcdReader.parse(PcdReader.encode(xyz, 3, binary), dir.resolve("c.pcd"));
      assertThat(c.count()).as("binary=%s", binary).isEqualTo(2);
      assertThat(Arrays.copyOf(c.xyz(), 6)).containsExactly(1f, 2f, 3f, -4.5f, 0.25f, 8f);
    }
  }

  @Test
  void pcdWithExtraFieldsAndProblems() {
    String ascii = "VERSION 0.7\nFIELDS intensity x y z\nSIZE 4 4 4 4\nTYPE F F F F\nCOUNT 1 1 1 1\nWIDTH 1\n"
        + "HEIGHT 1\nPOINTS 1\nDATA ascii\n9 1 2 3\n";
    PointCloud c = PcdReader.parse(ascii.getBytes(StandardCharsets.US_ASCII), dir.resolve("a.pcd"));
    assertThat(Arrays.copyOf(c.xyz(), 3)).containsExactly(1f, 2f, 3f);
    String compressed = ascii.replace("DATA ascii", "DATA binary_compressed");
    assertThatThrownBy(() -> PcdReader.parse(compressed.getBytes(StandardCharsets.US_ASCII), dir.resolve("a.pcd")))
        .hasMessageContaining("a.pcd").hasMessageContaining("binary_compressed is not supported");
    byte[] bin = PcdReader.encode(new float[] {1, 2, 3, 4, 5, 6}, 2, true);
    assertThatThrownBy(() -> PcdReader.parse(Arrays.copyOf(bin, bin.length - 4), dir.resolve("b.pcd")))
        .isInstanceOf(BadFileException.class).hasMessageContaining("b.pcd").hasMessageContaining("need 24");
    String noZ = ascii.replace("FIELDS intensity x y z", "FIELDS intensity x y w");
    assertThatThrownBy(() -> PcdReader.parse(noZ.getBytes(StandardCharsets.US_ASCII), dir.resolve("a.pcd")))
        .hasMessageContaining("no 'z' field");
  }

  @Test
  void pinholeProjectionOfPcdPoints() {
    // Camera looking along the LiDAR's x axis: camera x = -lidar y, camera y = -lidar z, camera z = lidar x.
    double[] ext = {0, -1, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0};
    double[] m = PointProjector.pinhole(10, 10, 2, 1, ext);
    PointCloud c = new PointCloud(new float[] {5f, 0f, 0f, 5f, -1f, 0f}, 2);
    DepthMap out = DepthMap.allocate(5, 3);
    PointProjector.project(c, m, out);
    assertThat(out.get(2, 1)).isEqualTo(5f); // on the axis: the principal point
    assertThat(out.get(4, 1)).isEqualTo(5f); // 1 m right at 5 m: u = 2 + 10 * 1 / 5 = 4
    assertThat(out.validCount()).isEqualTo(2);
  }

  @Test
  void tumListsParseAndAssociateWithin20ms() throws Exception {
    Path list = Files.writeString(dir.resolve("depth.txt"), "# depth maps\n# file: x\n"
        + "1305031102.160407 depth/1305031102.160407.png\n1305031102.194330 depth/1305031102.194330.png\n");
    List<TimestampedList.Entry> e = TimestampedList.read(list);
    assertThat(e).extracting(TimestampedList.Entry::timeNs).containsExactly(1305031102160407000L,
        1305031102194330000L);
    List<TimestampedList.Entry> rgb = List.of(new TimestampedList.Entry(1305031102175304000L, "rgb/a.png"),
        new TimestampedList.Entry(1305031102211407000L, "rgb/b.png"));
    assertThat(TimestampedList.nearest(rgb, e.get(0).timeNs(), TimestampedList.DEFAULT_MAX_DIFFERENCE_NS).file())
        .isEqualTo("rgb/a.png"); // 14.9 ms away
    assertThat(TimestampedList.nearest(rgb, e.get(0).timeNs() - 10_000_000L,
        TimestampedList.DEFAULT_MAX_DIFFERENCE_NS)).isNull(); // 24.9 ms: too far
    Files.writeString(list, "1305031102.16 \n");
    assertThatThrownBy(() -> TimestampedList.read(list)).hasMessageContaining("depth.txt")
        .hasMessageContaining("line 1");
  }

  @Test
  void keyframePointsBecomeSparseDepthAndDropUncertainPoints() {
    String kf = """
        # depthstream keyframe v1
        timestamp 1305031102.5
        camera 100 100 2 1 5 3
        pose 1 2 3 0 0 0 1
        2 1 0.5 0.001
        2.4 1.2 0.25 0.001
        4 0 2.0 0.5
        1 1 -1 0.001
        """;
    DepthMap out = DepthMap.allocate(5, 3);
    KeyframePoints k = KeyframePoints.parse(kf.getBytes(StandardCharsets.UTF_8), dir.resolve("kf.txt"), 0.01, out);
    assertThat(out.get(2, 1)).isEqualTo(2f); // 1 / 0.5 wins over 1 / 0.25 = 4 m on the same pixel
    assertThat(out.validCount()).isEqualTo(1);
    assertThat(k.kept()).isEqualTo(2);
    assertThat(k.dropped()).isEqualTo(2); // too uncertain, negative inverse depth
    assertThat(k.timeNs()).isEqualTo(1305031102500000000L);
    assertThat(k.pose()).containsExactly(1, 2, 3, 0, 0, 0, 1);
    assertThatThrownBy(() -> KeyframePoints.parse("camera 100 100 2 1 640 480\n".getBytes(StandardCharsets.UTF_8),
        dir.resolve("kf.txt"), 1, out)).hasMessageContaining("kf.txt").hasMessageContaining("640x480");
    assertThatThrownBy(() -> KeyframePoints.parse("1 2 x 0\n".getBytes(StandardCharsets.UTF_8),
        dir.resolve("kf.txt"), 1, out)).hasMessageContaining("'x' is not a number");
  }

  // ---- found by FileReaderCorpusTest / FileReaderFuzzTest ----

  private static String pcdHeader(String fields, String size, String type, String count, int points, String data) {
    return "VERSION 0.7\nFIELDS " + fields + "\nSIZE " + size + "\nTYPE " + type + "\nCOUNT " + count + "\nWIDTH "
        + points + "\nHEIGHT 1\nPOINTS " + points + "\nDATA " + data + "\n";
  }

  @Test
  void pcdSizesAndCountsOutsideTheSpecAreCorruptNotAnIndexError() {
    // A negative COUNT before x gave ArrayIndexOutOfBoundsException (ascii); COUNT 268435456 of an F8 field
    // overflowed the int stride and gave IndexOutOfBoundsException (binary); SIZE -16 passed silently.
    for (String[] layout : new String[][] {
        {"i x y z", "4 4 4 4", "F F F F", "-5 1 1 1", "ascii"},
        {"x y z i", "4 4 4 8", "F F F F", "1 1 1 268435456", "binary"},
        {"x y z i", "4 4 4 -16", "F F F F", "1 1 1 1", "binary"}}) {
      byte[] pcd = (pcdHeader(layout[0], layout[1], layout[2], layout[3], 1, layout[4]) + "1 2 3 4\n")
          .getBytes(StandardCharsets.US_ASCII);
      assertThatThrownBy(() -> PcdReader.parse(pcd, dir.resolve("c.pcd")))
          .isInstanceOfSatisfying(BadFileException.class,
              e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CORRUPT_FILE))
          .hasMessageContaining("c.pcd");
    }
  }

  @Test
  void anAsciiPcdDeclaringMillionsOfPointsIsTruncatedBeforeAllocatingThem() {
    // 50 million declared points allocated a 600 MB array before the missing lines were noticed.
    byte[] pcd = (pcdHeader("x y z", "4 4 4", "F F F", "1 1 1", 50_000_000, "ascii") + "1 2 3\n")
        .getBytes(StandardCharsets.US_ASCII);
    long before = allocatedBytes();
    assertThatThrownBy(() -> PcdReader.parse(pcd, dir.resolve("c.pcd")))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TRUNCATED_FILE))
        .hasMessageContaining("50000000 points");
    assertThat(allocatedBytes() - before).isLessThan(1 << 20);
    // The bound is exact: the shortest possible data of 2 points ("1 2 3\n4 5 6") still reads.
    byte[] shortest = (pcdHeader("x y z", "4 4 4", "F F F", "1 1 1", 2, "ascii") + "1 2 3\n4 5 6")
        .getBytes(StandardCharsets.US_ASCII);
    assertThat(PcdReader.parse(shortest, dir.resolve("c.pcd")).count()).isEqualTo(2);
  }

  @Test
  void timestampsWithHugeExponentsAreRejectedAtOnce() throws Exception {
    // Rescaling 1e100000000 or 1e-100000000 to nanoseconds computed a 100-million-digit power of ten: minutes.
    Path list = dir.resolve("depth.txt");
    for (String stamp : new String[] {"1e100000000", "1e-100000000", "9300000000", "1".repeat(100)}) {
      Files.writeString(list, stamp + " depth/1.png\n");
      long start = System.nanoTime();
      assertThatThrownBy(() -> TimestampedList.read(list))
          .isInstanceOfSatisfying(BadFileException.class,
              e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CORRUPT_FILE))
          .hasMessageContaining("is not a timestamp in seconds");
      assertThat(System.nanoTime() - start).as(stamp).isLessThan(1_000_000_000L);
    }
    Files.writeString(list, "1305031102.1604070000000000000000 depth/1.png\n"); // many decimals still read
    assertThat(TimestampedList.read(list)).extracting(TimestampedList.Entry::timeNs)
        .containsExactly(1305031102160407000L);
  }

  @Test
  void aListThatIsNotUtf8IsCorruptNotUnreadable() throws Exception {
    Path list = Files.write(dir.resolve("depth.txt"), new byte[] {'1', ' ', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> TimestampedList.read(list))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CORRUPT_FILE))
        .hasMessageContaining("depth.txt");
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
