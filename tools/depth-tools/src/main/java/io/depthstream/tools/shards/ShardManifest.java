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
 * @param patterns canonical sampling specs ({@code SamplingPattern#spec()}) of a sparse export, in the order
 *     the {@code pattern} array indexes them; empty for a dense export
 */
record ShardManifest(int width, int height, int count, List<String> shards, long seed, int indoor, int road,
    List<String> patterns) {
  static final String FORMAT = "depthstream-shards/1";
  /** Dense arrays plus {@code sparse} float32 [n,H,W] metres (0 = none) and {@code pattern} int16 [n]. */
  static final String SPARSE_FORMAT = "depthstream-sparse/1";
  static final String DEPTH_UNITS = "metres, 0 = no measurement";

  ShardManifest {
    shards = List.copyOf(shards);
    patterns = List.copyOf(patterns);
  }

  /** A dense export's manifest (no sampling patterns). */
  ShardManifest(int width, int height, int count, List<String> shards, long seed, int indoor, int road) {
    this(width, height, count, shards, seed, indoor, road, List.of());
  }

  /**
   * The manifest as JSON, fields in the contract's order. Shard names and pattern specs are plain ASCII without
   * quotes or backslashes and need no escaping.
   */
  String toJson() {
    StringBuilder s = new StringBuilder("{\n");
    s.append("  \"format\": \"").append(patterns.isEmpty() ? FORMAT : SPARSE_FORMAT).append("\",\n");
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
    if (!patterns.isEmpty()) {
      s.append("  \"patterns\": [");
      for (int i = 0; i < patterns.size(); i++) {
        s.append(i == 0 ? "" : ", ").append('"').append(patterns.get(i)).append('"');
      }
      s.append("],\n");
    }
    s.append("  \"depth_units\": \"").append(DEPTH_UNITS).append("\"\n");
    return s.append("}\n").toString();
  }
}
