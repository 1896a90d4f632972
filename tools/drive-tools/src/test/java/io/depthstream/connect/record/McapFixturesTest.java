package io.depthstream.connect.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files written by the official MCAP TypeScript library ({@code @mcap/core}, {@code src/test/mcap-js/
 * generate-fixtures.mjs}) in every layout, chunked or not, zstd, lz4 or uncompressed, with and without message
 * indexes and summary, read by {@link McapReader}: every message, in log-time order, with its topic, sequence,
 * log time and payload as the generator's JSON sidecar lists them.
 */
class McapFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> sidecars() throws Exception {
    Path dir = Path.of(McapFixturesTest.class.getResource("/mcap").toURI());
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
    }
    assertThat(files).as("fixtures in " + dir).hasSizeGreaterThanOrEqualTo(8);
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sidecars")
  void readsEveryMessageOfAFileTheOfficialLibraryWrote(Path sidecar) throws Exception {
    JsonNode expected = JSON.readTree(sidecar.toFile());
    Path file = sidecar.resolveSibling(expected.get("file").asText());
    JsonNode layout = expected.get("layout");
    boolean indexed = layout.path("useChunks").asBoolean(true) && layout.path("useChunkIndex").asBoolean(true);

    List<McapReader.Message> messages = new ArrayList<>();
    try (McapReader reader = new McapReader(file)) {
      assertThat(reader.indexed()).as("read through chunk indexes").isEqualTo(indexed);
      McapReader.Message m;
      while ((m = reader.next()) != null) {
        messages.add(m);
      }
      for (JsonNode c : expected.get("channels")) {
        McapReader.Channel channel = reader.channels().get(c.get("id").asInt());
        assertThat(channel).as("channel " + c).isNotNull();
        assertThat(channel.topic()).isEqualTo(c.get("topic").asText());
        assertThat(channel.key()).isNull(); // no Kafka key in another tool's file
        assertThat(channel.encoding()).isEqualTo(c.get("messageEncoding").asText());
        assertThat(channel.schemaName()).isEqualTo(c.get("schemaName").asText());
        assertThat(channel.role()).isEqualTo(McapReader.Role.KAFKA_RECORD);
      }
    }
    JsonNode want = expected.get("messages");
    assertThat(messages).hasSize(expected.get("messageCount").asInt()).hasSize(want.size());
    for (int i = 0; i < want.size(); i++) {
      JsonNode w = want.get(i);
      McapReader.Message m = messages.get(i);
      assertThat(m.channel().topic()).as("message " + i + " topic").isEqualTo(w.get("topic").asText());
      assertThat(m.channel().id()).as("message " + i + " channel").isEqualTo(w.get("channelId").asInt());
      assertThat(m.sequence()).as("message " + i + " sequence").isEqualTo(w.get("sequence").asLong());
      assertThat(m.logTimeNs()).as("message " + i + " log time").isEqualTo(Long.parseLong(w.get("logTime").asText()));
      assertThat(m.data()).as("message " + i + " payload")
          .isEqualTo(Base64.getDecoder().decode(w.get("data").asText()));
      assertThat(m.headers()).isEmpty();
    }
    assertThat(McapReader.countMessages(file)).isEqualTo(want.size());
  }
}
