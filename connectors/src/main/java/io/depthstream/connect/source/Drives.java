package io.depthstream.connect.source;

import io.depthstream.connect.formats.BadFileException;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Listing a drive directory's captures, in name order, with optional per-capture timestamps. */
public final class Drives {
  /** Per-drive timestamps, one line per capture in name order (KITTI raw layout). */
  public static final String TIMESTAMPS_FILE = "timestamps.txt";

  private Drives() {}

  /** Files directly in {@code dir} whose lower-case name ends with {@code suffix} and passes {@code keep}. */
  public static List<DriveItem> files(Path dir, String suffix, Predicate<String> keep) {
    List<Path> paths;
    try (Stream<Path> s = Files.list(dir)) {
      paths = s.filter(Files::isRegularFile)
          .filter(p -> {
            String n = p.getFileName().toString();
            return n.toLowerCase(Locale.ROOT).endsWith(suffix) && keep.test(n);
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return withTimestamps(dir, paths);
  }

  /** Subdirectories of {@code dir}, in name order (focal stacks). */
  public static List<Path> directories(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Items for {@code paths}, timed from {@code dir/timestamps.txt} when it exists (one line per path). */
  public static List<DriveItem> withTimestamps(Path dir, List<Path> paths) {
    Path ts = dir.resolve(TIMESTAMPS_FILE);
    long[] times = null;
    if (Files.isRegularFile(ts)) {
      times = readTimestamps(ts);
      if (times.length != paths.size()) {
        throw new BadFileException(ts, DeadLetterReason.CORRUPT_FILE, "has " + times.length + " timestamps for "
            + paths.size() + " captures");
      }
    }
    List<DriveItem> items = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      Path p = paths.get(i);
      items.add(new DriveItem(dir.relativize(p).toString(), p, times == null ? DriveItem.NO_TIME : times[i]));
    }
    return items;
  }

  /**
   * Reads timestamps, one per line: KITTI raw's {@code 2011-09-26 13:02:25.964389445} (UTC) or decimal seconds
   * since the epoch.
   */
  public static long[] readTimestamps(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new BadFileException(file, DeadLetterReason.UNREADABLE_FILE, "cannot read: " + e, e);
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String s = lines.get(i).trim();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      try {
        if (s.indexOf('-') > 0 && s.indexOf(' ') > 0) {
          LocalDateTime t = LocalDateTime.parse(s.replace(' ', 'T'));
          out.add(t.toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L + t.getNano());
        } else {
          out.add(new BigDecimal(s).movePointRight(9).longValue());
        }
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "line " + (i + 1) + " '" + s
            + "' is neither 'yyyy-mm-dd hh:mm:ss.fff' nor seconds");
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** Reads a whole file, mapping I/O failures to a {@link BadFileException} naming it. */
  public static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadFileException(file, DeadLetterReason.UNREADABLE_FILE, "cannot read: " + e, e);
    }
  }
}
