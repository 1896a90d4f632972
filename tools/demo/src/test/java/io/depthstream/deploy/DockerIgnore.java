package io.depthstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a {@code .dockerignore}, applied as Docker applies them: patterns relative to the context's root
 * ({@code *} within one path element, {@code **} across any number), the last matching rule winning, a leading
 * {@code !} re-including, and a directory's exclusion excluding everything below it (this reader does not re-include
 * below an excluded directory, which our file never asks for).
 */
final class DockerIgnore {
  private record Rule(PathMatcher matcher, PathMatcher anyDepth, boolean include) {}

  private final List<Rule> rules = new ArrayList<>();

  DockerIgnore(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean include = line.startsWith("!");
      String pattern = (include ? line.substring(1) : line).strip().replaceAll("^/+|/+$", "");
      // "**/x" also matches "x" at the root, which Java's glob does not.
      PathMatcher anyDepth = pattern.startsWith("**/") ? glob(pattern.substring(3)) : null;
      rules.add(new Rule(glob(pattern), anyDepth, include));
    }
  }

  /** Whether the file or directory at {@code path} (relative to the context's root, "/"-separated) is left out. */
  boolean excludes(String path) {
    // A path is left out when it or one of its parent directories is, by the last rule that matches it.
    Path p = Path.of(path);
    for (int depth = 1; depth <= p.getNameCount(); depth++) {
      if (excludedItself(p.subpath(0, depth))) {
        return true;
      }
    }
    return false;
  }

  private boolean excludedItself(Path path) {
    boolean excluded = false;
    for (Rule rule : rules) {
      if (rule.matcher().matches(path) || (rule.anyDepth() != null && rule.anyDepth().matches(path))) {
        excluded = !rule.include();
      }
    }
    return excluded;
  }

  private static PathMatcher glob(String pattern) {
    return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
  }
}
