package io.depthstream.connect.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.depthstream.connect.frames.DepthFrames;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ROS 2 recording ({@link Ros2Channels} in a {@code ros2}-profile file) as rosbag2 and ROS tools would see it:
 * our reader lists its channels and nanosecond log times; independent implementations (@mcap/core's indexed
 * reader, @foxglove/rosmsg for the ros2msg schemas, @foxglove/rosmsg2-serialization on @foxglove/cdr for the CDR
 * messages; {@code src/test/mcap-js/check-ros2.mjs}) decode every message, and their fields are compared with
 * what was recorded. The Node.js part needs {@code npm ci --prefix tools/drive-tools/src/test/mcap-js} and skips,
 * saying so, without it.
 */
class Ros2RecordingTest {
  private static final Path SCRIPTS = Path.of("src/test/mcap-js");
  /** A capture time with nanoseconds below the millisecond: 1000.123456789 s. */
  private static final long CAPTURE_NS = 1_000_123_456_789L;
  private static final CameraIntrinsics K = DepthFrames.intrinsics(5, 5, 2, 1.5, 4, 3);

  @TempDir
  Path dir;

  @Test
  void logTimesKeepTheCaptureNanosecondWhenItAgreesWithTheKafkaTimestamp() {
    byte[] frame = frame(CAPTURE_NS).toByteArray();
    long captured = CaptureTime.of(DriveRecorder.ValueType.DEPTH_FRAME, frame);
    assertThat(captured).isEqualTo(CAPTURE_NS);
    assertThat(McapWriter.logTimeNs(CAPTURE_NS / 1_000_000, captured)).isEqualTo(CAPTURE_NS);
    // Another clock's Kafka timestamp wins, so the player restores it; unknown capture times likewise.
    assertThat(McapWriter.logTimeNs(5, captured)).isEqualTo(5_000_000L);
    assertThat(CaptureTime.of(DriveRecorder.ValueType.BYTES, frame)).isEqualTo(McapWriter.UNKNOWN_CAPTURE_TIME);
    assertThat(CaptureTime.of(DriveRecorder.ValueType.DEPTH_FRAME, new byte[] {(byte) 0xff, 1}))
        .isEqualTo(McapWriter.UNKNOWN_CAPTURE_TIME);
  }

  @Test
  void aRos2RecordingHasTheProfileChannelsAndNanosecondTimesRosbag2Expects() throws Exception {
    Path file = writeDrive();
    byte[] bytes = Files.readAllBytes(file);
    // Header record after the magic: opcode 1, length (8), profile string (uint32 length + bytes).
    assertThat(bytes[8]).isEqualTo((byte) Mcap.OP_HEADER);
    assertThat(new String(bytes, 8 + 9 + 4, 4, StandardCharsets.UTF_8)).isEqualTo("ros2");

    Map<String, McapReader.Channel> channels = new HashMap<>();
    Map<String, Long> firstLogTime = new HashMap<>();
    try (McapReader reader = new McapReader(file, true)) {
      for (McapReader.Message m = reader.next(); m != null; m = reader.next()) {
        channels.put(m.channel().topic(), m.channel());
        firstLogTime.putIfAbsent(m.channel().topic(), m.logTimeNs());
      }
    }
    assertThat(channels).containsOnlyKeys("/tf_static", "/depth_raw_lidar/lidar_front/image",
        "/depth_raw_lidar/lidar_front/camera_info", "/depth_dense/lidar_front/image",
        "/depth_dense/lidar_front/camera_info", "/depth_dense/lidar_front/points", "/nav_guidance/lidar_front/scan");
    assertThat(channels.values()).allSatisfy(c -> {
      assertThat(c.encoding()).isEqualTo("cdr");
      assertThat(c.schemaName()).matches("[a-z0-9_]+/msg/[A-Za-z0-9]+");
      assertThat(c.metadata()).containsKey(Ros2Channels.QOS_KEY);
      assertThat(c.role()).isEqualTo(McapReader.Role.VIEW); // the depthstream player leaves them alone
    });
    assertThat(channels.get("/depth_dense/lidar_front/points").schemaName()).isEqualTo("sensor_msgs/msg/PointCloud2");
    assertThat(channels.get("/tf_static").metadata().get(Ros2Channels.QOS_KEY)).contains("durability: 1");
    assertThat(firstLogTime.get("/depth_raw_lidar/lidar_front/image")).isEqualTo(CAPTURE_NS);
    try (McapReader reader = new McapReader(file)) {
      assertThat(reader.next()).as("no Kafka records in a ros2 recording").isNull();
    }
  }

