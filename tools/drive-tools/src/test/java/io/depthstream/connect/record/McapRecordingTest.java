package io.depthstream.connect.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McapRecordingTest {
  @TempDir
  Path dir;

  private static byte[] frame(String sensor, long seq) {
    return DepthFrame.newBuilder().setId(FrameId.newBuilder().setSensorId(sensor).setSequence(seq)).setWidth(4)
        .setHeight(3).build().toByteArray();
  }

  private static final byte[] POSE = "1 2 3 0 0 0 1".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** Three records of two sensors, 100 ms apart (the second with a pose header), and raw bytes with a null key. */
  private Path recording() throws Exception {
    Path file = dir.resolve("drive.mcap");
    try (McapWriter w = new McapWriter(file)) {
      w.write("depth.raw.lidar", "lidar0", DepthFrame.getDescriptor(), 1_000, frame("lidar0", 0));
      w.write("depth.raw.rgbd", "kinect0", List.of(new RecordHeader("depthstream.pose", POSE)),
          DepthFrame.getDescriptor(), 1_100, frame("kinect0", 0));
      w.write("depth.raw.lidar", "lidar0", DepthFrame.getDescriptor(), 1_200, frame("lidar0", 1));
      w.write("depth.dlq", null, null, 1_300, new byte[] {1, 2});
    }
    return file;
  }

  @Test
  void fileHasMcapFramingAndSchemasAndReadsBack() throws Exception {
    Path file = recording();
    byte[] b = Files.readAllBytes(file);
    byte[] magic = {(byte) 0x89, 'M', 'C', 'A', 'P', '0', '\r', '\n'};
    assertThat(Arrays.copyOf(b, 8)).isEqualTo(magic);
    assertThat(Arrays.copyOfRange(b, b.length - 8, b.length)).isEqualTo(magic);
    // Footer: opcode 0x02, length 20, then summary_start pointing at a Schema record (0x03).
    int footer = b.length - 8 - 29;
    assertThat(b[footer]).isEqualTo((byte) 0x02);
    ByteBuffer f = ByteBuffer.wrap(b, footer + 1, 28).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(f.getLong()).isEqualTo(20);
    long summaryStart = f.getLong();
    assertThat(b[(int) summaryStart]).isEqualTo((byte) 0x03);

    List<McapReader.Message> messages = new ArrayList<>();
    try (McapReader r = new McapReader(file)) {
      McapReader.Message m;
      while ((m = r.next()) != null) {
        messages.add(m);
      }
    }
    assertThat(messages).extracting(m -> m.channel().topic()).containsExactly("depth.raw.lidar", "depth.raw.rgbd",
        "depth.raw.lidar", "depth.dlq");
    assertThat(messages).extracting(m -> m.channel().key()).containsExactly("lidar0", "kinect0", "lidar0", null);
    assertThat(messages).extracting(McapReader.Message::timestampMs).containsExactly(1_000L, 1_100L, 1_200L,
        1_300L);
    assertThat(messages).extracting(McapReader.Message::sequence).containsExactly(0L, 0L, 1L, 0L);
    assertThat(messages.get(2).data()).isEqualTo(frame("lidar0", 1));
    assertThat(messages.get(0).channel().schemaName()).isEqualTo("depthstream.v1.DepthFrame");
    assertThat(messages.get(0).channel().encoding()).isEqualTo("protobuf");
    assertThat(messages.get(3).channel().schemaName()).isEmpty();
    assertThat(McapReader.countMessages(file)).isEqualTo(4);
    // The schema is a FileDescriptorSet that includes the imported common.proto first.
    FileDescriptorSet set = McapWriter.descriptorSet(DepthFrame.getDescriptor().getFile());
    assertThat(set.getFileList()).extracting(x -> x.getName()).containsExactly("depthstream/v1/common.proto",
        "depthstream/v1/depth_frame.proto");
  }

  @Test
  void playingTwiceGivesIdenticalRecordsAndTheWindowAndSpeedApply() throws Exception {
    Path file = recording();
    List<ProducerRecord<String, byte[]>> first = play(file, new DrivePlayer.Options(0, 0, -1, 1, Map.of()));
    List<ProducerRecord<String, byte[]>> second = play(file, new DrivePlayer.Options(0, 0, -1, 1, Map.of()));
    assertThat(first).hasSize(4);
    assertThat(first.get(1).headers().lastHeader("depthstream.pose").value()).isEqualTo(POSE);
    assertThat(first.get(0).headers().toArray()).isEmpty();
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).key()).isEqualTo(first.get(i).key());
      assertThat(second.get(i).value()).isEqualTo(first.get(i).value());
      assertThat(second.get(i).timestamp()).isEqualTo(first.get(i).timestamp());
      assertThat(second.get(i).topic()).isEqualTo(first.get(i).topic());
    }
    // Window 100..200 ms after the first record: the 2nd and 3rd; two loops; a topic renamed.
    List<ProducerRecord<String, byte[]>> window = play(file,
        new DrivePlayer.Options(0, 100, 200, 2, Map.of("depth.raw.lidar", "replay.lidar")));
    assertThat(window).extracting(ProducerRecord::timestamp).containsExactly(1_100L, 1_200L, 1_100L, 1_200L);
    assertThat(window).extracting(ProducerRecord::topic).containsExactly("depth.raw.rgbd", "replay.lidar",
        "depth.raw.rgbd", "replay.lidar");
    // Recorded rate x2: 300 ms of recording take about 150 ms.
    long t0 = System.nanoTime();
    play(file, new DrivePlayer.Options(2, 0, -1, 1, Map.of()));
    double ms = (System.nanoTime() - t0) / 1e6;
    assertThat(ms).isBetween(140.0, 1_000.0);
    assertThatThrownBy(() -> new DrivePlayer.Options(1, 50, 10, 1, Map.of())).hasMessageContaining("start");
  }

  /**
   * A recording of several partitions is in consumer order, not time order: it is played in log-time order (as
   * MCAP readers do), and windows count from the earliest message.
   */
  @Test
  void messagesEarlierThanTheFirstInTheFileArePlayed() throws Exception {
    Path file = dir.resolve("unordered.mcap");
    try (McapWriter w = new McapWriter(file)) {
      w.write("depth.raw.lidar", "lidar0", DepthFrame.getDescriptor(), 1_200, frame("lidar0", 1));
      w.write("depth.raw.rgbd", "kinect0", DepthFrame.getDescriptor(), 1_000, frame("kinect0", 0));
      w.write("depth.raw.lidar", "lidar0", DepthFrame.getDescriptor(), 1_300, frame("lidar0", 2));
      w.write("depth.raw.rgbd", "kinect0", DepthFrame.getDescriptor(), 1_100, frame("kinect0", 1));
    }
    assertThat(McapReader.earliestLogTimeNs(file)).isEqualTo(1_000_000_000L);
    assertThat(play(file, new DrivePlayer.Options(0, 0, -1, 1, Map.of())))
        .extracting(ProducerRecord::timestamp).containsExactly(1_000L, 1_100L, 1_200L, 1_300L);
    // 100..200 ms after the earliest (1000 ms): 1100 and 1200.
    assertThat(play(file, new DrivePlayer.Options(0, 100, 200, 1, Map.of())))
        .extracting(ProducerRecord::timestamp).containsExactly(1_100L, 1_200L);
  }

  @Test
  void notAnMcapFileIsRejected() throws Exception {
    Path bad = Files.write(dir.resolve("x.mcap"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertThatThrownBy(() -> new McapReader(bad)).hasMessageContaining("x.mcap").hasMessageContaining("not an MCAP");
    Path file = recording();
    byte[] b = Files.readAllBytes(file);
    Path cut = Files.write(dir.resolve("cut.mcap"), Arrays.copyOf(b, 200));
    assertThatThrownBy(() -> {
      try (McapReader r = new McapReader(cut)) {
        while (r.next() != null) {
          // read to the end
        }
      }
    }).hasMessageContaining("cut.mcap").hasMessageContaining("truncated");
  }

  private static List<ProducerRecord<String, byte[]>> play(Path file, DrivePlayer.Options o) throws Exception {
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    new DrivePlayer().play(producer, file, o, null);
    return producer.history();
  }
}
