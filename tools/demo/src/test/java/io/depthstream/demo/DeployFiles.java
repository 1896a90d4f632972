package io.depthstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The deployment files under the repository's docker/ directory, read as JSON trees (YAML files too). */
final class DeployFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private DeployFiles() {}

  /** The checkout's root (the build passes it as {@code depthstream.root}; tests run in tools/demo). */
  static Path root() {
    return Path.of(System.getProperty("depthstream.root", "../..")).toAbsolutePath().normalize();
  }

  static Path docker(String relative) {
    return root().resolve("docker").resolve(relative);
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
