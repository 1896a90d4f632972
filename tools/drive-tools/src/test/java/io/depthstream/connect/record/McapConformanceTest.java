package io.depthstream.connect.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases of the MCAP project's conformance suite (foxglove/mcap, tests/conformance/data): its JSON of expected
 * records beside the .mcap file, rebuilt by {@code src/test/mcap-js/generate-conformance.mjs} and proven identical
 * to the official file by its Git LFS SHA-256. Variants in the name: ch chunked, mx message indexes, chx chunk
 * indexes, st statistics, rsh/rch schemas/channels repeated in the summary, sum summary offsets, ax/mdx attachment
 * and metadata indexes, pad extra bytes after every record's known fields (a future spec's fields, which a
 * reader must skip). {@link McapReader} must return every Message record the JSON lists, in log-time order.
 */
class McapConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> cases() throws Exception {
    Path dir = Path.of(McapConformanceTest.class.getResource("/mcap-conformance").toURI());
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    return files.stream();
  }

  private record Expected(int channelId, long sequence, long logTime, byte[] data) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsTheMessagesTheConformanceCaseExpects(Path json) throws Exception {
    String name = json.getFileName().toString().replace(".json", "");
    List<String> features = List.of(name.split("-"));
    Map<Integer, String> topics = new HashMap<>();
    List<Expected> expected = new ArrayList<>();
    for (JsonNode r : JSON.readTree(json.toFile()).get("records")) {
      Map<String, JsonNode> f = new HashMap<>();
      r.get("fields").forEach(kv -> f.put(kv.get(0).asText(), kv.get(1)));
      switch (r.get("type").asText()) {
        case "Channel" -> topics.put(f.get("id").asInt(), f.get("topic").asText());
        case "Message" -> {
          byte[] data = new byte[f.get("data").size()];
          for (int i = 0; i < data.length; i++) {
            data[i] = (byte) f.get("data").get(i).asInt();
          }
          expected.add(new Expected(f.get("channel_id").asInt(), f.get("sequence").asLong(),
              Long.parseLong(f.get("log_time").asText()), data));
        }
        default -> {} // header, schemas, attachments, metadata, summary records
      }
    }
    expected.sort(Comparator.comparingLong(Expected::logTime)); // stable: ties stay in file order

    List<McapReader.Message> read = new ArrayList<>();
    try (McapReader reader = new McapReader(json.resolveSibling(name + ".mcap"))) {
      assertThat(reader.indexed()).as("read through chunk indexes")
          .isEqualTo(features.contains("ch") && features.contains("chx"));
      McapReader.Message m;
      while ((m = reader.next()) != null) {
        read.add(m);
      }
    }
    assertThat(read).hasSize(expected.size());
    for (int i = 0; i < read.size(); i++) {
      Expected e = expected.get(i);
      McapReader.Message m = read.get(i);
      assertThat(m.channel().id()).as("message %d channel", i).isEqualTo(e.channelId());
      assertThat(m.channel().topic()).as("message %d topic", i).isEqualTo(topics.get(e.channelId()));
      assertThat(m.sequence()).as("message %d sequence", i).isEqualTo(e.sequence());
      assertThat(m.logTimeNs()).as("message %d log time", i).isEqualTo(e.logTime());
      assertThat(m.data()).as("message %d data", i).isEqualTo(e.data());
    }
  }
}
