package io.depthstream.tools.shards;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.scene.PinholeCamera;
import io.depthstream.depth.scene.SceneDrive;
import io.depthstream.depth.scene.SceneDrive.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportShardsCommandTest {
  private static final int W = 24;
  private static final int H = 18;

  /** One parsed .npy entry. */
  record NpyArray(String descr, long[] shape, byte[] data) {}

  /** Exports 10 frames of 24x18 in shards of 4, with options overridden by {@code overrides} (name, value pairs). */
  private static int export(Path out, String... overrides) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--out", out.toString());
    options.put("--count", "10");
    options.put("--width", "" + W);
    options.put("--height", "" + H);
    options.put("--frames-per-shard", "4");
    options.put("--seed", "77");
    options.put("--threads", "2");
    options.put("--frames-per-drive", "3");
    for (int i = 0; i < overrides.length; i += 2) {
      options.put(overrides[i], overrides[i + 1]);
    }
    List<String> args = new ArrayList<>(List.of("--quiet"));
    options.forEach((k, v) -> args.add(k + "=" + v));
    return ExportShardsCommand.commandLine().execute(args.toArray(String[]::new));
  }

  /** Parses an .npy byte stream from scratch: magic, version, header dict, then exactly the data bytes. */
  static NpyArray parseNpy(byte[] b) {
    assertThat(b).startsWith((byte) 0x93, (byte) 'N', (byte) 'U', (byte) 'M', (byte) 'P', (byte) 'Y', (byte) 1,
        (byte) 0);
    int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    String dict = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
    Matcher m = Pattern.compile("\\{'descr': '([<|][a-z][0-9])', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), }")
        .matcher(dict);
    assertThat(m.lookingAt()).as(dict).isTrue();
    String[] dims = m.group(2).split(",");
    List<Long> shape = new ArrayList<>();
    for (String d : dims) {
      if (!d.isBlank()) {
        shape.add(Long.parseLong(d.strip()));
      }
    }
    long elements = 1;
    for (long d : shape) {
      elements *= d;
    }
    int itemSize = m.group(1).charAt(2) - '0';
    int offset = 10 + headerLen;
    assertThat((long) b.length - offset).as("data bytes of %s", dict).isEqualTo(elements * itemSize);
    byte[] data = new byte[b.length - offset];
    System.arraycopy(b, offset, data, 0, data.length);
    return new NpyArray(m.group(1), shape.stream().mapToLong(Long::longValue).toArray(), data);
  }

  static Map<String, NpyArray> readNpz(Path file) throws IOException {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        assertThat(e.getMethod()).as("entry %s is stored", e.getName()).isEqualTo(ZipEntry.STORED);
        try (InputStream in = zip.getInputStream(e)) {
          arrays.put(e.getName(), parseNpy(in.readAllBytes()));
        }
      }
    }
    return arrays;
  }

  private static float[] floats(byte[] data) {
    float[] f = new float[data.length / 4];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  @Test
  void writesManifestAndShardsThatFollowTheContract(@TempDir Path out) throws IOException {
    assertThat(export(out)).isZero();

    String json = Files.readString(out.resolve("manifest.json"));
    assertThat(json.replaceAll("\\s", "")).isEqualTo("{\"format\":\"depthstream-shards/1\",\"width\":24,\"height\":18,"
        + "\"count\":10,\"shards\":[\"shard-00000.npz\",\"shard-00001.npz\",\"shard-00002.npz\"],\"seed\":77,"
        + "\"scenes\":{\"indoor\":5,\"road\":5},\"depth_units\":\"metres,0=nomeasurement\"}");

    ExportPlan plan = new ExportPlan(10, 0.5, 77, 3, 3);
    int[] sizes = {4, 4, 2};
    int frame = 0;
    int indoor = 0;
    for (int s = 0; s < 3; s++) {
      Map<String, NpyArray> a = readNpz(out.resolve(String.format("shard-%05d.npz", s)));
      int n = sizes[s];
      assertThat(a.keySet()).containsExactly("depth.npy", "rgb.npy", "intrinsics.npy", "scene.npy");
      assertThat(a.get("depth.npy").descr()).isEqualTo("<f4");
      assertThat(a.get("depth.npy").shape()).containsExactly(n, H, W);
      assertThat(a.get("rgb.npy").descr()).isEqualTo("|u1");
      assertThat(a.get("rgb.npy").shape()).containsExactly(n, H, W, 3);
      assertThat(a.get("intrinsics.npy").descr()).isEqualTo("<f4");
      assertThat(a.get("intrinsics.npy").shape()).containsExactly(n, 4);
      assertThat(a.get("scene.npy").descr()).isEqualTo("|i1");
      assertThat(a.get("scene.npy").shape()).containsExactly(n);
      float[] depth = floats(a.get("depth.npy").data());
      float[] k = floats(a.get("intrinsics.npy").data());
      byte[] rgb = a.get("rgb.npy").data();
      for (int i = 0; i < n; i++, frame++) {
        Kind kind = plan.kind[frame];
        assertThat(a.get("scene.npy").data()[i]).isEqualTo((byte) kind.code());
        indoor += kind == Kind.INDOOR ? 1 : 0;
        PinholeCamera c = SceneDrive.defaultCamera(kind, W, H);
        assertThat(new float[] {k[4 * i], k[4 * i + 1], k[4 * i + 2], k[4 * i + 3]})
            .containsExactly((float) c.fx(), (float) c.fy(), (float) c.cx(), (float) c.cy());
        // The stored frame is exactly what the drive renders for the planned frame (little-endian floats).
        DepthMap expected = DepthMap.allocate(W, H);
        byte[] expectedRgb = new byte[3 * W * H];
        SceneDrive.of(kind, plan.driveSeed[frame], c).render(plan.frameIndex[frame], expected, expectedRgb);
        float[] stored = new float[W * H];
        System.arraycopy(depth, i * W * H, stored, 0, W * H);
        assertThat(stored).isEqualTo(expected.data());
        byte[] storedRgb = new byte[3 * W * H];
        System.arraycopy(rgb, i * 3 * W * H, storedRgb, 0, storedRgb.length);
        assertThat(storedRgb).isEqualTo(expectedRgb);
      }
    }
    assertThat(indoor).isEqualTo(5);
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.endsWith(".part")))
          .isEmpty();
    }
  }

  private static short[] shorts(byte[] data) {
    short[] s = new short[data.length / 2];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
    return s;
  }

  @Test
  void sparseExportSamplesEachFrameWithItsPatternFromValidDepth(@TempDir Path tmp) throws IOException {
    String specs = "uniform:p=0.3;grid:step=3,offset=1;semidense:fraction=0.5,noise=0.02;gradient:fraction=0.2";
    assertThat(export(tmp.resolve("a"), "--patterns", specs)).isZero();

    String json = Files.readString(tmp.resolve("a").resolve("manifest.json"));
    assertThat(json).contains("\"format\": \"depthstream-sparse/1\"").contains("\"patterns\": [\"uniform:p=0.3\", "
        + "\"grid:step=3,offset=1\", \"semidense:fraction=0.5,noise=0.02\", \"gradient:fraction=0.2\"]");
    ExportPlan plan = new ExportPlan(10, 0.5, 77, 3, 3);
    int[] sizes = {4, 4, 2};
    int frame = 0;
    int[] perPattern = new int[4];
    for (int s = 0; s < 3; s++) {
      Map<String, NpyArray> a = readNpz(tmp.resolve("a").resolve(String.format("shard-%05d.npz", s)));
      int n = sizes[s];
      assertThat(a.keySet()).containsExactly("depth.npy", "rgb.npy", "intrinsics.npy", "scene.npy", "sparse.npy",
          "pattern.npy");
      assertThat(a.get("sparse.npy").descr()).isEqualTo("<f4");
      assertThat(a.get("sparse.npy").shape()).containsExactly(n, H, W);
      assertThat(a.get("pattern.npy").descr()).isEqualTo("<i2");
      assertThat(a.get("pattern.npy").shape()).containsExactly(n);
      float[] depth = floats(a.get("depth.npy").data());
      float[] sparse = floats(a.get("sparse.npy").data());
      short[] pattern = shorts(a.get("pattern.npy").data());
      for (int i = 0; i < n; i++, frame++) {
        // Round-robin over the four patterns.
        assertThat(pattern[i]).as("frame %d", frame).isEqualTo((short) (frame % 4));
        perPattern[pattern[i]]++;
        int samples = 0;
        int valid = 0;
        for (int j = i * W * H; j < (i + 1) * W * H; j++) {
          valid += depth[j] > 0 ? 1 : 0;
          if (sparse[j] == 0) {
            continue;
          }
          samples++;
          assertThat(depth[j]).as("frame %d pixel %d sampled where depth is invalid", frame, j).isPositive();
          if (pattern[i] == 2) {
            // semidense adds multiplicative noise with relative std 0.02: 6 sigma bounds it in practice.
            assertThat(sparse[j]).isCloseTo(depth[j], org.assertj.core.api.Assertions.within(0.12f * depth[j]));
          } else {
            assertThat(sparse[j]).isEqualTo(depth[j]);
          }
        }
        assertThat(samples).as("frame %d has samples", frame).isPositive().isLessThan(valid + 1);
        if (pattern[i] == 1) {
          // grid:step=3,offset=1 keeps exactly the valid pixels at x, y = 1 mod 3 (hand-computed from the spec).
          for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
              int j = i * W * H + y * W + x;
              boolean onGrid = x % 3 == 1 && y % 3 == 1;
              assertThat(sparse[j] > 0).as("frame %d (%d, %d)", frame, x, y).isEqualTo(onGrid && depth[j] > 0);
            }
          }
        }
      }
    }
    assertThat(perPattern).containsExactly(3, 3, 2, 2);

    // Reproducible whatever the thread count; another export seed draws other samples from the same depth.
    assertThat(export(tmp.resolve("b"), "--patterns", specs, "--threads", "1")).isZero();
    assertThat(export(tmp.resolve("c"), "--pattern", "uniform:p=0.3", "--threads", "1")).isZero();
    assertThat(Files.readAllBytes(tmp.resolve("a").resolve("shard-00001.npz")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve("shard-00001.npz")));
    // Frame 0 takes pattern 0 (uniform:p=0.3) in both a and c, with the same seed: the same samples.
    float[] a0 = floats(readNpz(tmp.resolve("a").resolve("shard-00000.npz")).get("sparse.npy").data());
    float[] c0 = floats(readNpz(tmp.resolve("c").resolve("shard-00000.npz")).get("sparse.npy").data());
    assertThat(java.util.Arrays.copyOf(c0, W * H)).isEqualTo(java.util.Arrays.copyOf(a0, W * H));
  }

  @Test
  void sparseSeedsDependOnExportSeedAndFrame() {
    assertThat(ExportShardsCommand.sampleSeed(1, 5)).isEqualTo(ExportShardsCommand.sampleSeed(1, 5))
        .isNotEqualTo(ExportShardsCommand.sampleSeed(1, 6)).isNotEqualTo(ExportShardsCommand.sampleSeed(2, 5));
    float[] luma = new float[2];
    ExportShardsCommand.luma(new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 200}, luma);
    assertThat(luma[0]).isCloseTo(0.299f * 255, org.assertj.core.api.Assertions.within(1e-3f));
    assertThat(luma[1]).isCloseTo(0.114f * 200, org.assertj.core.api.Assertions.within(1e-3f));
  }

  @Test
  void badOrRepeatedPatternsFailWithAMessage(@TempDir Path out) {
    StringWriter err = new StringWriter();
    CommandLine cl = ExportShardsCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("--out", out.toString(), "--patterns", "uniform:p=2", "--quiet")).isEqualTo(2);
    assertThat(err.toString()).contains("uniform");
    assertThat(cl.execute("--out", out.toString(), "--patterns", "uniform;uniform:p=0.1", "--quiet")).isEqualTo(2);
    assertThat(err.toString()).contains("given twice");
    assertThat(ExportShardsCommand.canonicalSpecs(List.of("defaults"))).hasSize(6).startsWith("uniform:p=0.1");
  }

  @Test
  void sameOptionsGiveByteIdenticalShardsWhateverTheThreadCount(@TempDir Path tmp) throws IOException {
    assertThat(export(tmp.resolve("a"), "--threads", "1")).isZero();
    assertThat(export(tmp.resolve("b"), "--threads", "2")).isZero();
    assertThat(export(tmp.resolve("c"), "--seed", "78")).isZero();
    for (String name : List.of("shard-00000.npz", "shard-00002.npz")) {
      assertThat(Files.readAllBytes(tmp.resolve("a").resolve(name)))
          .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(name)))
          .isNotEqualTo(Files.readAllBytes(tmp.resolve("c").resolve(name)));
    }
  }

  @Test
  void planMixesKindsAndDrives() {
    ExportPlan plan = new ExportPlan(1000, 0.3, 5, 32, 3);
    assertThat(plan.indoor).isEqualTo(300);
    assertThat(plan.road).isEqualTo(700);
    // ceil(300 / 32) + ceil(700 / 32) = 10 + 22 drives.
    assertThat(plan.drives).isEqualTo(32);
    long indoorFrames = java.util.Arrays.stream(plan.kind).filter(k -> k == Kind.INDOOR).count();
    assertThat(indoorFrames).isEqualTo(300);
    // Frames of one drive are consecutive and strided.
    assertThat(plan.driveSeed[1]).isEqualTo(plan.driveSeed[0]);
    assertThat(plan.frameIndex[1] - plan.frameIndex[0]).isEqualTo(3);
    // Interleaved drives: the first 256 frames (one default shard, 8 drives) hold both kinds, about 30 % indoor.
    long firstShardIndoor = java.util.Arrays.stream(plan.kind, 0, 256).filter(k -> k == Kind.INDOOR).count();
    assertThat(firstShardIndoor).isBetween(32L, 128L);
  }

  @Test
  void badOptionsFailWithAMessageNamingThem(@TempDir Path out) {
    StringWriter err = new StringWriter();
    CommandLine cl = ExportShardsCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("--out", out.toString(), "--count", "5", "--indoor-fraction", "1.5", "--quiet");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--indoor-fraction");
    assertThat(cl.execute("--out", out.toString(), "--width", "0", "--quiet")).isEqualTo(2);
  }

  @Test
  void numpyReadsTheShards(@TempDir Path out) throws Exception {
    Assumptions.assumeTrue(numpyAvailable(), "/usr/bin/python3 with numpy is not installed");
    assertThat(export(out, "--previews", "2")).isZero();
    assertThat(out.resolve("preview-00000-rgb.png")).exists();
    assertThat(out.resolve("preview-00001-depth.png")).exists();
    String script = String.join("\n",
        "import json, sys, numpy as np",
        "m = json.load(open(sys.argv[1] + '/manifest.json'))",
        "assert m['format'] == 'depthstream-shards/1' and m['count'] == 10, m",
        "total = 0",
        "for name in m['shards']:",
        "    z = np.load(sys.argv[1] + '/' + name)",
        "    d, rgb, k, s = z['depth'], z['rgb'], z['intrinsics'], z['scene']",
        "    n = d.shape[0]",
        "    assert d.dtype == np.float32 and d.shape == (n, m['height'], m['width']), d.shape",
        "    assert rgb.dtype == np.uint8 and rgb.shape == (n, m['height'], m['width'], 3), rgb.shape",
        "    assert k.dtype == np.float32 and k.shape == (n, 4) and s.dtype == np.int8 and s.shape == (n,)",
        "    assert np.isfinite(d).all() and (d >= 0).all()",
        "    total += n",
        "    print(name, repr(float(d.astype(np.float64).sum())), int(rgb.astype(np.int64).sum()), int(s.sum()))",
        "assert total == m['count']");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    // numpy's sums must equal the sums of what this test parsed itself.
    String[] lines = output.strip().split("\n");
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      String[] f = line.split(" ");
      Map<String, NpyArray> a = readNpz(out.resolve(f[0]));
      double depthSum = 0;
      for (float v : floats(a.get("depth.npy").data())) {
        depthSum += v;
      }
      long rgbSum = 0;
      for (byte v : a.get("rgb.npy").data()) {
        rgbSum += v & 0xff;
      }
      int sceneSum = 0;
      for (byte v : a.get("scene.npy").data()) {
        sceneSum += v;
      }
      assertThat(Double.parseDouble(f[1])).isCloseTo(depthSum, org.assertj.core.api.Assertions.within(1e-6 * depthSum));
      assertThat(Long.parseLong(f[2])).isEqualTo(rgbSum);
      assertThat(Integer.parseInt(f[3])).isEqualTo(sceneSum);
    }
  }

  private static boolean numpyAvailable() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
