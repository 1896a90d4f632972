package io.depthstream.inference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One {@code models/<name>.io.json} (shipped model) or {@code test-models/<name>.io.json} (test fixture): the model file, its stored inputs and reference outputs (raw
 * little-endian float32, written by the trainer's PyTorch export) and the tolerance. Parsed with regular
 * expressions, since the format is small and fixed and the module stays free of a JSON dependency.
 */
record ShippedModel(Path json, Path model, double tolerance, List<Tensor> inputs, List<Tensor> outputs) {

  record Tensor(String name, long[] shape, float[] values) {}

  private static final Pattern ENTRY = Pattern.compile("\\{[^{}]*}");
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern SHAPE = Pattern.compile("\"shape\"\\s*:\\s*\\[([^\\]]*)]");
  private static final Pattern FILE = Pattern.compile("\"file\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern DTYPE = Pattern.compile("\"dtype\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ORDER = Pattern.compile("\"byte_order\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TOLERANCE = Pattern.compile("\"tolerance\"\\s*:\\s*([0-9.eE+-]+)");

  /** The repository's models/ directory (shipped models only), from the {@code depthstream.root} property. */
  static Path modelsDir() {
    return root().resolve("models");
  }

  /**
   * The repository's test-models/ directory: the tiny {@code *_smoke} models the trainer's {@code --smoke} runs
   * export, fixtures for tests and never offered as methods.
   */
  static Path testModelsDir() {
    return root().resolve("test-models");
  }

  private static Path root() {
    String root = System.getProperty("depthstream.root");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property depthstream.root is not set (surefire sets it to the reactor root)");
    }
    return Path.of(root);
  }

  /** Every fixture: the shipped models', then the test models'. */
  static List<ShippedModel> all() throws IOException {
    List<ShippedModel> out = new ArrayList<>();
    for (Path dir : List.of(modelsDir(), testModelsDir())) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path j : files.filter(p -> p.getFileName().toString().endsWith(".io.json")).sorted().toList()) {
          out.add(parse(j));
        }
      }
    }
    return out;
  }

  static ShippedModel parse(Path json) throws IOException {
    String text = Files.readString(json);
    Path dir = json.getParent();
    int in = text.indexOf("\"inputs\"");
    int out = text.indexOf("\"outputs\"");
    if (in < 0 || out < 0) {
      throw new IllegalStateException(json + ": no inputs/outputs section");
    }
    String inputs = in < out ? text.substring(in, out) : text.substring(in);
    String outputs = in < out ? text.substring(out) : text.substring(out, in);
    return new ShippedModel(
        json,
        dir.resolve(group(MODEL, text, json)),
        Double.parseDouble(group(TOLERANCE, text, json)),
        tensors(inputs, dir, json),
        tensors(outputs, dir, json));
  }

  private static List<Tensor> tensors(String section, Path dir, Path json) throws IOException {
    List<Tensor> list = new ArrayList<>();
    Matcher m = ENTRY.matcher(section);
    while (m.find()) {
      String e = m.group();
      if (!group(DTYPE, e, json).equals("float32") || !group(ORDER, e, json).equals("little")) {
        throw new IllegalStateException(json + ": only little-endian float32 is supported: " + e);
      }
      String[] dims = group(SHAPE, e, json).split(",");
      long[] shape = new long[dims.length];
      long n = 1;
      for (int i = 0; i < dims.length; i++) {
        shape[i] = Long.parseLong(dims[i].trim());
        n *= shape[i];
      }
      Path file = dir.resolve(group(FILE, e, json));
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      if (bytes.remaining() != n * Float.BYTES) {
        throw new IllegalStateException(file + " has " + bytes.remaining() + " bytes, shape needs " + n * Float.BYTES);
      }
      float[] values = new float[(int) n];
      bytes.asFloatBuffer().get(values);
      list.add(new Tensor(group(NAME, e, json), shape, values));
    }
    if (list.isEmpty()) {
      throw new IllegalStateException(json + ": empty tensor list");
    }
    return list;
  }

  private static String group(Pattern p, String text, Path json) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException(json + ": missing " + p.pattern());
    }
    return m.group(1);
  }

  String name() {
    String n = model.getFileName().toString();
    return n.substring(0, n.length() - ".onnx".length());
  }

  Tensor input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  List<String> inputNames() {
    return inputs.stream().map(Tensor::name).toList();
  }
}
