package io.depthstream.tools.shards;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.scene.PinholeCamera;
import io.depthstream.depth.scene.RenderSettings;
import io.depthstream.depth.scene.SceneDrive;
import io.depthstream.depth.scene.SceneDrive.Kind;
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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Renders synthetic indoor and road drives ({@link SceneDrive}) into training shards for the PyTorch trainer.
 *
 * <p>Output (contract {@value ShardManifest#FORMAT}): {@code out/manifest.json} and {@code out/shard-XXXXX.npz},
 * each a plain stored zip of NPY v1.0 little-endian arrays: {@code depth} float32 [n,H,W] (z-depth, metres, 0 = no
 * measurement), {@code rgb} uint8 [n,H,W,3], {@code intrinsics} float32 [n,4] (fx, fy, cx, cy in pixels) and
 * {@code scene} int8 [n] (0 = indoor, 1 = road). Sparse inputs are not stored; they are sampled later. Same
 * options, same bytes (whatever {@code --threads}). Shards are written as {@code .part} files and renamed when
 * complete, and the manifest is written last; files of an earlier, larger export in the same directory are
 * left alone, so the manifest is the list to trust.
 *
 * <pre>
 * java -cp ... io.depthstream.tools.shards.ExportShardsCommand --out shards --count 4096 --width 320 --height 240
 * </pre>
 */
@Command(name = "export-shards", mixinStandardHelpOptions = true,
    description = "Render synthetic indoor/road frames (dense depth + RGB) into .npz training shards.")
public final class ExportShardsCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Output directory (created if missing).")
  Path out;

  @Option(names = "--count", defaultValue = "1024", description = "Total frames (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--width", defaultValue = "320", description = "Frame width, pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "240", description = "Frame height, pixels (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--frames-per-shard", defaultValue = "256",
      description = "Frames per .npz shard (default: ${DEFAULT-VALUE}).")
  int framesPerShard;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the whole export (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--indoor-fraction", defaultValue = "0.5",
      description = "Share of indoor frames, the rest are road (default: ${DEFAULT-VALUE}).")
  double indoorFraction;

  @Option(names = "--threads", description = "Render threads (default: available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--frames-per-drive", defaultValue = "32",
      description = "Frames taken from each drive before switching seed (default: ${DEFAULT-VALUE}).")
  int framesPerDrive;

  @Option(names = "--frame-stride", defaultValue = "3",
      description = "Take every n-th frame of a drive (default: ${DEFAULT-VALUE}).")
  int frameStride;

  @Option(names = "--previews", defaultValue = "0",
      description = "Also write the first n frames as preview-XXXXX-{rgb,depth}.png (depth grey, near = bright).")
  int previews;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired for execution: bad option values print one line and exit with code 2. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ExportShardsCommand());
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      if (ex instanceof IllegalArgumentException) {
        line.getErr().println("export-shards: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    DepthMap.checkSize(width, height);
    if (framesPerShard <= 0 || threads <= 0 || previews < 0) {
      throw new IllegalArgumentException("--frames-per-shard and --threads must be positive and --previews >= 0, got "
          + framesPerShard + ", " + threads + ", " + previews);
    }
    ExportPlan plan = new ExportPlan(count, indoorFraction, seed, framesPerDrive, frameStride);
    Files.createDirectories(out);
    int shardCount = (count + framesPerShard - 1) / framesPerShard;
    List<String> names = new ArrayList<>();
    ProgressBar progress = quiet ? null : new ProgressBar(System.err, "export", count);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "shard-render");
      t.setDaemon(true);
      return t;
    });
    try {
      Batch[] batches = {new Batch(threads * 4, width, height), new Batch(threads * 4, width, height)};
      ThreadLocal<Drives> drives = ThreadLocal.withInitial(() -> new Drives(width, height));
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
    ShardManifest manifest = new ShardManifest(width, height, count, names, seed, plan.indoor, plan.road);
    Path tmp = out.resolve("manifest.json.part");
    Files.writeString(tmp, manifest.toJson(), StandardCharsets.UTF_8);
    Files.move(tmp, out.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING);
    if (!quiet) {
      System.err.printf("wrote %d frames (%d indoor, %d road, %d drives) in %d shards to %s%n", count, plan.indoor,
          plan.road, plan.drives, shardCount, out);
    }
    return 0;
  }

  private void writeShard(Path file, ExportPlan plan, int first, int n, Batch[] batches, ThreadLocal<Drives> drives,
      ExecutorService pool, ProgressBar progress, int doneBefore) throws Exception {
    String base = file.getFileName().toString();
    ByteBuffer intrinsics = ByteBuffer.allocate(4 * 4 * n).order(ByteOrder.LITTLE_ENDIAN);
    byte[] scene = new byte[n];
    NpzWriter npz = new NpzWriter(file);
    // Arrays up to an eighth of the heap each stay in memory; larger ones are spooled to disk.
    long memoryLimit = Runtime.getRuntime().maxMemory() / 8;
    try (NpzWriter.Spool depth = new NpzWriter.Spool(file.resolveSibling(base + ".depth.tmp"), memoryLimit,
            DType.FLOAT32, n, height, width);
        NpzWriter.Spool rgb = new NpzWriter.Spool(file.resolveSibling(base + ".rgb.tmp"), memoryLimit, DType.UINT8,
            n, height, width, 3)) {
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

    Batch(int size, int width, int height) {
      this.size = size;
      this.depth = new DepthMap[size];
      this.rgb = new byte[size][3 * width * height];
      for (int i = 0; i < size; i++) {
        depth[i] = DepthMap.allocate(width, height);
      }
    }
  }

  /** One thread's drives: the last one of each kind is kept, since a thread renders runs of one drive. */
  private static final class Drives {
    private final int width;
    private final int height;
    private final SceneDrive[] last = new SceneDrive[Kind.values().length];

    Drives(int width, int height) {
      this.width = width;
      this.height = height;
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
