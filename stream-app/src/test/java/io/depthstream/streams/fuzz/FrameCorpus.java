package io.depthstream.streams.fuzz;

import com.google.protobuf.ByteString;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FocalSlice;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.proto.v1.SparseSamples;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.TestStacks;
import io.depthstream.streams.fuzz.FuzzHarness.Input;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The committed fuzz corpus: named, deterministic bad (and a few good) records for every raw topic, generated in
 * code so each case says what it is. Their expected outcomes are in {@link FuzzExpectations}, keyed by the names
 * used here. Values are built when a case runs (a supplier), so fresh capture times are fresh and the 10 MB cases
 * are not held in memory.
 */
final class FrameCorpus {
  /** One record: the topic it goes to, its key and value (either may be null). */
  record FuzzCase(String name, Input input, String key, Supplier<byte[]> value) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final int W = 8;
  static final int H = 6;
  /** Focal-stack size: large enough for depth from focus's window. */
  static final int FW = 16;
  static final int FH = 12;
  static final String CAM = "cam";
  static final String VELO = "velo";
  static final String SLAM = "slam";
  static final String FOCUS = "focus-cam";

  private FrameCorpus() {}

  // ---- valid records that the mutations start from ----

  /** RGB-D uint16 millimetres with two holes. */
  static DepthFrame validMillimetres() {
    int[] mm = new int[W * H];
    for (int i = 0; i < mm.length; i++) {
      mm[i] = 500 + 37 * i;
    }
    mm[3] = 0;
    mm[17] = 0;
    return TestFrames.millimetres(CAM, 1, W, H, mm);
  }

  /** RGB-D float32 metres with a NaN hole (NaN = no measurement). */
  static DepthFrame validMetres() {
    float[] m = new float[W * H];
    for (int i = 0; i < m.length; i++) {
      m[i] = 0.5f + 0.05f * i;
    }
    m[5] = Float.NaN;
    return TestFrames.metres(CAM, 1, W, H, m);
  }

  /** LiDAR sparse samples. */
  static DepthFrame validSparse() {
    return TestFrames.sparse(VELO, 1, W, H, new int[] {0, 9, 20, 47}, new float[] {2f, 3.5f, 10f, 80f});
  }

  /** vSLAM sparse samples captured now, so inside the vSLAM budget. */
  static DepthFrame freshVslam() {
    return TestFrames.header(SLAM, SensorKind.SENSOR_KIND_VSLAM, 1, W, H)
        .setId(FrameId.newBuilder().setSensorId(SLAM).setKind(SensorKind.SENSOR_KIND_VSLAM).setSequence(1)
            .setCaptureTimeNs(System.currentTimeMillis() * 1_000_000L))
        .setSparse(SparseSamples.newBuilder().addIndex(4).addDepthM(1.5f).addIndex(30).addDepthM(2.5f))
        .build();
  }

