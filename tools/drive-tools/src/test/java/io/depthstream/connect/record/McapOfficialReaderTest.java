package io.depthstream.connect.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * depthstream's own recordings, checked by an independent implementation: the official MCAP TypeScript library
 * ({@code @mcap/core}) reads each compression's file with its indexed reader (footer, summary, chunk and message
 * indexes: what Foxglove uses) and its streaming reader, both validating chunk CRCs, and checks the summary and
 * data section CRCs and the Statistics counts, and decodes every message with its channel's schema (protobufjs
 * from the embedded FileDescriptorSets, as Foxglove does), Foxglove views included
 * ({@code src/test/mcap-js/check-files.mjs}).
 *
 * <p>Needs Node.js and the script's packages: {@code npm ci --prefix tools/drive-tools/src/test/mcap-js}. Skipped,
 * saying so, when either is missing.
 */
class McapOfficialReaderTest {
  private static final Path SCRIPTS = Path.of("src/test/mcap-js");

  @TempDir
  Path dir;

  private record Written(String topic, long logTimeNs, byte[] data) {}

  @Test
  void theOfficialIndexedAndStreamingReadersAcceptOurFiles() throws Exception {
    assumeTrue(onPath("node"), "Node.js (node) is not installed: the @mcap/core check is skipped");
    assumeTrue(Files.isDirectory(SCRIPTS.resolve("node_modules/@mcap/core")),
        "@mcap/core is not installed: run 'npm ci --prefix tools/drive-tools/src/test/mcap-js' to run this check");

    List<Path> files = new ArrayList<>();
    List<Written> written = new ArrayList<>();
    for (McapCompression c : McapCompression.values()) {
      Path file = dir.resolve("ours-" + c.name().toLowerCase(java.util.Locale.ROOT) + ".mcap");
      written = writeDrive(file, c);
      files.add(file);
    }

    List<String> command = new ArrayList<>(List.of("node", "check-files.mjs"));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    Process node = new ProcessBuilder(command).directory(SCRIPTS.toFile()).redirectErrorStream(false).start();
    byte[] stdout = node.getInputStream().readAllBytes();
    String stderr = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String report = new String(stdout, StandardCharsets.UTF_8);
    System.out.println("@mcap/core check of our files:\n" + summary(report));
    assertThat(node.exitValue()).as("check-files.mjs exit status; report:%n%s%nstderr:%n%s", report, stderr)
        .isZero();

    JsonNode reports = new ObjectMapper().readTree(stdout);
    assertThat(reports).hasSize(files.size());
    for (JsonNode r : reports) {
      assertThat(r.get("problems")).as(r.get("file").asText()).isEmpty();
      JsonNode indexed = r.get("indexed");
      JsonNode messages = indexed.get("messages");
      // Headers and Foxglove views are MCAP messages too: 45 records, 10 headers, 30 images, 30 calibrations,
      // 5 scans; every one decodes with its channel's schema.
      int total = written.size() + 10 + 30 + 30 + 5;
      assertThat(messages).hasSize(total);
      assertThat(r.at("/statistics/messageCount").asInt()).isEqualTo(total);
      assertThat(r.at("/stream/messageCount").asInt()).isEqualTo(total);
      JsonNode decoded = indexed.get("decoded");
      assertThat(decoded.get("depthstream.v1.DepthFrame").asInt()).isEqualTo(30);
      assertThat(decoded.get("depthstream.v1.NavigationGuidance").asInt()).isEqualTo(5);
      assertThat(decoded.get(KafkaHeadersJson.SCHEMA_NAME).asInt()).isEqualTo(10);
      assertThat(decoded.get("foxglove.RawImage").asInt()).isEqualTo(30);
      assertThat(decoded.get("foxglove.CameraCalibration").asInt()).isEqualTo(30);
      assertThat(decoded.get("foxglove.LaserScan").asInt()).isEqualTo(5);
      JsonNode image = indexed.at("/foxglove/foxglove.RawImage");
      assertThat(image.get("encoding").asText()).isEqualTo("16UC1");
      assertThat(image.get("width").asInt()).isEqualTo(4);
      assertThat(image.get("step").asInt()).isEqualTo(8);
      // field names as the descriptor has them, which protobufjs keeps; the sensor's optical frame
      assertThat(image.get("frame_id").asText()).isEqualTo("depth.raw.lidar_optical_frame");
      assertThat(indexed.at("/foxglove/foxglove.CameraCalibration/K/0").asDouble()).isEqualTo(5.0);
      assertThat(indexed.get("chunkCount").asInt()).isGreaterThan(3);
      String name = r.get("file").asText();
      String compression = name.endsWith("none.mcap") ? "" : name.endsWith("zstd.mcap") ? "zstd" : "lz4";
      assertThat(indexed.get("compressions")).extracting(JsonNode::asText).containsExactly(compression);
      List<Written> seen = new ArrayList<>();
      for (JsonNode m : messages) {
        if (!m.get("topic").asText().endsWith(Mcap.HEADERS_TOPIC_SUFFIX) && !m.get("topic").asText().startsWith("/")) {
          seen.add(new Written(m.get("topic").asText(), Long.parseLong(m.get("logTime").asText()),
              Base64.getDecoder().decode(m.get("data").asText())));
        }
      }
      assertThat(seen).usingRecursiveFieldByFieldElementComparator().containsExactlyInAnyOrderElementsOf(written);
      JsonNode headers = messages.findParents("topic").stream()
          .filter(m -> m.get("topic").asText().equals("depth.raw.vslam" + Mcap.HEADERS_TOPIC_SUFFIX)).findFirst()
          .orElseThrow();
      assertThat(new String(Base64.getDecoder().decode(headers.get("data").asText()), StandardCharsets.UTF_8))
          .contains("\"depthstream.pose\"");
    }
  }

