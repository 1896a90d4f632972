package io.depthstream.connect.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The MCAP layout {@link McapWriter} writes, read back by {@link McapReader}: chunks, indexes, CRCs, headers. */
class McapFileTest {
  @TempDir
  Path dir;

  private static byte[] frame(String sensor, long seq, int payloadBytes) {
    byte[] noise = new byte[payloadBytes];
    new Random(seq).nextBytes(noise);
    return DepthFrame.newBuilder().setId(FrameId.newBuilder().setSensorId(sensor).setSequence(seq)).setWidth(4)
        .setHeight(3).setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(noise))).build()
        .toByteArray();
  }

  /**
   * 60 records of two sensors on two topics, timestamps interleaved but written topic by topic (as a consumer of
   * two partitions may), every third vSLAM record with a pose header; 2 KB chunks so there are many.
   */
  private Path drive(McapCompression compression, int chunkSize) throws Exception {
    Path file = dir.resolve("drive-" + compression + ".mcap");
    try (McapWriter w = new McapWriter(file, new McapWriter.Options(compression, chunkSize))) {
      for (int i = 0; i < 30; i++) {
        w.write("depth.raw.lidar", "lidar0", DepthFrame.getDescriptor(), 1_000 + 20L * i, frame("lidar0", i, 300));
      }
      for (int i = 0; i < 30; i++) {
        List<Header> headers = i % 3 == 0 ? List.of(new RecordHeader("depthstream.pose",
            ("0." + i + " 0 0 0 0 0 1").getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("binary",
                new byte[] {(byte) 0xff, 0, 1}),
            new RecordHeader("none", (byte[]) null)) : List.of();
        w.write("depth.raw.vslam", "vslam0", headers, DepthFrame.getDescriptor(), 1_010 + 20L * i,
            frame("vslam0", i, 300));
      }
    }
    return file;
  }

  private static List<McapReader.Message> readAll(Path file) throws Exception {
    List<McapReader.Message> out = new ArrayList<>();
    try (McapReader r = new McapReader(file)) {
      assertThat(r.indexed()).as("read through the summary's chunk indexes").isTrue();
      McapReader.Message m;
      while ((m = r.next()) != null) {
        out.add(m);
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(McapCompression.class)
  void everyCompressionReadsBackInLogTimeOrderWithHeaders(McapCompression compression) throws Exception {
    Path file = drive(compression, 2_048);
    List<McapReader.Message> messages = readAll(file);

    assertThat(messages).hasSize(60);
    assertThat(messages).extracting(McapReader.Message::timestampMs).isSorted();
    assertThat(messages.get(0).channel().key()).isEqualTo("lidar0");
    assertThat(messages.get(1).channel().key()).isEqualTo("vslam0");
    assertThat(messages.get(1).data()).isEqualTo(frame("vslam0", 0, 300));
    assertThat(messages.get(1).headers()).extracting(Header::key).containsExactly("depthstream.pose", "binary",
        "none");
    assertThat(messages.get(1).headers().get(0).value()).isEqualTo("0.0 0 0 0 0 0 1".getBytes(StandardCharsets.UTF_8));
    assertThat(messages.get(1).headers().get(1).value()).isEqualTo(new byte[] {(byte) 0xff, 0, 1});
    assertThat(messages.get(1).headers().get(2).value()).isNull();
    assertThat(messages.get(3).headers()).isEmpty(); // vSLAM record 1 had none
    assertThat(messages).filteredOn(m -> !m.headers().isEmpty()).hasSize(10);
    assertThat(McapReader.countMessages(file)).isEqualTo(60);
    assertThat(McapReader.earliestLogTimeNs(file)).isEqualTo(1_000_000_000L);
  }

  @Test
  void compressionShrinksRedundantFramesAndTheChunksCarryCrcs() throws Exception {
    long none = 0;
    for (McapCompression c : McapCompression.values()) {
      Path file = dir.resolve("zeros-" + c + ".mcap");
      try (McapWriter w = new McapWriter(file, new McapWriter.Options(c, 1 << 20))) {
        for (int i = 0; i < 20; i++) {
          w.write("depth.raw.lidar", "lidar0", null, 1_000 + i, new byte[50_000]); // an empty depth map
        }
      }
      long size = Files.size(file);
      if (c == McapCompression.NONE) {
        none = size;
        assertThat(size).isGreaterThan(1_000_000);
      } else {
        assertThat(size).as(c + " vs none").isLessThan(none / 20);
      }
      List<McapReader.Message> back = readAll(file);
      assertThat(back).hasSize(20).allSatisfy(m -> assertThat(m.data()).isEqualTo(new byte[50_000]));
    }
  }

  @Test
  void aCorruptChunkIsReportedWithTheFileAndOffset() throws Exception {
    Path file = drive(McapCompression.NONE, 1 << 20);
    byte[] b = Files.readAllBytes(file);
    int at = indexOf(b, frame("lidar0", 5, 300));
    b[at + 100] ^= 1;
    Path bad = Files.write(dir.resolve("bad-chunk.mcap"), b);
    assertThatThrownBy(() -> readAll(bad)).hasMessageContaining("bad-chunk.mcap")
        .hasMessageContaining("chunk at offset 36").hasMessageContaining("CRC32");
  }

  @Test
  void aCorruptSummaryIsReported() throws Exception {
    Path file = drive(McapCompression.ZSTD, 2_048);
    byte[] b = Files.readAllBytes(file);
    ByteBuffer footer = ByteBuffer.wrap(b, b.length - 8 - 20, 8).order(ByteOrder.LITTLE_ENDIAN);
    long summaryStart = footer.getLong();
    b[(int) summaryStart + 20] ^= 1;
    Path bad = Files.write(dir.resolve("bad-summary.mcap"), b);
    assertThatThrownBy(() -> new McapReader(bad)).hasMessageContaining("bad-summary.mcap")
        .hasMessageContaining("summary at offset " + summaryStart).hasMessageContaining("CRC32");
  }

  /** Without a usable footer the file is scanned, and the Data End CRC catches a changed byte outside chunks. */
  @Test
  void aFileWithoutFooterIsScannedAndItsDataSectionCrcChecked() throws Exception {
    Path file = drive(McapCompression.LZ4, 2_048);
    byte[] b = Files.readAllBytes(file);
    b[b.length - 1] = 0; // the closing magic: the footer can no longer be trusted
    Path scanned = Files.write(dir.resolve("no-footer.mcap"), b);
    try (McapReader r = new McapReader(scanned)) {
      assertThat(r.indexed()).isFalse();
      int n = 0;
      long last = Long.MIN_VALUE;
      McapReader.Message m;
      while ((m = r.next()) != null) {
        assertThat(m.logTimeNs()).isGreaterThanOrEqualTo(last);
        last = m.logTimeNs();
        n++;
      }
      assertThat(n).isEqualTo(60);
    }
    b[8 + 9 + 4 + 4] ^= 1; // the first letter of the Header record's library name: outside any chunk
    Path bad = Files.write(dir.resolve("bad-data.mcap"), b);
    assertThatThrownBy(() -> new McapReader(bad)).hasMessageContaining("bad-data.mcap")
        .hasMessageContaining("data section is corrupt").hasMessageContaining("Data End record at offset");
  }

  /** Foxglove views ride along for viewers; the player's reader leaves them out unless asked. */
  @Test
  void viewChannelsAreSkippedUnlessAskedFor() throws Exception {
    Path file = dir.resolve("views.mcap");
    byte[] value = DepthFrame.newBuilder().setId(FrameId.newBuilder().setSensorId("kinect0").setCaptureTimeNs(1))
        .setWidth(2).setHeight(1).setIntrinsics(io.depthstream.proto.v1.CameraIntrinsics.newBuilder().setFx(1)
            .setFy(1))
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(new byte[4])))
        .build().toByteArray();
    try (McapWriter w = new McapWriter(file)) {
      FoxgloveChannels views = new FoxgloveChannels(w);
      for (int i = 0; i < 3; i++) {
        w.write("depth.raw.rgbd", "kinect0", DepthFrame.getDescriptor(), 1_000 + i, value);
        views.write("depth.raw.rgbd", "kinect0", DriveRecorder.ValueType.DEPTH_FRAME, (1_000 + i) * 1_000_000L,
            value);
      }
      w.write("depth.raw.rgbd", "kinect0", DepthFrame.getDescriptor(), 1_003, new byte[] {(byte) 0xff});
      views.write("depth.raw.rgbd", "kinect0", DriveRecorder.ValueType.DEPTH_FRAME, 1_003_000_000L,
          new byte[] {(byte) 0xff}); // corrupt: recorded, but no views
      assertThat(views.skipped()).isEqualTo(1);
    }
    assertThat(readAll(file)).hasSize(4).allSatisfy(m -> assertThat(m.channel().role())
        .isEqualTo(McapReader.Role.KAFKA_RECORD));
    assertThat(McapReader.countMessages(file)).isEqualTo(4);
    List<String> topics = new ArrayList<>();
    try (McapReader r = new McapReader(file, true)) {
      McapReader.Message m;
      while ((m = r.next()) != null) {
        topics.add(m.channel().role() == McapReader.Role.VIEW ? m.channel().metadata().get("depthstream.role")
            + " " + m.channel().schemaName() : m.channel().topic());
      }
      assertThat(r.channels().values()).extracting(c -> c.metadata().get("kafka.topic")).containsOnly("depth.raw.rgbd");
    }
    assertThat(topics).hasSize(10).containsSubsequence("depth.raw.rgbd", "view foxglove.RawImage",
        "view foxglove.CameraCalibration", "depth.raw.rgbd");
  }

  @Test
  void anEmptyRecordingIsValid() throws Exception {
    Path file = dir.resolve("empty.mcap");
    new McapWriter(file).close();
    try (McapReader r = new McapReader(file)) {
      assertThat(r.next()).isNull();
    }
    assertThat(McapReader.countMessages(file)).isZero();
    assertThat(McapReader.earliestLogTimeNs(file)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void badOptionsAreRejectedByName() {
    assertThatThrownBy(() -> McapCompression.parse("gzip")).hasMessageContaining("gzip")
        .hasMessageContaining("zstd, lz4 or none");
    assertThatThrownBy(() -> new McapWriter.Options(McapCompression.ZSTD, 0)).hasMessageContaining("chunk size");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
