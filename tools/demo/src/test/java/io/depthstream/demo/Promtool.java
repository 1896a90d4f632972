package io.depthstream.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' own tools ({@code promtool}, {@code prometheus}) found on the PATH: Debian's {@code prometheus}
 * package ships both ({@code apt-get install -y prometheus}). Tests that need them skip, saying so, when absent.
 */
final class Promtool {
  static final String MISSING = " is not installed; the test command's set-up installs it with"
      + " `apt-get install -y prometheus` (Debian's package ships prometheus and promtool)";

  /** What a command printed (stdout and stderr together) and its exit status. */
  record Result(int exitCode, String output) {}

  private Promtool() {}

  /** The executable {@code name} on the PATH. */
  static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs {@code promtool args...} and waits for it (at most 60 s). */
  static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(find("promtool").orElseThrow(() -> new IllegalStateException("promtool" + MISSING)).toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("promtool did not finish within 60 s: " + command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