  @Test
  void foxgloveRos2LibrariesDecodeEveryMessageAsRecorded() throws Exception {
    assumeTrue(onPath("node"), "Node.js (node) is not installed: the ROS 2 decoding check is skipped");
    assumeTrue(Files.isDirectory(SCRIPTS.resolve("node_modules/@foxglove/rosmsg2-serialization")),
        "@foxglove/rosmsg2-serialization is not installed: run 'npm ci --prefix tools/drive-tools/src/test/mcap-js'");
    Path file = writeDrive();
    Process node = new ProcessBuilder(List.of("node", "check-ros2.mjs", file.toAbsolutePath().toString()))
        .directory(SCRIPTS.toFile()).start();
    byte[] stdout = node.getInputStream().readAllBytes();
    String stderr = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(stdout, StandardCharsets.UTF_8);
    System.out.println("check-ros2.mjs: " + out.substring(0, Math.min(out.length(), 4000)));
    assertThat(node.exitValue()).as("check-ros2.mjs exit status; report:%n%s%nstderr:%n%s", out, stderr).isZero();

    JsonNode r = new ObjectMapper().readTree(stdout);
    assertThat(r.get("problems")).isEmpty();
    assertThat(r.get("profile").asText()).isEqualTo("ros2");
    assertThat(r.at("/counts").size()).isEqualTo(7);
    assertThat(r.at("/counts/~1nav_guidance~1lidar_front~1scan").asInt()).isEqualTo(3);
    for (JsonNode c : r.get("channels")) {
      assertThat(c.get("schemaEncoding").asText()).isEqualTo("ros2msg");
      assertThat(c.get("messageEncoding").asText()).isEqualTo("cdr");
    }

    JsonNode image = r.at("/first/~1depth_raw_lidar~1lidar_front~1image");
    assertThat(image.get("logTime").asLong()).isEqualTo(CAPTURE_NS);
    JsonNode m = image.get("message");
    assertThat(m.at("/header/stamp/sec").asLong()).isEqualTo(1000);
    assertThat(m.at("/header/stamp/nanosec").asLong()).isEqualTo(123_456_789);
    assertThat(m.at("/header/frame_id").asText()).isEqualTo("lidar-front_optical_frame");
    assertThat(m.get("encoding").asText()).isEqualTo("16UC1");
    assertThat(m.get("is_bigendian").asInt()).isZero();
    assertThat(m.get("step").asInt()).isEqualTo(8);
    assertThat(ints(m.get("data"))).containsExactly(0xd0, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0xb8, 0x0b); // 2000 mm at (0, 0), 3000 mm at (3, 2)

    JsonNode info = r.at("/first/~1depth_dense~1lidar_front~1camera_info/message");
    assertThat(info.get("distortion_model").asText()).isEqualTo("plumb_bob");
    assertThat(doubles(info.get("d"))).containsExactly(0.0, 0.0, 0.0, 0.0, 0.0);
    assertThat(doubles(info.get("k"))).containsExactly(5.0, 0.0, 2.0, 0.0, 5.0, 1.5, 0.0, 0.0, 1.0);
    assertThat(doubles(info.get("p"))).containsExactly(5.0, 0.0, 2.0, 0.0, 0.0, 5.0, 1.5, 0.0, 0.0, 0.0, 1.0, 0.0);
    assertThat(info.get("width").asInt()).isEqualTo(4);

    JsonNode points = r.at("/first/~1depth_dense~1lidar_front~1points/message");
    assertThat(points.get("width").asInt()).isEqualTo(2); // decimation 2: columns 0, 2
    assertThat(points.get("height").asInt()).isEqualTo(2); // rows 0, 2
    assertThat(points.get("fields").findValuesAsText("name")).containsExactly("x", "y", "z");
    assertThat(points.get("point_step").asInt()).isEqualTo(12);
    assertThat(points.get("is_dense").asBoolean()).isFalse();
    float[] xyz = floats(ints(points.get("data")));
    // Pixel (0, 0) at 2 m: x = (0 - 2) * 2 / 5, y = (0 - 1.5) * 2 / 5.
    assertThat(xyz[0]).isEqualTo((0 - 2f) * 2f * (float) (1.0 / 5));
    assertThat(xyz[1]).isEqualTo((0 - 1.5f) * 2f * (float) (1.0 / 5));
    assertThat(xyz[2]).isEqualTo(2f);
    assertThat(xyz[3]).isNaN(); // pixel (2, 0): no depth

    JsonNode scan = r.at("/last/~1nav_guidance~1lidar_front~1scan/message");
    assertThat(scan.at("/header/frame_id").asText()).isEqualTo("lidar-front_frame");
    assertThat(scan.get("angle_max").floatValue()).isEqualTo(0.5f);
    assertThat(scan.get("scan_time").floatValue()).isEqualTo(0.1f); // measured: scans 100 ms apart
    assertThat(scan.get("time_increment").floatValue()).isZero();
    assertThat(scan.get("ranges").toString()).isEqualTo("[1,\"NaN\",\"Infinity\"]"); // REP-117 kept

    JsonNode tf = r.at("/first/~1tf_static/message/transforms/0");
    assertThat(tf.at("/header/frame_id").asText()).isEqualTo("lidar-front_frame");
    assertThat(tf.get("child_frame_id").asText()).isEqualTo("lidar-front_optical_frame");
    assertThat(doubles(tf.at("/transform/rotation").elements())).containsExactly(-0.5, 0.5, -0.5, 0.5);
  }

