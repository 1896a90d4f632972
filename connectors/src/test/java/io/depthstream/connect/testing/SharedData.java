package io.depthstream.connect.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real sample files in {@code ../shared/data} (never copied into the repository: licences differ). */
public final class SharedData {
  private SharedData() {}

  /**
   * The sample file at {@code relative} under shared/data; the test is skipped, saying so, when it is absent.
   */
  public static Path require(String relative) {
    String root = System.getProperty("depthstream.root", "..");
    Path[] candidates = {Path.of(root, "..", "shared", "data", relative), Path.of(root, "shared", "data", relative),
        Path.of("..", "..", "shared", "data", relative), Path.of("/work/shared/data", relative)};
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p.normalize();
      }
    }
    assumeTrue(false, "shared/data/" + relative + " is absent: real-sample test skipped");
    return null;
  }
}
