package io.depthstream.streams.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.streams.fuzz.FrameCorpus.FuzzCase;
import io.depthstream.streams.fuzz.FuzzHarness.Input;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Property-based fuzzing of the topology: random bytes and mutations of valid frames and stacks (bit flips,
 * truncation, insertion, deletion, and protobuf field swaps, drops and duplicates) on every raw topic. Whatever the
 * input, {@link FuzzHarness#run} must account for it exactly (processed, one dead letter with a known reason, or
 * skipped) and the driver must not throw. Tries per property: {@code jqwik.tries.default} in
 * {@code junit-platform.properties}; a longer run: {@code -Djqwik.tries.default=20000}.
 */
class FrameFuzzTest {
  private static final OutcomeTally RANDOM = new OutcomeTally("fuzz properties: random bytes");
  private static final OutcomeTally MUTATED = new OutcomeTally("fuzz properties: mutated valid records");

  private FuzzHarness harness;

  @BeforeProperty
  void startDriver() {
    harness = new FuzzHarness();
  }

  @AfterProperty
  void stopDriver() {
    harness.close();
  }

  @AfterContainer
  static void printSummary() {
    System.out.println(RANDOM.table() + MUTATED.table());
  }

  @Property
  void randomBytesAreAccountedFor(@ForAll Input input, @ForAll @Size(max = 4096) byte[] value) {
    String key = input == Input.FOCAL ? FrameCorpus.FOCUS : FrameCorpus.CAM;
    FuzzHarness.Result result = harness.run(input, key, value);
    RANDOM.add("random bytes", result);
    assertOnlyVslamIsSkipped(input, result);
  }

  /** A mutation of a valid record; positions are taken modulo the record's length. */
  enum Mutation {
    FLIP_BITS,
    TRUNCATE,
    INSERT,
    DELETE,
    OVERWRITE,
    SWAP_FIELD_NUMBERS,
    DROP_FIELD,
    DUPLICATE_FIELD,
    REVERSE_FIELDS
  }

  @Provide
  Arbitrary<FuzzCase> validRecords() {
    return Arbitraries.of(FrameCorpus.validBases());
  }

  @Property
  void mutatedValidRecordsAreAccountedFor(@ForAll("validRecords") FuzzCase base, @ForAll Mutation mutation,
      @ForAll @IntRange(max = 1 << 20) int at, @ForAll @IntRange(max = 1 << 20) int other,
      @ForAll @Size(min = 1, max = 16) byte[] noise) {
    byte[] value = mutate(base.value().get(), mutation, at, other, noise);
    FuzzHarness.Result result = harness.run(base.input(), base.key(), value);
    MUTATED.add(base.name() + " " + mutation, result);
    assertOnlyVslamIsSkipped(base.input(), result);
  }

  private static void assertOnlyVslamIsSkipped(Input input, FuzzHarness.Result result) {
    if (result.outcome().kind() == Outcome.Kind.SKIPPED) {
      assertThat(input).as("only the vSLAM topic has a real-time budget in the harness").isEqualTo(Input.VSLAM);
    }
  }

  static byte[] mutate(byte[] v, Mutation m, int at, int other, byte[] noise) {
    int n = v.length;
    int i = at % n;
    int j = other % n;
    switch (m) {
      case FLIP_BITS -> {
        byte[] out = v.clone();
        for (int k = 0; k < noise.length; k++) { // one flipped bit per noise byte, spread from i
          int pos = (i + k * (1 + j)) % n;
          out[pos] ^= (byte) (1 << (noise[k] & 7));
        }
        return out;
      }
      case TRUNCATE -> {
        return Arrays.copyOf(v, i);
      }
      case INSERT -> {
        byte[] out = new byte[n + noise.length];
        System.arraycopy(v, 0, out, 0, i);
        System.arraycopy(noise, 0, out, i, noise.length);
        System.arraycopy(v, i, out, i + noise.length, n - i);
        return out;
      }
      case DELETE -> {
        int len = Math.min(1 + (j % 16), n - i);
        byte[] out = new byte[n - len];
        System.arraycopy(v, 0, out, 0, i);
        System.arraycopy(v, i + len, out, i, n - i - len);
        return out;
      }
      case OVERWRITE -> {
        byte[] out = v.clone();
        System.arraycopy(noise, 0, out, i, Math.min(noise.length, n - i));
        return out;
      }
      default -> {
        return mutateFields(v, m, at, other);
      }
    }
  }

  /** A top-level protobuf field: its number, wire type and encoded value (after the tag). */
  private record Field(int number, int wireType, byte[] body) {}

  /** Field-level mutations of the top-level message; a value that does not split into fields is returned as is. */
  private static byte[] mutateFields(byte[] v, Mutation m, int at, int other) {
    List<Field> fields = split(v);
    if (fields == null || fields.isEmpty()) {
      return v;
    }
    int i = at % fields.size();
    int j = other % fields.size();
    switch (m) {
      case SWAP_FIELD_NUMBERS -> { // e.g. width <-> height, dense_mm <-> dense_m, id <-> intrinsics
        Field a = fields.get(i);
        Field b = fields.get(j);
        fields.set(i, new Field(b.number(), a.wireType(), a.body()));
        fields.set(j, new Field(a.number(), b.wireType(), b.body()));
      }
      case DROP_FIELD -> fields.remove(i);
      case DUPLICATE_FIELD -> fields.add(j, fields.get(i)); // a repeated singular field: the last one wins
      case REVERSE_FIELDS -> java.util.Collections.reverse(fields);
      default -> throw new IllegalArgumentException(m.name());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Field f : fields) {
      writeVarint(out, ((long) f.number() << 3) | f.wireType());
      out.writeBytes(f.body());
    }
    return out.toByteArray();
  }

  private static List<Field> split(byte[] v) {
    List<Field> fields = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < v.length) {
      long tag = readVarint(v, pos);
      if (tag < 0) {
        return null;
      }
      int start = pos[0];
      int wireType = (int) (tag & 7);
      switch (wireType) {
        case 0 -> {
          if (readVarint(v, pos) < 0) {
            return null;
          }
        }
        case 1 -> pos[0] += 8;
        case 2 -> {
          long len = readVarint(v, pos);
          if (len < 0 || len > v.length - pos[0]) {
            return null;
          }
          pos[0] += (int) len;
        }
        case 5 -> pos[0] += 4;
        default -> {
          return null;
        }
      }
      if (pos[0] > v.length) {
        return null;
      }
      fields.add(new Field((int) (tag >>> 3), wireType, Arrays.copyOfRange(v, start, pos[0])));
    }
    return fields;
  }

  /** Reads a varint at pos[0], advancing it; -1 if it runs off the end or past 64 bits. */
  private static long readVarint(byte[] v, int[] pos) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= v.length) {
        return -1;
      }
      byte b = v[pos[0]++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    return -1;
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
