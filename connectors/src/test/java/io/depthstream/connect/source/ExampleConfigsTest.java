package io.depthstream.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ready .properties under config/connect/ stay valid: every key known, every value accepted. */
class ExampleConfigsTest {
  private static final Set<String> FRAMEWORK_KEYS =
      Set.of("name", "connector.class", "tasks.max", "key.converter", "value.converter");

  @ParameterizedTest
  @ValueSource(strings = {"lidar-source", "rgbd-source", "vslam-source", "focalstack-source"})
  void exampleConfigurationValidates(String name) throws Exception {
    Path root = Path.of(System.getProperty("depthstream.root", ".."));
    Path file = root.resolve("config/connect/" + name + ".properties");
    if (!Files.exists(file)) {
      file = Path.of("../config/connect/" + name + ".properties");
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    Map<String, String> props = new HashMap<>();
    p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
    SourceConnector connector = (SourceConnector) Class.forName(props.get("connector.class"))
        .getDeclaredConstructor().newInstance();
    for (String key : props.keySet()) {
      if (!FRAMEWORK_KEYS.contains(key)) {
        assertThat(connector.config().names()).as("%s in %s", key, file).contains(key);
      }
    }
    for (ConfigValue v : connector.validate(props).configValues()) {
      assertThat(v.errorMessages()).as("%s in %s", v.name(), file).isEmpty();
    }
  }
}
