package io.depthstream.streams.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Merges settings from, in increasing precedence: a properties file, the environment, and {@code key=value}
 * overrides from the command line.
 *
 * <p>Environment variables named {@code DEPTHSTREAM_<KEY>} map to {@code depthstream.<key>} and
 * {@code DEPTHSTREAM_KAFKA_<KEY>} to the Kafka key {@code <key>}, with {@code _} read as {@code .} and lower
 * case: {@code DEPTHSTREAM_TOPIC_DENSE} sets {@code depthstream.topic.dense},
 * {@code DEPTHSTREAM_KAFKA_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers}.
 */
public final class ConfigLoader {
  private static final String ENV_PREFIX = "DEPTHSTREAM_";
  private static final String ENV_KAFKA_PREFIX = "DEPTHSTREAM_KAFKA_";

  private ConfigLoader() {}

  /**
   * @param file a properties file, or null for none
   * @param env the environment, usually {@link System#getenv()}
   * @param overrides {@code key=value} strings from the command line
   * @throws ConfigException naming the file or the malformed override
   */
  public static Map<String, String> merge(Path file, Map<String, String> env, List<String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (file != null) {
      merged.putAll(readFile(file));
    }
    merged.putAll(fromEnvironment(env));
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("override '" + override + "' is not of the form key=value");
      }
      merged.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
    }
    return merged;
  }

  static Map<String, String> readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("configuration file " + file.toAbsolutePath() + " does not exist");
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration file " + file, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).trim()));
    return out;
  }

  static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(ENV_KAFKA_PREFIX)) {
        out.put(toKey(name.substring(ENV_KAFKA_PREFIX.length())), value);
      } else if (name.startsWith(ENV_PREFIX)) {
        out.put(NodeConfig.PREFIX + toKey(name.substring(ENV_PREFIX.length())), value);
      }
    });
    return out;
  }

  private static String toKey(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