  /**
   * 40 records on three channels (one raw bytes, one empty value), 10 with headers, then 5 guidance records;
   * Foxglove views of the 30 depth frames (image, calibration) and the 5 scans; chunks of 1 KB.
   */
  private static List<Written> writeDrive(Path file, McapCompression compression) throws Exception {
    List<Written> written = new ArrayList<>();
    try (McapWriter w = new McapWriter(file, new McapWriter.Options(compression, 1_024))) {
      FoxgloveChannels views = new FoxgloveChannels(w);
      for (int i = 0; i < 40; i++) {
        String topic = i % 4 == 3 ? "depth.dlq" : i % 2 == 0 ? "depth.raw.lidar" : "depth.raw.vslam";
        long ms = 1_000 + 10L * i + (i % 2 == 0 ? 5 : 0);
        FrameId id = FrameId.newBuilder().setSensorId(topic).setSequence(i).setCaptureTimeNs(ms * 1_000_000L).build();
        byte[] value = topic.equals("depth.dlq") ? (i == 3 ? new byte[0] : new byte[] {1, 2, (byte) i})
            : DepthFrame.newBuilder().setId(id).setWidth(4).setHeight(3).setIntrinsics(CameraIntrinsics.newBuilder()
                .setFx(5).setFy(5).setCx(2).setCy(1.5).setWidth(4).setHeight(3))
                .setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(new byte[24])))
                .build().toByteArray();
        var headers = topic.equals("depth.raw.vslam") && written.size() % 2 == 1
            ? List.<org.apache.kafka.common.header.Header>of(new RecordHeader("depthstream.pose",
                "1 2 3 0 0 0 1".getBytes(StandardCharsets.UTF_8)))
            : List.<org.apache.kafka.common.header.Header>of();
        String key = topic.equals("depth.dlq") ? null : topic;
        w.write(topic, key, headers, topic.equals("depth.dlq") ? null : DepthFrame.getDescriptor(), ms, value);
        if (!topic.equals("depth.dlq")) {
          views.write(topic, key, DriveRecorder.ValueType.DEPTH_FRAME, ms * 1_000_000L, value);
        }
        written.add(new Written(topic, ms * 1_000_000L, value));
      }
      for (int i = 0; i < 5; i++) {
        long ms = 1_100 + 50L * i;
        byte[] value = NavigationGuidance.newBuilder().setId(FrameId.newBuilder().setSensorId("lidar0")
            .setCaptureTimeNs(ms * 1_000_000L)).setScan(LaserScan.newBuilder().setAngleMinRad(-0.5f)
                .setAngleIncrementRad(0.25f).addRangesM(1).addRangesM(2).addRangesM(Float.POSITIVE_INFINITY)
                .addRangesM(Float.NaN).addRangesM(3))
            .build().toByteArray();
        w.write("nav.guidance", "lidar0", NavigationGuidance.getDescriptor(), ms, value);
        views.write("nav.guidance", "lidar0", DriveRecorder.ValueType.NAVIGATION_GUIDANCE, ms * 1_000_000L, value);
        written.add(new Written("nav.guidance", ms * 1_000_000L, value));
      }
    }
    return written;
  }

  /** The report without its message lists, for the test log. */
  private static String summary(String report) throws Exception {
    JsonNode reports = new ObjectMapper().readTree(report);
    for (JsonNode r : reports) {
      if (r.get("indexed") instanceof com.fasterxml.jackson.databind.node.ObjectNode indexed) {
        indexed.remove(List.of("messages", "channels"));
      }
    }
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(reports);
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
