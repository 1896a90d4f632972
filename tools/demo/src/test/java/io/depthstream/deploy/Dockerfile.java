package io.depthstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its instructions and build stages, enough to check what a build engine would only find out
 * while building: continuation lines joined, comments and parser directives dropped, global ARG defaults substituted
 * into FROM lines.
 */
record Dockerfile(Path file, List<Stage> stages, Map<String, String> globalArgs) {
  /** One instruction: its keyword in upper case, its flags ({@code --from=build}) and the rest of the line. */
  record Instruction(String keyword, Map<String, String> flags, String arguments, int line) {
    /** The arguments as words: a JSON array's strings (exec form), else split at white space (shell form). */
    List<String> words() {
      String a = arguments.trim();
      if (a.startsWith("[")) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(a);
        while (m.find()) {
          words.add(m.group(1).replace("\\\"", "\""));
        }
        return words;
      }
      return a.isEmpty() ? List.of() : List.of(a.split("\\s+"));
    }
  }

  /** A build stage: its base image (global ARGs substituted), its name (or null) and its instructions after FROM. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> last(String keyword) {
      List<Instruction> all = all(keyword);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The last WORKDIR, or "/" when none is set. */
    String workdir() {
      return last("WORKDIR").map(i -> i.arguments().trim()).orElse("/");
    }
  }

  private static final Pattern FLAG = Pattern.compile("^--([a-z-]+)(?:=(\\S*))?\\s*");

  static Dockerfile read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    int start = 0;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.stripLeading().startsWith("#")) {
        continue; // comments and parser directives, also between continuation lines
      }
      if (pending.isEmpty()) {
        if (line.isBlank()) {
          continue;
        }
        start = n + 1;
      }
      String stripped = line.stripTrailing();
      if (stripped.endsWith("\\")) {
        pending.append(stripped, 0, stripped.length() - 1).append(' ');
        continue;
      }
      pending.append(stripped);
      instructions.add(instruction(pending.toString().trim(), start));
      pending.setLength(0);
    }
    Map<String, String> globalArgs = new HashMap<>();
    List<Stage> stages = new ArrayList<>();
    for (Instruction i : instructions) {
      if (i.keyword().equals("FROM")) {
        List<String> words = i.words();
        String image = substitute(words.get(0), globalArgs);
        String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
        stages.add(new Stage(image, name, new ArrayList<>()));
      } else if (stages.isEmpty()) {
        if (i.keyword().equals("ARG")) {
          String[] kv = i.arguments().trim().split("=", 2);
          globalArgs.put(kv[0], kv.length == 2 ? kv[1] : "");
        }
      } else {
        stages.get(stages.size() - 1).instructions().add(i);
      }
    }
    return new Dockerfile(file, stages, globalArgs);
  }

  Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  Optional<Stage> stage(String name) {
    return stages.stream().filter(s -> name.equals(s.name())).findFirst();
  }

  private static Instruction instruction(String text, int line) {
    String[] split = text.split("\\s+", 2);
    String rest = split.length > 1 ? split[1] : "";
    Map<String, String> flags = new HashMap<>();
    for (Matcher m = FLAG.matcher(rest); m.find(); m = FLAG.matcher(rest)) {
      flags.put(m.group(1), m.group(2) == null ? "" : m.group(2));
      rest = rest.substring(m.end());
    }
    return new Instruction(split[0].toUpperCase(java.util.Locale.ROOT), flags, rest, line);
  }

  private static String substitute(String text, Map<String, String> args) {
    Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }
}
