package io.depthstream.inference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test model files: copies of shipped models with custom metadata added. */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * The committed fixture: the first (v1) fast_interp_x4_smoke, which pads inside its graph, with
   * {@code depthstream.input_multiple = "8"} added (onnx set_model_props).
   */
  static Path fastMultiple8() {
    return resource("/models/fast_interp_x4_smoke_multiple8.onnx");
  }

  /** The same v1 smoke model without any metadata: any input size, padded inside the graph. */
  static Path fastV1WithoutMetadata() {
    return resource("/models/fast_interp_x4_smoke_v1.onnx");
  }

  /**
   * The multiple-8 smoke model with its dimensions named batch, height, width instead of the signature's N, H, W
   * (renamed with the onnx package: dim_param of every input and output).
   */
  static Path fastOtherDimensionNames() {
    return resource("/models/fast_interp_x4_smoke_other_dim_names.onnx");
  }

  private static Path resource(String name) {
    try {
      return Path.of(ModelFiles.class.getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code dir/<stem>.onnx}: {@code source} with one more {@code metadata_props} entry. A protobuf message
   * followed by more fields is the message with those fields merged (repeated fields append), so appending the
   * encoded entry, {@code ModelProto} field 14 = {@code StringStringEntryProto {key = 1, value = 2}}, is exactly
   * what onnx's {@code set_model_props} would have stored (for a model without metadata).
   */
  static Path withMetadata(Path source, Path dir, String stem, String key, String value) throws IOException {
    ByteArrayOutputStream entry = new ByteArrayOutputStream();
    field(entry, 1, key.getBytes(StandardCharsets.UTF_8));
    field(entry, 2, value.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    model.write(Files.readAllBytes(source));
    field(model, 14, entry.toByteArray());
    Path out = dir.resolve(stem + ".onnx");
    Files.write(out, model.toByteArray());
    return out;
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] bytes) {
    varint(out, (number << 3) | 2); // wire type 2: length-delimited
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void varint(ByteArrayOutputStream out, int v) {
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }
}
