package io.depthstream.tools.shards;

import java.util.List;

/**
 * {@code manifest.json} of a shard export. The field names and meanings are a contract with the Python
 * reader (format {@value #FORMAT}); do not change them without bumping the format.
 *
 * @param width frame width, pixels
 * @param height frame height, pixels
 * @param count total frames over all shards
 * @param shards shard file names, in order
 * @param seed the export's seed
 * @param indoor number of indoor frames (scene code 0)
 * @param road number of road frames (scene code 1)
 */
record ShardManifest(int width, int height, int count, List<String> shards, long seed, int indoor, int road) {
  static final String FORMAT = "depthstream-shards/1";
  static final String DEPTH_UNITS = "metres, 0 = no measurement";

  ShardManifest {
    shards = List.copyOf(shards);
  }

  /** The manifest as JSON, fields in the contract's order. Shard names are plain ASCII and need no escaping. */
  String toJson() {
    StringBuilder s = new StringBuilder("{\n");
    s.append("  \"format\": \"").append(FORMAT).append("\",\n");
    s.append("  \"width\": ").append(width).append(",\n");
    s.append("  \"height\": ").append(height).append(",\n");
    s.append("  \"count\": ").append(count).append(",\n");
    s.append("  \"shards\": [");
    for (int i = 0; i < shards.size(); i++) {
      s.append(i == 0 ? "" : ", ").append('"').append(shards.get(i)).append('"');
    }
    s.append("],\n");
    s.append("  \"seed\": ").append(seed).append(",\n");
    s.append("  \"scenes\": {\"indoor\": ").append(indoor).append(", \"road\": ").append(road).append("},\n");
    s.append("  \"depth_units\": \"").append(DEPTH_UNITS).append("\"\n");
    return s.append("}\n").toString();
  }
}