  private static DepthFrame frame(long captureNs) {
    byte[] mm = new byte[24];
    ByteBuffer b = ByteBuffer.wrap(mm).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, (short) 2000).putShort(22, (short) 3000);
    return DepthFrame.newBuilder().setId(id(captureNs)).setWidth(4).setHeight(3).setIntrinsics(K)
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(mm))).build();
  }

  private static FrameId id(long captureNs) {
    return FrameId.newBuilder().setSensorId("lidar-front").setCaptureTimeNs(captureNs).build();
  }

  /** One input frame, its dense output (float32, NaN at (2, 0)), three guidance scans 100 ms apart. */
  private Path writeDrive() throws Exception {
    Path file = dir.resolve("ros2.mcap");
    try (McapWriter w = new McapWriter(file, new McapWriter.Options(McapCompression.ZSTD, 1_024), "ros2")) {
      Ros2Channels ros = new Ros2Channels(w, 2);
      ros.write("depth.raw.lidar", "lidar-front", DriveRecorder.ValueType.DEPTH_FRAME, CAPTURE_NS,
          frame(CAPTURE_NS).toByteArray());
      ByteBuffer metres = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < 12; i++) {
        metres.putFloat(4 * i, i == 2 ? Float.NaN : 2f);
      }
      ros.write("depth.dense", "lidar-front", DriveRecorder.ValueType.DENSE_DEPTH, CAPTURE_NS,
          DenseDepth.newBuilder().setId(id(CAPTURE_NS)).setWidth(4).setHeight(3).setIntrinsics(K)
              .setDenseM(DenseFloat32Metres.newBuilder().setData(ByteString.copyFrom(metres.array()))).build()
              .toByteArray());
      for (int i = 0; i < 3; i++) {
        long t = CAPTURE_NS + 100_000_000L * i;
        ros.write("nav.guidance", "lidar-front", DriveRecorder.ValueType.NAVIGATION_GUIDANCE, t,
            NavigationGuidance.newBuilder().setId(id(t)).setScan(LaserScan.newBuilder().setAngleMinRad(-0.5f)
                .setAngleIncrementRad(0.5f).setAngleMaxRad(0.5f).setRangeMinM(0.1f).setRangeMaxM(10f).addRangesM(1)
                .addRangesM(Float.NaN).addRangesM(Float.POSITIVE_INFINITY)).build().toByteArray());
      }
      ros.write("depth.raw.lidar", "lidar-front", DriveRecorder.ValueType.DEPTH_FRAME, CAPTURE_NS, new byte[] {9});
      assertThat(ros.skipped()).isEqualTo(1); // a corrupt record gets no messages
    }
    return file;
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static List<Double> doubles(JsonNode array) {
    return doubles(array.elements());
  }

  private static List<Double> doubles(java.util.Iterator<JsonNode> values) {
    List<Double> out = new ArrayList<>();
    values.forEachRemaining(n -> out.add(n.asDouble()));
    return out;
  }

  private static float[] floats(List<Integer> bytes) {
    ByteBuffer b = ByteBuffer.allocate(bytes.size()).order(ByteOrder.LITTLE_ENDIAN);
    bytes.forEach(v -> b.put((byte) (int) v));
    float[] out = new float[bytes.size() / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getFloat(4 * i);
    }
    return out;
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
