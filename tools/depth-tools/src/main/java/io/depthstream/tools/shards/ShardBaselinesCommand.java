package io.depthstream.tools.shards;

import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.resample.Interpolation;
import io.depthstream.depth.resample.Resampler;
import io.depthstream.tools.shards.Npy.DType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The classical baselines' outputs on the validation frames of a shard export, so the trainer can score them with
 * the very metric code and frames it scores its networks with (Java stays the single source of the classical
 * methods; Python never re-implements them).
 *
 * <p>Validation frames are the trainer's: the frames of the last {@code ceil(valFraction * shards)} shards of the
 * manifest, in order (trainer {@code data.split_shards}). Output: one npz with a float32 [n,H,W] array (metres,
 * 0 = no output) per method, named after the method.
 *
 * <ul>
 *   <li>{@code --task sparse} (needs a {@value ShardManifest#SPARSE_FORMAT} export): each classical method
 *       ({@link ClassicalMethods}) fills the frame's {@code sparse} array.
 *   <li>{@code --task sr --factor F}: the low-resolution input is the valid-aware mean of each F x F block of
 *       {@code depth} (trainer {@code valid_aware_pool}; a block without valid depth is a hole), stored as
 *       {@code low_res} [n,H/F,W/F]; {@code bicubic}, {@code bilinear} and {@code nearest} ({@link Resampler})
 *       upscale it back to H x W.
 * </ul>
 */
@Command(name = "shard-baselines", mixinStandardHelpOptions = true, description = "Run the classical baselines on a shard export's validation frames; write their outputs (npz).")
public final class ShardBaselinesCommand implements Callable<Integer> {
  private static final Pattern HEADER =
      Pattern.compile("\\{'descr': '([<|][a-z][0-9])', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), *\\}");

  @Option(names = "--data", required = true, description = "Shard directory (manifest.json).")
  Path data;

  @Option(names = "--out", required = true, description = "Output .npz file.")
  Path out;

  @Option(names = "--task", defaultValue = "sparse", description = "sparse (densify the shards' samples) or sr (upscale their pooled depth) (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--factor", defaultValue = "4", description = "SR factor (default: ${DEFAULT-VALUE}).")
  int factor;

  @Option(names = "--val-fraction", defaultValue = "0.1", description = "Validation share of the shards, as the trainer's (default: ${DEFAULT-VALUE}).")
  double valFraction;

  @Mixin
  CommandErrors.Verbose verbose;

  public static void main(String[] args) {
    System.exit(CommandErrors.commandLine(new ShardBaselinesCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean sr = switch (task) {
      case "sparse" -> false;
      case "sr" -> true;
      default -> throw new IllegalArgumentException("--task must be sparse or sr, got " + task);
    };
    String manifest = Files.readString(data.resolve("manifest.json"), StandardCharsets.UTF_8);
    int width = jsonInt(manifest, "width");
    int height = jsonInt(manifest, "height");
    if (sr && (factor < 2 || width % factor != 0 || height % factor != 0)) {
      throw new IllegalArgumentException("--factor " + factor + " must be >= 2 and divide " + width + "x" + height);
    }
    if (!sr && !manifest.contains(ShardManifest.SPARSE_FORMAT)) {
      throw new IllegalArgumentException(data + " is not a sparse export; --task sparse needs --patterns shards");
    }
    List<String> shards = jsonStrings(manifest, "shards");
    if (shards.size() < 2) {
      throw new IllegalArgumentException("a train/validation split needs at least 2 shards, got " + shards.size());
    }
    int nVal = Math.min(shards.size() - 1, Math.max(1, (int) Math.ceil(valFraction * shards.size())));
    List<String> val = shards.subList(shards.size() - nVal, shards.size());
    List<String> methods = sr ? List.of("bicubic", "bilinear", "nearest") : ClassicalMethods.names();
    List<float[][]> frames = new ArrayList<>();  // per frame: depth, sparse (or null)
    for (String name : val) {
      try (ZipFile zip = new ZipFile(data.resolve(name).toFile())) {
        float[] depth = readFloats(zip, "depth.npy", height, width);
        float[] sparse = sr ? null : readFloats(zip, "sparse.npy", height, width);
        int n = depth.length / (width * height);
        for (int i = 0; i < n; i++) {
          int from = i * width * height;
          frames.add(new float[][] {
              java.util.Arrays.copyOfRange(depth, from, from + width * height),
              sparse == null ? null : java.util.Arrays.copyOfRange(sparse, from, from + width * height)});
        }
      }
    }
    int n = frames.size();
    int lw = width / factor;
    int lh = height / factor;
    ByteBuffer[] outputs = new ByteBuffer[methods.size()];
    ByteBuffer lowRes = sr ? ByteBuffer.allocate(4 * n * lw * lh).order(ByteOrder.LITTLE_ENDIAN) : null;
    DepthMap input = sr ? DepthMap.allocate(lw, lh) : DepthMap.allocate(width, height);
    DepthMap output = DepthMap.allocate(width, height);
    for (int m = 0; m < methods.size(); m++) {
      outputs[m] = ByteBuffer.allocate(4 * n * width * height).order(ByteOrder.LITTLE_ENDIAN);
      String method = methods.get(m);
      DepthReconstructor r = sr ? null : ClassicalMethods.create(method);
      Resampler resampler = sr ? new Resampler(Interpolation.valueOf(method.toUpperCase(java.util.Locale.ROOT)))
          : null;
      for (float[][] frame : frames) {
        if (sr) {
          validAwarePool(frame[0], width, height, factor, input.data());
          if (m == 0) {
            lowRes.asFloatBuffer().put(input.data());
            lowRes.position(lowRes.position() + 4 * lw * lh);
          }
          resampler.resize(input, output);
        } else {
          System.arraycopy(frame[1], 0, input.data(), 0, frame[1].length);
          r.reconstruct(input, output);
        }
        outputs[m].asFloatBuffer().put(output.data());
        outputs[m].position(outputs[m].position() + 4 * width * height);
      }
      if (r != null) {
        r.close();
      }
    }
    NpzWriter npz = new NpzWriter(out);
    try {
      for (int m = 0; m < methods.size(); m++) {
        npz.add(methods.get(m), DType.FLOAT32, new long[] {n, height, width}, outputs[m].array());
      }
      if (sr) {
        npz.add("low_res", DType.FLOAT32, new long[] {n, lh, lw}, lowRes.array());
      }
      npz.close();
    } catch (IOException | RuntimeException e) {
      npz.abort();
      throw e;
    }
    System.err.printf("%s: %d validation frames of %s (%s), methods %s%n", out, n, data, String.join(" ", val),
        String.join(" ", methods));
    return 0;
  }

  /**
   * Valid-aware mean pooling: each {@code factor x factor} block's mean over its valid (> 0) depths, 0 when the
   * block has none (the trainer's {@code valid_aware_pool}).
   */
  static void validAwarePool(float[] depth, int width, int height, int factor, float[] out) {
    int lw = width / factor;
    for (int by = 0; by < height / factor; by++) {
      for (int bx = 0; bx < lw; bx++) {
        double sum = 0;
        int count = 0;
        for (int y = by * factor; y < (by + 1) * factor; y++) {
          for (int x = bx * factor; x < (bx + 1) * factor; x++) {
            float d = depth[y * width + x];
            if (d > 0) {
              sum += d;
              count++;
            }
          }
        }
        out[by * lw + bx] = count == 0 ? 0f : (float) (sum / count);
      }
    }
  }

  /** A float32 [n, h, w] array of the npz as one flat array. */
  private static float[] readFloats(ZipFile zip, String entry, int h, int w) throws IOException {
    ZipEntry e = zip.getEntry(entry);
    if (e == null) {
      throw new IllegalArgumentException(zip.getName() + ": no array " + entry);
    }
    byte[] b;
    try (InputStream in = zip.getInputStream(e)) {
      b = in.readAllBytes();
    }
    int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
    String dict = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
    Matcher m = HEADER.matcher(dict);
    if (!m.lookingAt() || !m.group(1).equals("<f4")) {
      throw new IllegalArgumentException(zip.getName() + "/" + entry + ": not a float32 C-order array: " + dict);
    }
    String[] dims = m.group(2).split(",");
    if (dims.length < 3 || Integer.parseInt(dims[1].strip()) != h || Integer.parseInt(dims[2].strip()) != w) {
      throw new IllegalArgumentException(zip.getName() + "/" + entry + ": shape (" + m.group(2) + "), expected (n, "
          + h + ", " + w + ")");
    }
    float[] f = new float[(b.length - 10 - headerLen) / 4];
    ByteBuffer.wrap(b, 10 + headerLen, 4 * f.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  private static int jsonInt(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("manifest.json: missing " + key);
    }
    return Integer.parseInt(m.group(1));
  }

  private static List<String> jsonStrings(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("manifest.json: missing " + key);
    }
    List<String> values = new ArrayList<>();
    Matcher s = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
    while (s.find()) {
      values.add(s.group(1));
    }
    return values;
  }
}
