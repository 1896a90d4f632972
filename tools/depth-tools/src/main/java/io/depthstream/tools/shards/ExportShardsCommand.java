package io.depthstream.tools.shards;

import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.sampling.SamplingPattern;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.depth.scene.PinholeCamera;
import io.depthstream.depth.scene.RenderSettings;
import io.depthstream.depth.scene.SceneDrive;
import io.depthstream.depth.scene.SceneDrive.Kind;
import io.depthstream.depth.tooling.ProgressBar;
import io.depthstream.tools.shards.Npy.DType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Renders synthetic indoor and road drives ({@link SceneDrive}) into training shards for the PyTorch trainer.
 *
 * <p>Output (contract {@value ShardManifest#FORMAT}): {@code out/manifest.json} and {@code out/shard-XXXXX.npz},
 * each a plain stored zip of NPY v1.0 little-endian arrays: {@code depth} float32 [n,H,W] (z-depth, metres, 0 = no
 * measurement), {@code rgb} uint8 [n,H,W,3], {@code intrinsics} float32 [n,4] (fx, fy, cx, cy in pixels) and
 * {@code scene} int8 [n] (0 = indoor, 1 = road). Same options, same bytes (whatever {@code --threads}).
 *
 * <p>With {@code --patterns} the export is sparse (contract {@value ShardManifest#SPARSE_FORMAT}): the same arrays
 * plus {@code sparse} float32 [n,H,W] (metres, 0 = no sample) and {@code pattern} int16 [n], the index of the
 * frame's pattern in the manifest's {@code "patterns"} list (canonical specs). Frame {@code f} gets pattern
 * {@code f mod k} (round-robin, so every shard holds every pattern in equal shares) and is sampled by depth-core's
 * {@link SamplingPattern} with seed {@link #sampleSeed}{@code (seed, f)} and the frame's RGB luma as intensity
 * guide (gradient patterns follow image edges, as a real RGB-guided sensor would). Java is the single source of
 * truth for the patterns; the trainer never re-implements them. Shards are written as {@code .part} files and renamed when
 * complete, and the manifest is written last; files of an earlier, larger export in the same directory are
 * left alone, so the manifest is the list to trust.
 *
 * <pre>
 * java -cp ... io.depthstream.tools.shards.ExportShardsCommand --out shards --count 4096 --width 320 --height 240
 * java -cp ... io.depthstream.tools.shards.ExportShardsCommand --out sparse --count 4096 --patterns defaults
 * java -cp ... io.depthstream.tools.shards.ExportShardsCommand --out sparse --patterns 'uniform:p=0.05;grid:step=4'
 * </pre>
 */
@Command(name = "export-shards", mixinStandardHelpOptions = true, description = "Render synthetic indoor/road frames (dense depth + RGB, optionally sparse samples) into .npz "
    + "training shards.")
public final class ExportShardsCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Output directory (created if missing).")
  Path out;

  @Option(names = "--count", defaultValue = "1024", description = "Total frames (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--width", defaultValue = "320", description = "Frame width, pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "240", description = "Frame height, pixels (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--frames-per-shard", defaultValue = "256", description = "Frames per .npz shard (default: ${DEFAULT-VALUE}).")
  int framesPerShard;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the whole export (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--indoor-fraction", defaultValue = "0.5", description = "Share of indoor frames, the rest are road (default: ${DEFAULT-VALUE}).")
  double indoorFraction;

  @Option(names = "--threads", description = "Render threads (default: available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--frames-per-drive", defaultValue = "32", description = "Frames taken from each drive before switching seed (default: ${DEFAULT-VALUE}).")
  int framesPerDrive;

  @Option(names = "--frame-stride", defaultValue = "3", description = "Take every n-th frame of a drive (default: ${DEFAULT-VALUE}).")
  int frameStride;

  @Option(names = "--previews", defaultValue = "0", description = "Also write the first n frames as preview-XXXXX-{rgb,depth}.png (depth grey, near = bright).")
  int previews;

  @Option(names = {"--patterns",
      "--pattern"}, split = ";", paramLabel = "SPEC", description = "Write sparse shards: sampling specs NAME[:key=value,...] separated by ';' (or the option "
          + "repeated), NAME one of ${COMPLETION-CANDIDATES}; 'defaults' stands for depth-core's default specs. "
          + "Frames take the patterns round-robin.", completionCandidates = PatternNames.class)
  List<String> patternSpecs = new ArrayList<>();

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Mixin
  CommandErrors.Verbose verbose;

  /** The sampling pattern names, for the help of {@code --patterns}. */
  static final class PatternNames extends ArrayList<String> {
    PatternNames() {
      super(SamplingPatterns.names());
    }
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired for execution: bad option values print one line and exit with code 2. */
  static CommandLine commandLine() {
    return CommandErrors.commandLine(new ExportShardsCommand());
  }

  @Override
  public Integer call() throws Exception {
    DepthMap.checkSize(width, height);
    if (framesPerShard <= 0 || threads <= 0 || previews < 0) {
      throw new IllegalArgumentException("--frames-per-shard and --threads must be positive and --previews >= 0, got "
          + framesPerShard + ", " + threads + ", " + previews);
    }
    List<String> specs = canonicalSpecs(patternSpecs);
    ExportPlan plan = new ExportPlan(count, indoorFraction, seed, framesPerDrive, frameStride);
    Files.createDirectories(out);
    int shardCount = (count + framesPerShard - 1) / framesPerShard;
    List<String> names = new ArrayList<>();
    ProgressBar progress = quiet ? null : new ProgressBar(System.err, "export", "frames", count);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "shard-render");
      t.setDaemon(true);
      return t;
    });
    try {
      boolean sparse = !specs.isEmpty();
      Batch[] batches = {new Batch(threads * 4, width, height, sparse), new Batch(threads * 4, width, height, sparse)};
      ThreadLocal<Drives> drives = ThreadLocal.withInitial(() -> new Drives(width, height, specs));
      int done = 0;
      for (int s = 0; s < shardCount; s++) {
        int first = s * framesPerShard;
        int n = Math.min(framesPerShard, count - first);
        String name = String.format("shard-%05d.npz", s);
        writeShard(out.resolve(name), plan, first, n, batches, drives, pool, progress, done);
        done += n;
        names.add(name);
      }
    } finally {
      pool.shutdownNow();
    }
    if (progress != null) {
      progress.finish();
    }
    ShardManifest manifest = new ShardManifest(width, height, count, names, seed, plan.indoor, plan.road, specs);
    Path tmp = out.resolve("manifest.json.part");
    Files.writeString(tmp, manifest.toJson(), StandardCharsets.UTF_8);
    Files.move(tmp, out.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING);
    if (!quiet) {
      System.err.printf("wrote %d frames (%d indoor, %d road, %d drives%s) in %d shards to %s%n", count, plan.indoor,
          plan.road, plan.drives, specs.isEmpty() ? "" : ", patterns " + String.join(" ", specs), shardCount, out);
    }
    return 0;
  }

  /**
   * The canonical specs of {@code requested} ({@code "defaults"} expands to {@link SamplingPatterns#defaults()}),
   * in order; empty for a dense export.
   *
   * @throws IllegalArgumentException for a malformed spec (the parser names it) or a pattern given twice
   */
  static List<String> canonicalSpecs(List<String> requested) {
    LinkedHashSet<String> specs = new LinkedHashSet<>();
    for (String raw : requested) {
      List<String> expanded = raw.strip().equals("defaults") ? SamplingPatterns.defaults() : List.of(raw);
      for (String spec : expanded) {
        String canonical = SamplingPatterns.parse(spec).spec();
        if (!specs.add(canonical)) {
          throw new IllegalArgumentException("--patterns: '" + spec + "' given twice (as " + canonical + ")");
        }
      }
    }
    if (specs.size() > Short.MAX_VALUE) {
      throw new IllegalArgumentException("--patterns: at most " + Short.MAX_VALUE + " patterns, got " + specs.size());
    }
    return List.copyOf(specs);
  }

  /** Index into the manifest's patterns of frame {@code frame}: round-robin over {@code patterns} patterns. */
  static int patternIndex(int frame, int patterns) {
    return frame % patterns;
  }

  /**
   * Sampling seed of frame {@code frame} of an export with seed {@code exportSeed}: a function of the two alone,
   * so the samples do not depend on the thread count or batch layout. SplittableRandom's output function mixes the
   * linear combination into a well-spread 64-bit value.
   */
  static long sampleSeed(long exportSeed, int frame) {
    return new SplittableRandom(exportSeed * 0x9E3779B97F4A7C15L + frame).nextLong();
  }

  /**
   * Rec. 601 luma of interleaved 8-bit RGB into {@code out} (one value per pixel, 0..255): the intensity guide of
   * the gradient patterns.
   */
  static void luma(byte[] rgb, float[] out) {
    for (int i = 0, j = 0; i < out.length; i++, j += 3) {
      out[i] = 0.299f * (rgb[j] & 0xff) + 0.587f * (rgb[j + 1] & 0xff) + 0.114f * (rgb[j + 2] & 0xff);
    }
  }

  private void writeShard(Path file, ExportPlan plan, int first, int n, Batch[] batches, ThreadLocal<Drives> drives,
      ExecutorService pool, ProgressBar progress, int doneBefore) throws Exception {
    String base = file.getFileName().toString();
    ByteBuffer intrinsics = ByteBuffer.allocate(4 * 4 * n).order(ByteOrder.LITTLE_ENDIAN);
    byte[] scene = new byte[n];
    boolean sparse = batches[0].sparse != null;
    ByteBuffer pattern = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
    NpzWriter npz = new NpzWriter(file);
    // Arrays up to an eighth of the heap each stay in memory; larger ones are spooled to disk.
    long memoryLimit = Runtime.getRuntime().maxMemory() / 8;
    try (NpzWriter.Spool depth = new NpzWriter.Spool(file.resolveSibling(base + ".depth.tmp"), memoryLimit,
        DType.FLOAT32, n, height, width);
        NpzWriter.Spool rgb = new NpzWriter.Spool(file.resolveSibling(base + ".rgb.tmp"), memoryLimit, DType.UINT8,
            n, height, width, 3);
        // A dense export writes no sparse array; the empty spool keeps one code path.
        NpzWriter.Spool sparseDepth = new NpzWriter.Spool(file.resolveSibling(base + ".sparse.tmp"), memoryLimit,
            DType.FLOAT32, sparse ? n : 0, height, width)) {
      // Double buffering: the pool renders the next batch while this thread writes the current one.
      Batch current = batches[0];
      Batch next = batches[1];
      List<Future<?>> pending = renderBatch(plan, first, Math.min(current.size, n), current, drives, pool);
      for (int b = 0; b < n; b += current.size) {
        int m = Math.min(current.size, n - b);
        await(pending);
        int nb = b + m;
        pending = nb < n ? renderBatch(plan, first + nb, Math.min(next.size, n - nb), next, drives, pool) : List.of();
        for (int i = 0; i < m; i++) {
          int f = first + b + i;
          depth.writeFloats(current.depth[i].data());
          rgb.writeBytes(current.rgb[i], 0, current.rgb[i].length);
          if (sparse) {
            sparseDepth.writeFloats(current.sparse[i].data());
            pattern.putShort(current.pattern[i]);
          }
          PinholeCamera c = SceneDrive.defaultCamera(plan.kind[f], width, height);
          intrinsics.putFloat((float) c.fx()).putFloat((float) c.fy());
          intrinsics.putFloat((float) c.cx()).putFloat((float) c.cy());
          scene[b + i] = (byte) plan.kind[f].code();
          if (f < previews) {
            writePreview(f, plan.kind[f], current.depth[i], current.rgb[i]);
          }
          if (progress != null) {
            progress.update(doneBefore + b + i + 1);
          }
        }
        Batch t = current;
        current = next;
        next = t;
      }
      npz.add("depth", depth);
      npz.add("rgb", rgb);
      npz.add("intrinsics", DType.FLOAT32, new long[] {n, 4}, intrinsics.array());
      npz.add("scene", DType.INT8, new long[] {n}, scene);
      if (sparse) {
        npz.add("sparse", sparseDepth);
        npz.add("pattern", DType.INT16, new long[] {n}, pattern.array());
      }
      npz.close();
    } catch (Exception e) {
      npz.abort();
      throw e;
    }
  }

  /**
   * Starts rendering frames {@code [first, first + m)} of the plan into {@code batch}, split in contiguous runs
   * over the pool's threads.
   */
  private List<Future<?>> renderBatch(ExportPlan plan, int first, int m, Batch batch, ThreadLocal<Drives> drives,
      ExecutorService pool) {
    int per = (m + threads - 1) / threads;
    List<Future<?>> futures = new ArrayList<>();
    for (int from = 0; from < m; from += per) {
      int start = from;
      int end = Math.min(m, from + per);
      futures.add(pool.submit(() -> {
        Drives d = drives.get();
        for (int i = start; i < end; i++) {
          int f = first + i;
          d.drive(plan.kind[f], plan.driveSeed[f]).render(plan.frameIndex[f], batch.depth[i], batch.rgb[i]);
          if (batch.sparse != null) {
            int p = patternIndex(f, d.patterns.length);
            luma(batch.rgb[i], d.luma);
            d.patterns[p].sample(batch.depth[i], d.luma, batch.sparse[i], sampleSeed(seed, f));
            batch.pattern[i] = (short) p;
          }
        }
        return null;
      }));
    }
    return futures;
  }

  private static void await(List<Future<?>> futures) throws Exception {
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) {
          throw cause;
        }
        throw e;
      }
    }
  }

  private void writePreview(int frame, Kind kind, DepthMap depth, byte[] rgb) throws IOException {
    double range = (kind == Kind.INDOOR ? RenderSettings.indoor() : RenderSettings.road()).maxRange();
    BufferedImage colour = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    float[] d = depth.data();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        colour.setRGB(x, y, ((rgb[3 * i] & 0xff) << 16) | ((rgb[3 * i + 1] & 0xff) << 8) | (rgb[3 * i + 2] & 0xff));
        // Near is bright, no measurement is black.
        int g = d[i] > 0 ? 255 - (int) Math.min(254, 254 * d[i] / range) : 0;
        grey.getRaster().setSample(x, y, 0, g);
      }
    }
    ImageIO.write(colour, "png", out.resolve(String.format("preview-%05d-rgb.png", frame)).toFile());
    ImageIO.write(grey, "png", out.resolve(String.format("preview-%05d-depth.png", frame)).toFile());
  }

  /** Frame buffers for one batch, reused across batches and shards. */
  private static final class Batch {
    final int size;
    final DepthMap[] depth;
    final byte[][] rgb;
    /** Sparse samples and pattern indices; null for a dense export. */
    final DepthMap[] sparse;
    final short[] pattern;

    Batch(int size, int width, int height, boolean withSparse) {
      this.size = size;
      this.depth = new DepthMap[size];
      this.rgb = new byte[size][3 * width * height];
      this.sparse = withSparse ? new DepthMap[size] : null;
      this.pattern = withSparse ? new short[size] : null;
      for (int i = 0; i < size; i++) {
        depth[i] = DepthMap.allocate(width, height);
        if (withSparse) {
          sparse[i] = DepthMap.allocate(width, height);
        }
      }
    }
  }

  /**
   * One thread's drives (the last one of each kind is kept, since a thread renders runs of one drive) and its own
   * sampling patterns and luma buffer (patterns keep scratch buffers and are not thread-safe).
   */
  private static final class Drives {
    private final int width;
    private final int height;
    private final SceneDrive[] last = new SceneDrive[Kind.values().length];
    final SamplingPattern[] patterns;
    final float[] luma;

    Drives(int width, int height, List<String> specs) {
      this.width = width;
      this.height = height;
      this.patterns = specs.stream().map(SamplingPatterns::parse).toArray(SamplingPattern[]::new);
      this.luma = specs.isEmpty() ? null : new float[width * height];
    }

    SceneDrive drive(Kind kind, long seed) {
      SceneDrive d = last[kind.ordinal()];
      if (d == null || d.seed() != seed) {
        d = SceneDrive.of(kind, seed, SceneDrive.defaultCamera(kind, width, height));
        last[kind.ordinal()] = d;
      }
      return d;
    }
  }
}
