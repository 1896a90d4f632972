package io.depthstream.connect.formats;

import io.depthstream.proto.kafka.DeadLetterReason;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TUM RGB-D file lists ({@code depth.txt}, {@code rgb.txt}): lines {@code timestamp filename}, timestamps in
 * seconds since the Unix epoch, {@code #} comments (https://cvg.cit.tum.de/data/datasets/rgbd-dataset/file_formats).
 */
public final class TimestampedList {
  /** One entry: capture time (ns since epoch) and the file, relative to the list's directory. */
  public record Entry(long timeNs, String file) {}

  /** TUM's associate.py default: an RGB image belongs to a depth image if within 20 ms. */
  public static final long DEFAULT_MAX_DIFFERENCE_NS = 20_000_000L;

  private TimestampedList() {}

  /**
   * Reads a list, in file order.
   *
   * @throws BadFileException if the file is unreadable or a line is not {@code timestamp filename}
   */
  public static List<Entry> read(Path list) {
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new BadFileException(list, DeadLetterReason.CORRUPT_FILE, "the file list is not UTF-8 text: " + e, e);
    } catch (IOException e) {
      throw new BadFileException(list, DeadLetterReason.UNREADABLE_FILE, "cannot read the file list: " + e, e);
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] t = line.split("\\s+");
      if (t.length < 2) {
        throw new BadFileException(list, DeadLetterReason.CORRUPT_FILE,
            "line " + (i + 1) + " is not 'timestamp filename'");
      }
      out.add(new Entry(secondsToNanos(t[0], list, i + 1), t[1]));
    }
    return out;
  }

  /** Longest timestamp token accepted: TUM stamps are 17 characters; BigDecimal parsing is quadratic in length. */
  private static final int MAX_TIMESTAMP_CHARS = 64;

  /** Parses decimal seconds exactly into nanoseconds (no double rounding: TUM stamps have 6 decimals). */
  static long secondsToNanos(String s, Path file, int lineNo) {
    try {
      if (s.length() > MAX_TIMESTAMP_CHARS) {
        throw new NumberFormatException("too long");
      }
      java.math.BigDecimal seconds = new java.math.BigDecimal(s);
      // Digits before the point (precision - scale) and after it (scale) are bounded before rescaling: rescaling
      // "1e100000000" or "1e-100000000" would compute a power of ten of 100 million digits (minutes of CPU).
      if (seconds.precision() - seconds.scale() > 19 || seconds.scale() > MAX_TIMESTAMP_CHARS) {
        throw new ArithmeticException("out of range");
      }
      return seconds.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new BadFileException(file, DeadLetterReason.CORRUPT_FILE, "line " + lineNo + ": '" + s
          + "' is not a timestamp in seconds");
    }
  }

  /**
   * The entry of {@code candidates} (sorted by time) nearest to {@code timeNs}, or null if none is within
   * {@code maxDifferenceNs}.
   */
  public static Entry nearest(List<Entry> candidates, long timeNs, long maxDifferenceNs) {
    int lo = 0;
    int hi = candidates.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (candidates.get(mid).timeNs() < timeNs) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    Entry best = null;
    for (int i = Math.max(0, lo - 1); i <= Math.min(candidates.size() - 1, lo); i++) {
      Entry e = candidates.get(i);
      if (Math.abs(e.timeNs() - timeNs) <= maxDifferenceNs
          && (best == null || Math.abs(e.timeNs() - timeNs) < Math.abs(best.timeNs() - timeNs))) {
        best = e;
      }
    }
    return best;
  }
}
