package io.depthstream.connect.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A Kafka record's headers as one JSON message of a {@code /kafka_headers} channel, so that a viewer shows them
 * as text (the vSLAM pose is a UTF-8 string) and the player restores them byte for byte:
 * {@code {"headers": [{"key": "depthstream.pose", "value": "0.1 0 0 0 0 0 1"}, {"key": "k", "base64": "AAE="},
 * {"key": "n", "value": null}]}}. A value that is valid UTF-8 is stored as {@code value} (which round-trips
 * exactly), any other as {@code base64}; a null value as {@code "value": null}. Order and repeated keys are kept.
 */
final class KafkaHeadersJson {
  static final String SCHEMA_NAME = "depthstream.KafkaHeaders";
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaHeadersJson() {}

  static byte[] encode(Iterable<Header> headers) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("headers");
    for (Header h : headers) {
      ObjectNode e = list.addObject().put("key", h.key());
      byte[] v = h.value();
      String text = v == null ? null : utf8(v);
      if (v == null) {
        e.putNull("value");
      } else if (text != null) {
        e.put("value", text);
      } else {
        e.put("base64", Base64.getEncoder().encodeToString(v));
      }
    }
    return JSON.writeValueAsBytes(root);
  }

  /**
   * @throws IOException if the message is not headers JSON as {@link #encode} writes it
   */
  static List<Header> decode(byte[] json) throws IOException {
    JsonNode list = JSON.readTree(json).path("headers");
    if (!list.isArray()) {
      throw new IOException("headers message without a \"headers\" array");
    }
    List<Header> out = new ArrayList<>(list.size());
    for (JsonNode e : list) {
      JsonNode key = e.get("key");
      if (key == null || !key.isTextual()) {
        throw new IOException("header entry without a \"key\" string: " + e);
      }
      JsonNode base64 = e.get("base64");
      JsonNode value = e.get("value");
      byte[] v;
      if (base64 != null) {
        v = Base64.getDecoder().decode(base64.asText());
      } else if (value == null || value.isNull()) {
        v = null;
      } else {
        v = value.asText().getBytes(StandardCharsets.UTF_8);
      }
      out.add(new RecordHeader(key.asText(), v));
    }
    return out;
  }

  /** A JSON Schema of the message, for viewers that show a schema. */
  static byte[] jsonSchema() {
    return ("{\"title\":\"" + SCHEMA_NAME + "\",\"description\":\"Kafka record headers (UTF-8 values as value, "
        + "others as base64)\",\"type\":\"object\",\"properties\":{\"headers\":{\"type\":\"array\",\"items\":"
        + "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\"},\"value\":{\"type\":[\"string\","
        + "\"null\"]},\"base64\":{\"type\":\"string\"}},\"required\":[\"key\"]}}}}").getBytes(StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] v) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(v)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
