package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.connect.formats.FileReaders.Reader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of the connectors' file readers: garbage and mutations of small valid files (bit flips,
 * truncation, insertion, deletion, overwrites, and for the text formats a token replaced by a hostile one). Each
 * file must either read or fail with a {@link BadFileException} that has a reason and names the file; see
 * {@link FileReaders#attempt} for the time and allocation limits. Tries: {@code jqwik.tries.default} in
 * {@code junit-platform.properties}; a longer run: {@code -Djqwik.tries.default=20000}.
 */
class FileReaderFuzzTest {
  private static final FileReaders.Tally GARBAGE = new FileReaders.Tally("file readers: random bytes");
  private static final FileReaders.Tally MUTATED = new FileReaders.Tally("file readers: mutated valid files");
  private static final Path DIR = tempDir();

  /** Values that break parsers: non-numbers, non-finite and huge numbers, separators, paths, NUL. */
  static final List<String> HOSTILE_TOKENS = List.of("", " ", "NaN", "-NaN", "Infinity", "-Infinity", "inf", "1e309",
      "-1e309", "1e100000000", "1e-100000000", "-0", "0", "-1", "2147483648", "-2147483649",
      "99999999999999999999999", "0x1p3", "1f", "1d", "+", "-", ".", "e", "\u0000", "\n", "\t\t", ":", "#", "../x.png",
      "/dev/zero", "a.png", "binary_compressed", "ascii", "binary", "DATA", "timestamp", "camera", "pose", "\u00e9",
      "\uFFFD", "P2:", "Tr:");

  @AfterContainer
  static void printSummaryAndDeleteFiles() throws IOException {
    System.out.println(GARBAGE.table() + MUTATED.table());
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Property
  void randomBytesReadOrFailAsABadFile(@ForAll Reader reader, @ForAll @Size(max = 1024) byte[] bytes) {
    String outcome = FileReaders.attempt(reader, DIR.resolve(reader.name()), bytes);
    GARBAGE.add(reader, outcome);
    assertThat(outcome).isNotBlank();
  }

  /** A mutation of a valid file; positions are taken modulo the file's length. */
  enum Mutation {
    FLIP_BITS,
    TRUNCATE,
    INSERT,
    DELETE,
    OVERWRITE,
    REPLACE_TOKEN
  }

  @Provide
  Arbitrary<String> hostileTokens() {
    return Arbitraries.of(HOSTILE_TOKENS);
  }

  @Property
  void mutatedValidFilesReadOrFailAsABadFile(@ForAll Reader reader, @ForAll Mutation mutation,
      @ForAll @IntRange(max = 1 << 20) int at, @ForAll @IntRange(max = 1 << 20) int other,
      @ForAll @Size(min = 1, max = 16) byte[] noise, @ForAll("hostileTokens") String token) {
    byte[] bytes = mutate(FileReaders.valid(reader), mutation, at, other, noise, token);
    String outcome = FileReaders.attempt(reader, DIR.resolve(reader.name()), bytes);
    MUTATED.add(reader, outcome);
    assertThat(outcome).isNotBlank();
  }

  static byte[] mutate(byte[] v, Mutation m, int at, int other, byte[] noise, String token) {
    int n = v.length;
    int i = at % n;
    int j = other % n;
    return switch (m) {
      case FLIP_BITS -> {
        byte[] out = v.clone();
        for (int k = 0; k < noise.length; k++) { // one flipped bit per noise byte, spread from i
          out[(i + k * (1 + j)) % n] ^= (byte) (1 << (noise[k] & 7));
        }
        yield out;
      }
      case TRUNCATE -> Arrays.copyOf(v, i);
      case INSERT -> splice(v, i, 0, noise);
      case DELETE -> splice(v, i, Math.min(1 + j % 16, n - i), new byte[0]);
      case OVERWRITE -> splice(v, i, Math.min(noise.length, n - i), noise);
      case REPLACE_TOKEN -> replaceToken(v, i, token);
    };
  }

  /** Replaces the whitespace-delimited token around byte {@code i} with {@code token}. */
  private static byte[] replaceToken(byte[] v, int i, String token) {
    int start = i;
    while (start > 0 && !Character.isWhitespace(v[start - 1])) {
      start--;
    }
    int end = i;
    while (end < v.length && !Character.isWhitespace(v[end])) {
      end++;
    }
    return splice(v, start, end - start, token.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] splice(byte[] v, int at, int remove, byte[] insert) {
    byte[] out = new byte[v.length - remove + insert.length];
    System.arraycopy(v, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(v, at + remove, out, at + insert.length, v.length - at - remove);
    return out;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("file-reader-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
