package io.depthstream.tools.shards;

import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.scene.SceneDrive;
import io.depthstream.depth.scene.SceneDrive.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures synthetic-scene rendering speed (depth + RGB) in frames per minute, with one thread and with a
 * parallel frame loop (one {@link SceneDrive} per thread, frames split in contiguous runs), after a warm-up.
 */
@Command(name = "scene-bench", mixinStandardHelpOptions = true, description = "Frames per minute of the synthetic scene renderer, single-threaded and parallel.")
public final class SceneBenchCommand implements Callable<Integer> {

  @Option(names = "--width", defaultValue = "320", description = "Frame width, pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "240", description = "Frame height, pixels (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--frames", defaultValue = "600", description = "Timed frames per run (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--warmup", defaultValue = "200", description = "Untimed frames first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--threads", description = "Threads of the parallel run (default: available processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the drives (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  CommandErrors.Verbose verbose;

  public static void main(String[] args) {
    System.exit(CommandErrors.commandLine(new SceneBenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    DepthMap.checkSize(width, height);
    if (frames <= 0 || warmup < 0 || threads <= 0) {
      throw new IllegalArgumentException("--frames and --threads must be positive, --warmup >= 0");
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (Kind kind : Kind.values()) {
        run(kind, 1, pool);
        if (threads > 1) {
          run(kind, threads, pool);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return 0;
  }

  private void run(Kind kind, int n, ExecutorService pool) throws Exception {
    // Every thread warms up its own drive, then all meet at the barrier; the clock runs from there to the end.
    CyclicBarrier ready = new CyclicBarrier(n + 1);
    List<Future<Long>> results = new ArrayList<>();
    int per = (frames + n - 1) / n;
    for (int t = 0; t < n; t++) {
      int from = t * per;
      int to = Math.min(frames, from + per);
      results.add(pool.submit(() -> {
        SceneDrive drive = SceneDrive.of(kind, seed, SceneDrive.defaultCamera(kind, width, height));
        DepthMap depth = DepthMap.allocate(width, height);
        byte[] rgb = new byte[3 * width * height];
        for (int f = 0; f < warmup; f++) {
          drive.render(10_000 + f, depth, rgb);
        }
        ready.await();
        long valid = 0;
        for (int f = from; f < to; f++) {
          drive.render(f, depth, rgb);
          valid += depth.validCount();
        }
        return valid;
      }));
    }
    ready.await();
    long t0 = System.nanoTime();
    long valid = 0;
    for (Future<Long> r : results) {
      valid += r.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%-6s %dx%d threads=%d: %8.0f frames/min (%.2f ms/frame, %.0f%% pixels valid)%n",
        kind.name().toLowerCase(Locale.ROOT), width, height, n, frames / seconds * 60, seconds / frames * 1e3,
        100.0 * valid / ((double) frames * width * height));
  }
}
