package io.depthstream.streams.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.proto.v1.SparseSamples;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.fuzz.FrameCorpus.FuzzCase;
import io.depthstream.streams.fuzz.FuzzHarness.Input;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.From;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
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
  private static final OutcomeTally GENERATED = new OutcomeTally("fuzz properties: generated frames (hostile fields)");
  private static final OutcomeTally GENERATED_ONNX =
      new OutcomeTally("fuzz properties: generated frames through the smoke ONNX models");
  /** One driver with ONNX methods for the class: opening the models per property try would dominate the run. */
  private static FuzzHarness onnx;

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
  static void printSummaryAndCloseOnnx() {
    System.out.println(RANDOM.table() + MUTATED.table() + GENERATED.table() + GENERATED_ONNX.table());
    if (onnx != null) {
      onnx.close();
      onnx = null;
    }
  }

  @Property
  void randomBytesAreAccountedFor(@ForAll Input input, @ForAll @Size(max = 4096) byte[] value) {
    String key = input == Input.FOCAL ? FrameCorpus.FOCUS : FrameCorpus.CAM;
    FuzzHarness.Result result = harness.run(input, key, value);
    RANDOM.add("random bytes", result);
    assertOnlyVslamFramesAreSkipped(input, value, result);
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
    assertOnlyVslamFramesAreSkipped(base.input(), value, result);
  }

  // ---- frames built field by field from hostile values ----

  /** The payload a generated frame carries. */
  enum Payload {
    DENSE_MM,
    DENSE_M,
    SPARSE,
    NONE
  }

  @Provide
  Arbitrary<Input> depthTopics() {
    return Arbitraries.of(Input.LIDAR, Input.RGBD, Input.VSLAM);
  }

  /** What the generated frame's id.kind is, relative to the topic it is sent on (the topic decides the kind). */
  enum KindChoice {
    TOPICS,
    UNSET,
    ANOTHER
  }

  @Provide
  Arbitrary<KindChoice> kinds() {
    // Mostly the topic's own kind, so most frames reach the deeper checks; sometimes unset or another kind.
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(KindChoice.TOPICS)),
        Tuple.of(1, Arbitraries.just(KindChoice.UNSET)), Tuple.of(1, Arbitraries.just(KindChoice.ANOTHER)));
  }

  private static SensorKind kindFor(Input input, KindChoice choice) {
    return switch (choice) {
      case TOPICS -> input.kind();
      case UNSET -> SensorKind.SENSOR_KIND_UNSPECIFIED;
      case ANOTHER -> input.kind() == SensorKind.SENSOR_KIND_LIDAR ? SensorKind.SENSOR_KIND_RGBD
          : SensorKind.SENSOR_KIND_LIDAR;
    };
  }

  /**
   * Mostly small sides; sometimes zero, uint32 max, or at and beyond the limits. Each hostile value is rarer than a
   * valid one, so that a fair share of frames are processed and their outputs checked.
   */
  @Provide
  Arbitrary<Integer> sides() {
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(1, 12)),
        Tuple.of(1, Arbitraries.of(0, -1, 2048, 8192, 8193, 100_000)));
  }

  @Provide
  Arbitrary<Double> focalLengths() {
    return Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.doubles().between(0.5, 2000)),
        Tuple.of(1, Arbitraries.of(0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, 1e300)));
  }

  @Provide
  Arbitrary<Double> principalPoints() {
    return Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.doubles().between(-2, 14)),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e6, 1e6,
            -Double.MAX_VALUE)));
  }

  @Provide
  Arbitrary<Float> depths() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.floats().between(0.05f, 90f)),
        Tuple.of(1, Arbitraries.of(0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 1e6f,
            Float.MIN_VALUE, Float.MAX_VALUE, 65.535f, 65.536f)));
  }

  @Provide
  Arbitrary<Integer> indices() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(0, 150)),
        Tuple.of(1, Arbitraries.of(-1, Integer.MIN_VALUE, Integer.MAX_VALUE)));
  }

  /** Pixels (dense) or depths (sparse) more or fewer than the frame needs: mostly none. */
  @Provide
  Arbitrary<Integer> sizeErrors() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(-2, -1, 1, 2)));
  }

  @Provide
  Arbitrary<Long> captureTimes() {
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(TestFrames.CAPTURE_NS)),
        Tuple.of(1, Arbitraries.of(0L, -1L, -1_000_000L, Long.MIN_VALUE, Long.MAX_VALUE, -2L)))
        .map(t -> t == -2L ? System.currentTimeMillis() * 1_000_000L : t); // -2: now, taken when generated
  }

  @Property
  void generatedFramesAreAccountedFor(@ForAll("depthTopics") Input input, @ForAll("kinds") KindChoice kind,
      @ForAll("sides") int width, @ForAll("sides") int height,
      @ForAll("focalLengths") double fx, @ForAll("focalLengths") double fy,
      @ForAll("principalPoints") double cx, @ForAll("principalPoints") double cy, @ForAll boolean statesSize,
      @ForAll Payload payload, @ForAll("sizeErrors") int sizeError,
      @ForAll @Size(min = 1, max = 16) List<@From("depths") Float> depths,
      @ForAll @Size(max = 16) List<@From("indices") Integer> indices, @ForAll("captureTimes") long captureNs) {
    DepthFrame frame = generatedFrame(kindFor(input, kind), width, height, fx, fy, cx, cy, statesSize, payload,
        sizeError, depths, indices, captureNs);
    runGenerated(harness, GENERATED, input, frame);
  }

  /**
   * The same frames through the shipped smoke ONNX models: LiDAR-kind frames through the fast-path model, RGB-D
   * through the x4 super-resolution model (any size: the models' own limits must end as dead letters, never as a
   * crash of the processor or of ONNX Runtime).
   */
  @Property
  void generatedFramesThroughOnnxModelsAreAccountedFor(@ForAll("depthTopics") Input input,
      @ForAll("kinds") KindChoice kind, @ForAll("sides") int width, @ForAll("sides") int height,
      @ForAll("focalLengths") double fx, @ForAll("principalPoints") double cx, @ForAll Payload payload,
      @ForAll("sizeErrors") int sizeError, @ForAll @Size(min = 1, max = 16) List<@From("depths") Float> depths,
      @ForAll @Size(max = 16) List<@From("indices") Integer> indices) {
    DepthFrame frame = generatedFrame(kindFor(input, kind), width, height, fx, fx, cx, cx, true, payload, sizeError,
        depths, indices, TestFrames.CAPTURE_NS);
    runGenerated(onnxHarness(), GENERATED_ONNX, input, frame);
  }

  private static synchronized FuzzHarness onnxHarness() {
    if (onnx == null) {
      String models = Path.of(System.getProperty("depthstream.root", "..")).resolve("test-models").toString();
      onnx = new FuzzHarness(Map.of(NodeConfig.MODELS_DIR, models,
          NodeConfig.METHOD_LIDAR, "fast_interp_x4_smoke", NodeConfig.METHOD_RGBD, "sr_x4_smoke",
          NodeConfig.INFERENCE_THREADS_INTRA, "1"));
    }
    return onnx;
  }

  /** Builds a frame field by field; payloads are at most 144 pixels, so large declared sizes do not match them. */
  static DepthFrame generatedFrame(SensorKind kind, int width, int height, double fx, double fy, double cx,
      double cy, boolean statesSize, Payload payload, int sizeError, List<Float> depths, List<Integer> indices,
      long captureNs) {
    CameraIntrinsics.Builder k = CameraIntrinsics.newBuilder().setFx(fx).setFy(fy).setCx(cx).setCy(cy);
    if (statesSize) {
      k.setWidth(width).setHeight(height);
    }
    DepthFrame.Builder frame = DepthFrame.newBuilder()
        .setId(FrameId.newBuilder().setSensorId(FrameCorpus.CAM).setKind(kind).setSequence(1)
            .setCaptureTimeNs(captureNs))
        .setWidth(width).setHeight(height).setIntrinsics(k);
    long declared = Integer.toUnsignedLong(width) * Integer.toUnsignedLong(height);
    int pixels = (int) Math.max(0, Math.min(144, declared) + (payload == Payload.SPARSE ? 0 : sizeError));
    switch (payload) {
      case DENSE_MM -> {
        ByteBuffer b = ByteBuffer.allocate(2 * pixels).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pixels; i++) {
          float d = depths.get(i % depths.size());
          b.putShort((short) (Float.isFinite(d) ? Math.max(0, Math.min(65_535, Math.round(d * 1000))) : 0));
        }
        frame.setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(b.array())));
      }
      case DENSE_M -> {
        ByteBuffer b = ByteBuffer.allocate(4 * pixels).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pixels; i++) {
          b.putFloat(depths.get(i % depths.size()));
        }
        frame.setDenseM(DenseFloat32Metres.newBuilder().setData(ByteString.copyFrom(b.array())));
      }
      case SPARSE -> {
        SparseSamples.Builder sparse = SparseSamples.newBuilder().addAllIndex(indices);
        for (int i = 0; i < indices.size() + Math.min(0, sizeError); i++) {
          sparse.addDepthM(depths.get(i % depths.size()));
        }
        frame.setSparse(sparse);
      }
      case NONE -> {}
    }
    return frame.build();
  }

  private static void runGenerated(FuzzHarness h, OutcomeTally tally, Input input, DepthFrame frame) {
    FuzzHarness.Result result = h.run(input, FrameCorpus.CAM, frame.toByteArray());
    tally.add("generated frame", result);
    assertOnlyVslamFramesAreSkipped(input, frame.toByteArray(), result);
    if (result.dense() != null) {
      // The identity passes through (an unset kind takes the topic's); the output is the input's size times the
      // method's scale factor (1 or 4).
      DenseDepth out = result.dense();
      assertThat(out.getId().toBuilder().clearKind().build()).isEqualTo(frame.getId().toBuilder().clearKind().build());
      assertThat(out.getId().getKind()).isEqualTo(input.kind());
      int scale = out.getWidth() / frame.getWidth();
      assertThat(scale).as("scale factor").isIn(1, 4);
      assertThat(out.getWidth()).isEqualTo(frame.getWidth() * scale);
      assertThat(out.getHeight()).isEqualTo(frame.getHeight() * scale);
      assertThat(out.getIntrinsics().getFx()).isEqualTo(frame.getIntrinsics().getFx() * scale);
    }
  }

  /** Only the vSLAM topic has a real-time budget in the harness, and the topic decides: only it may skip. */
  private static void assertOnlyVslamFramesAreSkipped(Input input, byte[] value, FuzzHarness.Result result) {
    if (result.outcome().kind() == Outcome.Kind.SKIPPED) {
      assertThat(input).as("topic of a skipped frame").isEqualTo(Input.VSLAM);
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