  /** Three slices in the three formats, out of focus order. */
  static FocalStack validStack() {
    byte[] gray = new byte[FW * FH];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = (byte) (i * 7);
    }
    return TestStacks.header(FOCUS, 1, FW, FH)
        .addSlices(TestStacks.rgb(4.0f, TestStacks.texture(FW, FH, 3)))
        .addSlices(TestStacks.png(1.5f, TestStacks.rgbPng(FW, FH, TestStacks.texture(FW, FH, 2))))
        .addSlices(TestStacks.gray(0.5f, gray))
        .build();
  }

  /** Every valid base record with its topic and key, for the mutation properties. */
  static List<FuzzCase> validBases() {
    return List.of(
        new FuzzCase("valid dense_mm", Input.RGBD, CAM, () -> validMillimetres().toByteArray()),
        new FuzzCase("valid dense_m", Input.RGBD, CAM, () -> validMetres().toByteArray()),
        new FuzzCase("valid sparse", Input.LIDAR, VELO, () -> validSparse().toByteArray()),
        new FuzzCase("valid vslam fresh", Input.VSLAM, SLAM, () -> freshVslam().toByteArray()),
        new FuzzCase("valid focal stack", Input.FOCAL, FOCUS, () -> validStack().toByteArray()));
  }

  // ---- the named corpus ----

  /** Every named case, in a stable order; names are unique. */
  static List<FuzzCase> cases() {
    Map<String, FuzzCase> out = new LinkedHashMap<>();
    frameCases(out);
    stackCases(out);
    return List.copyOf(out.values());
  }

  private static void add(Map<String, FuzzCase> out, String name, Input input, String key, Supplier<byte[]> value) {
    if (out.put(name, new FuzzCase(name, input, key, value)) != null) {
      throw new IllegalStateException("duplicate corpus case " + name);
    }
  }

  private static void rgbd(Map<String, FuzzCase> out, String name, UnaryOperator<DepthFrame.Builder> edit) {
    add(out, name, Input.RGBD, CAM, () -> edit.apply(validMillimetres().toBuilder()).build().toByteArray());
  }

  private static void metres(Map<String, FuzzCase> out, String name, float... pixels) {
    add(out, name, Input.RGBD, CAM, () -> TestFrames.metres(CAM, 1, pixels.length, 1, pixels).toByteArray());
  }

  private static void lidar(Map<String, FuzzCase> out, String name, UnaryOperator<DepthFrame.Builder> edit) {
    add(out, name, Input.LIDAR, VELO, () -> edit.apply(validSparse().toBuilder()).build().toByteArray());
  }

  private static void sparse(Map<String, FuzzCase> out, String name, int[] index, float[] depth) {
    add(out, name, Input.LIDAR, VELO, () -> TestFrames.sparse(VELO, 1, W, H, index, depth).toByteArray());
  }

  private static void intrinsics(Map<String, FuzzCase> out, String name,
      UnaryOperator<CameraIntrinsics.Builder> edit) {
    rgbd(out, name, b -> b.setIntrinsics(edit.apply(b.getIntrinsics().toBuilder())));
  }

  private static void frameCases(Map<String, FuzzCase> out) {
    add(out, "valid dense_mm", Input.RGBD, CAM, () -> validMillimetres().toByteArray());
    add(out, "valid dense_m", Input.RGBD, CAM, () -> validMetres().toByteArray());
    add(out, "valid sparse", Input.LIDAR, VELO, () -> validSparse().toByteArray());
    add(out, "valid 1x1 frame", Input.RGBD, CAM, () -> TestFrames.millimetres(CAM, 1, 1, 1, 1200).toByteArray());
    add(out, "valid frame with null key", Input.RGBD, null, () -> validMillimetres().toByteArray());
    add(out, "vslam fresh", Input.VSLAM, SLAM, () -> freshVslam().toByteArray());
    add(out, "vslam stale (2023 capture time)", Input.VSLAM, SLAM,
        () -> freshVslam().toBuilder().setId(freshVslam().getId().toBuilder().setCaptureTimeNs(TestFrames.CAPTURE_NS))
            .build().toByteArray());
    rgbd(out, "dense_mm all holes", b -> b.setDenseMm(DenseUint16Millimetres.newBuilder()
        .setData(ByteString.copyFrom(new byte[2 * W * H]))));
    rgbd(out, "dense_mm 65535 mm everywhere", b -> {
      byte[] data = new byte[2 * W * H];
      Arrays.fill(data, (byte) 0xFF);
      return b.setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(data)));
    });
    lidar(out, "sparse without samples", b -> b.setSparse(SparseSamples.getDefaultInstance()));

    // Truncated and random bytes.
    byte[] valid = validMillimetres().toByteArray();
    for (int cut : new int[] {1, 2, 5, 10}) {
      add(out, "dense_mm truncated to " + cut + " bytes", Input.RGBD, CAM, () -> Arrays.copyOf(valid, cut));
    }
    add(out, "dense_mm truncated to half", Input.RGBD, CAM, () -> Arrays.copyOf(valid, valid.length / 2));
    add(out, "dense_mm without its last byte", Input.RGBD, CAM, () -> Arrays.copyOf(valid, valid.length - 1));
    byte[] validSparse = validSparse().toByteArray();
    add(out, "sparse truncated to 3 bytes", Input.LIDAR, VELO, () -> Arrays.copyOf(validSparse, 3));
    add(out, "sparse without its last byte", Input.LIDAR, VELO,
        () -> Arrays.copyOf(validSparse, validSparse.length - 1));
    for (int seed = 1; seed <= 4; seed++) {
      int n = 1 << (2 * seed + 2); // 16, 64, 256, 1024 bytes
      int s = seed;
      add(out, "random " + n + " bytes (seed " + seed + ")", Input.RGBD, CAM, () -> random(s, n));
    }
    add(out, "single zero byte", Input.RGBD, CAM, () -> new byte[1]);
    add(out, "empty value", Input.RGBD, CAM, () -> new byte[0]);
    add(out, "null value (tombstone)", Input.RGBD, CAM, () -> null);
    add(out, "null key and null value", Input.LIDAR, null, () -> null);
    add(out, "10 MB of garbage", Input.RGBD, CAM, () -> random(99, 10 * 1024 * 1024));
    rgbd(out, "10 MB dense_mm payload for an 8x6 frame", b -> b.setDenseMm(DenseUint16Millimetres.newBuilder()
        .setData(ByteString.copyFrom(new byte[10 * 1024 * 1024]))));
    add(out, "protobuf nested 200 deep", Input.RGBD, CAM, FrameCorpus::deeplyNested);

    // Wrong sizes per payload kind.
    rgbd(out, "dense_mm one byte short", b -> b.setDenseMm(shortened(b.getDenseMm().getData(), -1)));
    rgbd(out, "dense_mm one pixel long", b -> b.setDenseMm(shortened(b.getDenseMm().getData(), 2)));
    rgbd(out, "dense_mm empty payload", b -> b.setDenseMm(DenseUint16Millimetres.getDefaultInstance()));
    rgbd(out, "dense_mm frame declares 9x6", b -> b.setWidth(W + 1).setIntrinsics(TestFrames.intrinsics(W + 1, H)));
    rgbd(out, "dense_mm bytes sent as dense_m", b -> b.setDenseM(DenseFloat32Metres.newBuilder()
        .setData(validMillimetres().getDenseMm().getData())));
    add(out, "dense_m one byte short", Input.RGBD, CAM, () -> validMetres().toBuilder()
        .setDenseM(DenseFloat32Metres.newBuilder().setData(validMetres().getDenseM().getData().substring(1)))
        .build().toByteArray());
    add(out, "dense_m bytes sent as dense_mm", Input.RGBD, CAM, () -> validMetres().toBuilder()
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(validMetres().getDenseM().getData()))
        .build().toByteArray());
    lidar(out, "sparse more indices than depths", b -> b.setSparse(b.getSparse().toBuilder().addIndex(1)));
    lidar(out, "sparse more depths than indices", b -> b.setSparse(b.getSparse().toBuilder().addDepthM(1f)));
    rgbd(out, "width 0", b -> b.setWidth(0));
    rgbd(out, "height 0", b -> b.setHeight(0).setIntrinsics(b.getIntrinsics().toBuilder().setHeight(0)));
    rgbd(out, "width uint32 max", b -> b.setWidth(-1).setIntrinsics(b.getIntrinsics().toBuilder().setWidth(-1)));
    rgbd(out, "100000x100000 header", b -> b.setWidth(100_000).setHeight(100_000)
        .setIntrinsics(TestFrames.intrinsics(100_000, 100_000)));
    lidar(out, "100000x100000 sparse header", b -> b.setWidth(100_000).setHeight(100_000)
        .setIntrinsics(TestFrames.intrinsics(100_000, 100_000)));
    rgbd(out, "8193x1 (over the side limit)", b -> b.setWidth(8193).setHeight(1)
        .setIntrinsics(TestFrames.intrinsics(8193, 1)));
    rgbd(out, "2048x2048 header with an 8x6 dense_mm payload", b -> b.setWidth(2048).setHeight(2048)
        .setIntrinsics(TestFrames.intrinsics(2048, 2048)));
    rgbd(out, "4096x4096 header (over the pixel limit)", b -> b.setWidth(4096).setHeight(4096)
        .setIntrinsics(TestFrames.intrinsics(4096, 4096)));

    // NaN and infinite pixels.
    metres(out, "dense_m NaN pixel", 1f, Float.NaN, 2f);
    metres(out, "dense_m all NaN", Float.NaN, Float.NaN);
    metres(out, "dense_m zero pixel", 1f, 0f);
    metres(out, "dense_m negative zero pixel", 1f, -0f);
    metres(out, "dense_m +Inf pixel", 1f, Float.POSITIVE_INFINITY);
    metres(out, "dense_m -Inf pixel", 1f, Float.NEGATIVE_INFINITY);
    metres(out, "dense_m negative pixel", 1f, -2f);
    metres(out, "dense_m beyond max depth", 1f, 1.0e6f);
    metres(out, "dense_m Float.MAX_VALUE", 1f, Float.MAX_VALUE);
    metres(out, "dense_m smallest subnormal", 1f, Float.MIN_VALUE);
    sparse(out, "sparse NaN depth", new int[] {1}, new float[] {Float.NaN});
    sparse(out, "sparse +Inf depth", new int[] {1}, new float[] {Float.POSITIVE_INFINITY});
    sparse(out, "sparse -Inf depth", new int[] {1}, new float[] {Float.NEGATIVE_INFINITY});
    sparse(out, "sparse zero depth", new int[] {1}, new float[] {0f});
    sparse(out, "sparse negative depth", new int[] {1}, new float[] {-1f});

    // Bad intrinsics.
    intrinsics(out, "fx 0", k -> k.setFx(0));
    intrinsics(out, "fy 0", k -> k.setFy(0));
    intrinsics(out, "fx negative", k -> k.setFx(-500));
    intrinsics(out, "fy negative", k -> k.setFy(-1e-9));
    intrinsics(out, "fx NaN", k -> k.setFx(Double.NaN));
    intrinsics(out, "fy +Inf", k -> k.setFy(Double.POSITIVE_INFINITY));
    intrinsics(out, "cx NaN", k -> k.setCx(Double.NaN));
    intrinsics(out, "cy -Inf", k -> k.setCy(Double.NEGATIVE_INFINITY));
    intrinsics(out, "fx smallest subnormal", k -> k.setFx(Double.MIN_VALUE));
    intrinsics(out, "fx 1e300", k -> k.setFx(1e300));
    intrinsics(out, "cx -1e6 (far left of the image)", k -> k.setCx(-1e6));
    intrinsics(out, "cy 1e6 (far below the image)", k -> k.setCy(1e6));
    intrinsics(out, "intrinsics width differs from frame", k -> k.setWidth(W * 2));
    intrinsics(out, "intrinsics height differs from frame", k -> k.setHeight(H + 1));
    intrinsics(out, "intrinsics size unset", k -> k.clearWidth().clearHeight());
    rgbd(out, "intrinsics missing", DepthFrame.Builder::clearIntrinsics);

    // Out-of-range sparse indices.
    sparse(out, "sparse index = width*height", new int[] {W * H}, new float[] {1f});
    sparse(out, "sparse index uint32 max", new int[] {-1}, new float[] {1f});
    sparse(out, "sparse index 2^31", new int[] {Integer.MIN_VALUE}, new float[] {1f});
    sparse(out, "sparse repeated index (nearest wins)", new int[] {7, 7, 7}, new float[] {3f, 1f, 2f});

    // Identity, keys and kinds.
    rgbd(out, "no id", DepthFrame.Builder::clearId);
    rgbd(out, "empty sensor id", b -> b.setId(b.getId().toBuilder().setSensorId("")));
    rgbd(out, "kind unspecified", b -> b.setId(b.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_UNSPECIFIED)));
    rgbd(out, "kind 99 (unknown enum value)", b -> b.setId(b.getId().toBuilder().setKindValue(99)));
    rgbd(out, "kind FOCAL_STACK on the RGB-D topic",
        b -> b.setId(b.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_FOCAL_STACK)));
    rgbd(out, "kind LIDAR on the RGB-D topic",
        b -> b.setId(b.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_LIDAR)));
    add(out, "key differs from sensor id", Input.RGBD, "other", () -> validMillimetres().toByteArray());
    add(out, "empty key", Input.RGBD, "", () -> validMillimetres().toByteArray());
    add(out, "key differs only in case", Input.RGBD, "CAM", () -> validMillimetres().toByteArray());
    rgbd(out, "no payload", DepthFrame.Builder::clearPayload);
    add(out, "payload in an unknown field 13", Input.RGBD, CAM, () -> {
      byte[] header = validMillimetres().toBuilder().clearPayload().build().toByteArray();
      byte[] unknown = {(13 << 3) | 2, 2, 0x10, 0x27}; // field 13, length-delimited, 2 bytes
      return concat(header, unknown);
    });

    // Capture times.
    rgbd(out, "capture time one hour in the future", b -> b.setId(b.getId().toBuilder()
        .setCaptureTimeNs((System.currentTimeMillis() + 3_600_000L) * 1_000_000L)));
    add(out, "vslam capture time Long.MAX_VALUE", Input.VSLAM, SLAM, () -> freshVslam().toBuilder()
        .setId(freshVslam().getId().toBuilder().setCaptureTimeNs(Long.MAX_VALUE)).build().toByteArray());
    rgbd(out, "capture time -1 ns", b -> b.setId(b.getId().toBuilder().setCaptureTimeNs(-1)));
    rgbd(out, "capture time -1 ms", b -> b.setId(b.getId().toBuilder().setCaptureTimeNs(-1_000_000)));
    rgbd(out, "capture time 0 (the epoch)", b -> b.setId(b.getId().toBuilder().setCaptureTimeNs(0)));
    add(out, "vslam capture time Long.MIN_VALUE", Input.VSLAM, SLAM, () -> freshVslam().toBuilder()
        .setId(freshVslam().getId().toBuilder().setCaptureTimeNs(Long.MIN_VALUE)).build().toByteArray());

    // Field swaps: width and height exchanged (same pixel count) and a payload of another frame's kind.
    rgbd(out, "width and height swapped", b -> b.setWidth(H).setHeight(W).setIntrinsics(TestFrames.intrinsics(H, W)));
    add(out, "FocalStack bytes on the RGB-D topic", Input.RGBD, FOCUS, () -> validStack().toByteArray());
  }

  private static void stack(Map<String, FuzzCase> out, String name, UnaryOperator<FocalStack.Builder> edit) {
    add(out, name, Input.FOCAL, FOCUS, () -> edit.apply(validStack().toBuilder()).build().toByteArray());
  }

  private static void slice(Map<String, FuzzCase> out, String name, int index, UnaryOperator<FocalSlice.Builder> edit) {
    stack(out, name, b -> b.setSlices(index, edit.apply(b.getSlices(index).toBuilder())));
  }

  private static void stackCases(Map<String, FuzzCase> out) {
    add(out, "valid focal stack", Input.FOCAL, FOCUS, () -> validStack().toByteArray());
    stack(out, "focal stack of one slice", b -> b.clearSlices().addSlices(validStack().getSlices(2)));
    stack(out, "focal stack of 16-bit grey PNG slice", b -> b.setSlices(1, TestStacks.png(1.5f,
        TestStacks.gray16Png(FW, FH))));
    slice(out, "focus distance 0", 0, s -> s.setFocusDistanceM(0f));
    slice(out, "focus distance NaN", 1, s -> s.setFocusDistanceM(Float.NaN));
    slice(out, "focus distance negative", 2, s -> s.setFocusDistanceM(-1f));
    slice(out, "focus distance +Inf", 0, s -> s.setFocusDistanceM(Float.POSITIVE_INFINITY));
    slice(out, "GRAY8 slice one pixel short", 2, s -> s.setPixels(s.getPixels().substring(1)));
    slice(out, "RGB8 slice one pixel long", 0,
        s -> s.setPixels(s.getPixels().concat(ByteString.copyFrom(new byte[3]))));
    slice(out, "RGB8 slice with GRAY8 byte count", 0, s -> s.setPixels(s.getPixels().substring(0, FW * FH)));
    slice(out, "GRAY8 slice empty", 2, FocalSlice.Builder::clearPixels);
    slice(out, "pixel format 9 (unknown)", 2, s -> s.setFormatValue(9));
    slice(out, "pixel format unspecified", 0, s -> s.setFormatValue(0));
    slice(out, "PNG slice of random bytes", 1, s -> s.setPixels(ByteString.copyFrom(random(5, 200))));
    slice(out, "PNG slice truncated to half", 1,
        s -> s.setPixels(s.getPixels().substring(0, s.getPixels().size() / 2)));
    slice(out, "PNG slice with a flipped IDAT byte", 1, s -> {
      byte[] png = s.getPixels().toByteArray();
      png[png.length - 20] ^= 0x5A;
      return s.setPixels(ByteString.copyFrom(png));
    });
    slice(out, "PNG slice of another size (8x6)", 1, s -> s.setPixels(ByteString.copyFrom(
        TestStacks.rgbPng(8, 6, TestStacks.texture(8, 6, 2)))));
    slice(out, "PNG slice declaring 30000x30000", 1, s -> s.setPixels(ByteString.copyFrom(
        TestStacks.pngDeclaring(30_000, 30_000))));
    slice(out, "PNG slice declaring 65535x65535", 1, s -> s.setPixels(ByteString.copyFrom(
        TestStacks.pngDeclaring(65_535, 65_535))));
    stack(out, "slices of mismatched sizes (stack 16x12, PNG 17x12)", b -> b.setSlices(1, TestStacks.png(1.5f,
        TestStacks.rgbPng(FW + 1, FH, TestStacks.texture(FW + 1, FH, 2)))));
    stack(out, "no slices", FocalStack.Builder::clearSlices);
    stack(out, "65 slices", b -> {
      for (int i = 0; i < 62; i++) {
        b.addSlices(validStack().getSlices(2).toBuilder().setFocusDistanceM(1f + i));
      }
      return b;
    });
    stack(out, "2048x2048 stack of 5 one-byte slices", b -> {
      b.clearSlices().setWidth(2048).setHeight(2048).setIntrinsics(TestFrames.intrinsics(2048, 2048));
      for (int i = 0; i < 5; i++) {
        b.addSlices(TestStacks.gray(1f + i, new byte[1]));
      }
      return b;
    });
    stack(out, "chunked stack (1 of 3)", b -> b.setChunkIndex(1).setChunkCount(3));
    stack(out, "focal 100000x100000 header", b -> b.setWidth(100_000).setHeight(100_000)
        .setIntrinsics(TestFrames.intrinsics(100_000, 100_000)));
    stack(out, "focal capture time -1 s", b -> b.setId(b.getId().toBuilder().setCaptureTimeNs(-1_000_000_000L)));
    stack(out, "focal intrinsics missing", FocalStack.Builder::clearIntrinsics);
    stack(out, "focal cx -1e6", b -> b.setIntrinsics(b.getIntrinsics().toBuilder().setCx(-1e6)));
    stack(out, "focal kind LIDAR", b -> b.setId(b.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_LIDAR)));
    stack(out, "focal kind unspecified",
        b -> b.setId(b.getId().toBuilder().setKind(SensorKind.SENSOR_KIND_UNSPECIFIED)));
    stack(out, "focal no sensor id", b -> b.setId(b.getId().toBuilder().setSensorId("")));
    add(out, "focal key differs", Input.FOCAL, "other", () -> validStack().toByteArray());
    add(out, "focal empty value", Input.FOCAL, FOCUS, () -> new byte[0]);
    add(out, "focal null value", Input.FOCAL, FOCUS, () -> null);
    add(out, "focal random 512 bytes", Input.FOCAL, FOCUS, () -> random(7, 512));
    add(out, "DepthFrame bytes on the focal topic", Input.FOCAL, CAM, () -> validMillimetres().toByteArray());
    byte[] validStack = validStack().toByteArray();
    add(out, "focal truncated by one byte", Input.FOCAL, FOCUS,
        () -> Arrays.copyOf(validStack, validStack.length - 1));
  }

  // ---- byte helpers ----

  static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static DenseUint16Millimetres shortened(ByteString data, int delta) {
    ByteString d =
        delta < 0 ? data.substring(0, data.size() + delta) : data.concat(ByteString.copyFrom(new byte[delta]));
    return DenseUint16Millimetres.newBuilder().setData(d).build();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** An unknown group (field 15) opened 200 times: deeper than protobuf's recursion limit of 100. */
  private static byte[] deeplyNested() {
    byte[] out = new byte[400];
    Arrays.fill(out, 0, 200, (byte) ((15 << 3) | 3)); // start group
    Arrays.fill(out, 200, 400, (byte) ((15 << 3) | 4)); // end group
    return out;
  }
}
