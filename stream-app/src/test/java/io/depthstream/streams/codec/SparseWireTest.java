package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.streams.TestFrames;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads a packed sparse payload straight from the bytes ({@link SparseWire}) and leaves every other form
 * to the generic parse: both must give the same frame, or fail with the same reason and message. The reference is
 * the same samples written unpacked (one field per value, valid protobuf that {@link SparseWire} does not read).
 */
class SparseWireTest {
  private static final int W = 70;
  private static final int H = 9;

  @Test
  void thePackedFastPathDecodesAsTheGenericParseDoes() throws Exception {
    Random random = new Random(16);
    for (int trial = 0; trial < 300; trial++) {
      int n = random.nextInt(trial % 10 == 0 ? 3 : 400);
      int[] index = new int[n];
      float[] depth = new float[n + (trial % 37 == 5 ? 1 : 0)]; // some with mismatched counts
      for (int i = 0; i < n; i++) {
        // mostly inside the image, repeats included; now and then far outside (5-byte varints, unsigned > 2^31)
        index[i] = trial % 23 == 7 && i == n / 2 ? (random.nextBoolean() ? -5 : W * H + random.nextInt(1 << 30))
            : random.nextInt(W * H);
      }
      for (int i = 0; i < depth.length; i++) {
        depth[i] = switch (random.nextInt(trial % 29 == 3 ? 8 : 60)) {
          case 0 -> Float.POSITIVE_INFINITY;
          case 1 -> Float.NEGATIVE_INFINITY;
          case 2 -> trial % 29 == 3 ? -1f : 2f;
          case 3 -> trial % 29 == 3 ? Float.NaN : 3f;
          default -> 0.01f + 90f * random.nextFloat();
        };
      }
      DepthFrame packed = TestFrames.sparse("k", trial, W, H, index, depth);
      Result fast = decode(packed.toByteArray());
      Result generic = decode(unpacked(packed, index, depth));
      assertThat(fast).as("trial %d", trial).isEqualTo(generic);
    }
  }

  @Test
  void anEmptySparsePayloadAndAFrameWithoutOneKeepTheirOutcomes() throws Exception {
    DepthFrame empty = TestFrames.sparse("k", 1, W, H, new int[0], new float[0]);
    assertThat(decode(empty.toByteArray()).depth()).containsOnly(0f);
    DepthFrame none = empty.toBuilder().clearPayload().build();
    assertThat(decode(none.toByteArray()).failure()).startsWith("UNKNOWN_ENCODING");
  }

  @Test
  void aDensePayloadAfterTheSparseOneWinsAsInProtobuf() throws Exception {
    DepthFrame sparse = TestFrames.sparse("k", 1, 2, 1, new int[] {0}, new float[] {4f});
    DepthFrame dense = TestFrames.millimetres("k", 1, 2, 1, 1000, 2000);
    byte[] both = concat(sparse.toByteArray(), DepthFrame.newBuilder().setDenseMm(dense.getDenseMm()).build()
        .toByteArray());
    assertThat(decode(both).depth()).containsExactly(1f, 2f);
  }

  /** The frame with its sparse field replaced by the same samples written unpacked. */
  private static byte[] unpacked(DepthFrame frame, int[] index, float[] depth) throws Exception {
    ByteArrayOutputStream samples = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(samples);
    for (int i : index) {
      out.writeUInt32(1, i);
    }
    for (float d : depth) {
      out.writeFloat(2, d);
    }
    out.flush();
    ByteArrayOutputStream field = new ByteArrayOutputStream();
    CodedOutputStream f = CodedOutputStream.newInstance(field);
    f.writeByteArray(DepthFrame.SPARSE_FIELD_NUMBER, samples.toByteArray());
    f.flush();
    return concat(frame.toBuilder().clearPayload().build().toByteArray(), field.toByteArray());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** What a fresh decoder made of the bytes: depth, specials, measured bits; or the failure's reason and message. */
  private record Result(float[] depth, String specials, String measured, String failure) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Result r && Arrays.equals(depth, r.depth) && specials.equals(r.specials)
          && measured.equals(r.measured) && failure.equals(r.failure);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(depth);
    }

    @Override
    public String toString() {
      return failure.isEmpty() ? "depth " + Arrays.toString(depth) + " specials " + specials : failure;
    }
  }

  private static Result decode(byte[] bytes) {
    FrameDecoder decoder = new FrameDecoder(1 << 22, 1000.0);
    try {
      FrameDecoder.Decoded d = decoder.decode("k", bytes);
      StringBuilder specials = new StringBuilder();
      for (int i = 0; i < d.specials().count(); i++) {
        specials.append(d.specials().index(i)).append(':').append(d.specials().kind(i)).append(' ');
      }
      StringBuilder measured = new StringBuilder();
      for (int y = 0; y < d.measured().height(); y++) {
        for (int x = 0; x < d.measured().width(); x++) {
          measured.append(d.measured().get(x, y) ? '1' : '0');
        }
      }
      return new Result(d.depth().data().clone(), specials.toString(), measured.toString(), "");
    } catch (InvalidFrameException e) {
      return new Result(new float[0], "", "", e.reason() + ": " + e.getMessage());
    }
  }
}
