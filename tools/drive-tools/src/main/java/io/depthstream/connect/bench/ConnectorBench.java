package io.depthstream.connect.bench;

import io.depthstream.cli.CommandErrors;
import io.depthstream.connect.formats.KittiVelodyne;
import io.depthstream.connect.source.DriveConnectors;
import io.depthstream.connect.source.DriveSourceTask;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.connect.source.SourceRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures how fast each source turns local files into records: the connector task's own work (read, decode,
 * project, serialize) with {@code frame.rate.hz=0}, without the broker, against the requirement of 10x the
 * sensor's rate (KITTI LiDAR 10 Hz, Kinect 30 Hz). Drives are real samples from {@code shared/data} when given,
 * else synthetic files of the same size (a 120,000-point scan, a 640x480 16-bit PNG).
 *
 * <p>Two measures per row: wall-clock frames per second (what a drive gets on this host, under its current
 * load) and CPU milliseconds per frame summed over every Java thread of the JVM (ThreadMXBean; decode threads
 * included, garbage-collector threads not), which does not depend on how busy the host is. RGB-D runs once
 * with decoding inline ({@code decode.threads=0}) and once with decode-ahead threads, side by side.
 *
 * <pre>mvn -q -pl connectors exec:java -Dexec.mainClass=io.depthstream.connect.bench.ConnectorBench \
 *     -Dexec.args="--frames 300 --data ../shared/data"</pre>
 */
@Command(name = "connector-bench", mixinStandardHelpOptions = true, description = "Frames per second of the drive sources from local files.")
public final class ConnectorBench implements Callable<Integer> {
  @Option(names = "--frames", defaultValue = "300", description = "files per drive (default: ${DEFAULT-VALUE})")
  int frames;

  @Option(names = "--data", description = "shared/data directory with the real samples (optional)")
  Path data;

  @Option(names = "--rounds", defaultValue = "3", description = "timed passes; the best is reported (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--decode-threads", defaultValue = "2", description = "decode.threads of the RGB-D row with decode-ahead (default: ${DEFAULT-VALUE})")
  int decodeThreads;

  @Mixin
  CommandErrors.Verbose verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired with the commands' error reporting ({@link CommandErrors}). */
  static CommandLine commandLine() {
    return CommandErrors.commandLine(new ConnectorBench());
  }

  /** One result line. */
  public record Result(String source, String input, int frames, double framesPerSecond, double cpuMsPerFrame,
      double requiredFps) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "%-10s %-40s %5d frames  %7.1f fps wall  %6.2f ms CPU/frame (%6.1f fps per busy core)  needs %4.0f: %s",
          source, input, frames, framesPerSecond, cpuMsPerFrame, 1000 / cpuMsPerFrame, requiredFps,
          framesPerSecond >= requiredFps ? "ok" : "TOO SLOW");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (frames < 1 || rounds < 1 || decodeThreads < 0) {
      throw new IllegalArgumentException("--frames and --rounds must be at least 1 and --decode-threads 0 or more");
    }
    if (data != null && !Files.isDirectory(data)) {
      throw Files.exists(data) ? new NotDirectoryException(data.toString()) : new NoSuchFileException(data.toString());
    }
    Path tmp = Files.createTempDirectory("depthstream-bench-");
    try {
      System.out.println(lidar(tmp, frames, data, rounds));
      System.out.println(rgbd(tmp, frames, data, rounds, 0));
      if (decodeThreads > 0) {
        System.out.println(rgbd(tmp, frames, data, rounds, decodeThreads));
      }
      System.out.println(vslam(tmp, frames, rounds));
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  /** KITTI scans projected into the 1242x375 image: the real frame 000008 or a synthetic 120k-point scan. */
  public static Result lidar(Path tmp, int n, Path data, int rounds) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("lidar"));
    Path sample = data == null ? null : data.resolve("kitti_object_000008/000008.bin");
    Path calib = data == null ? null : data.resolve("kitti_object_000008/derived/calib_000008_from_pkl.txt");
    byte[] scan;
    String input;
    if (sample != null && Files.isRegularFile(sample) && Files.isRegularFile(calib)) {
      scan = Files.readAllBytes(sample);
      input = "KITTI 000008.bin (" + scan.length / 16 + " pts) 1242x375";
    } else {
      calib = Files.writeString(tmp.resolve("calib.txt"), KITTI_CALIB);
      scan = syntheticScan(120_000);
      input = "synthetic 120000-pt scan, 1242x375";
    }
    for (int i = 0; i < n; i++) {
      Files.write(dir.resolve(String.format("%06d.bin", i)), scan);
    }
    Map<String, String> props = base(dir, "lidar0");
    props.put("calib.file", calib.toString());
    props.put("decode.threads", "0"); // the LiDAR reader decodes inline (not an AheadReader)
    return time("lidar", input, DriveConnectors.LIDAR, props, n, 100, rounds);
  }

  /** Kinect-style 640x480 16-bit PNGs: the real TUM frame or a synthetic one. */
  public static Result rgbd(Path tmp, int n, Path data, int rounds, int decodeThreads) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("rgbd"));
    Path sample = data == null ? null : data.resolve("tum_rgbd/TUM_depth.png");
    byte[] png;
    String input;
    if (sample != null && Files.isRegularFile(sample)) {
      png = Files.readAllBytes(sample);
      input = "TUM_depth.png 640x480 16-bit";
    } else {
      Path p = tmp.resolve("synthetic.png");
      int[] s = new int[640 * 480];
      SplittableRandom rng = new SplittableRandom(1);
      for (int i = 0; i < s.length; i++) {
        s[i] = rng.nextInt(10) == 0 ? 0 : 500 + (i % 640) * 5 + rng.nextInt(20);
      }
      DepthImageIO.writePng(p, new RawImage(640, 480, s, 65535));
      png = Files.readAllBytes(p);
      input = "synthetic 640x480 16-bit PNG";
    }
    for (int i = 0; i < n; i++) {
      Files.write(dir.resolve(String.format("%06d.png", i)), png);
    }
    Map<String, String> props = base(dir, "kinect0");
    props.put("camera.intrinsics", "525 525 319.5 239.5");
    props.put("depth.units.per.metre", "5000");
    props.put("decode.threads", Integer.toString(decodeThreads));
    return time("rgbd/t" + decodeThreads, input, DriveConnectors.RGBD, props, n, 300, rounds);
  }

  /**
   * Semi-dense vSLAM keyframe depth: a 640x480 16-bit millimetre PNG with about 15% of pixels valid (edges, as
   * direct SLAM gives) and its 8-bit validity mask.
   */
  public static Result vslam(Path tmp, int n, int rounds) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("vslam"));
    int w = 640;
    int h = 480;
    int[] depth = new int[w * h];
    int[] mask = new int[w * h];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < depth.length; i++) {
      if (rng.nextInt(100) < 15) {
        depth[i] = 800 + (i % w) * 4 + rng.nextInt(30);
        mask[i] = 255;
      }
    }
    Path d = tmp.resolve("vslam-depth.png");
    Path m = tmp.resolve("vslam-mask.png");
    DepthImageIO.writePng(d, new RawImage(w, h, depth, 65535));
    DepthImageIO.writePng(m, new RawImage(w, h, mask, 255));
    byte[] dBytes = Files.readAllBytes(d);
    byte[] mBytes = Files.readAllBytes(m);
    for (int i = 0; i < n; i++) {
      Files.write(dir.resolve(String.format("%06d.png", i)), dBytes);
      Files.write(dir.resolve(String.format("%06d_mask.png", i)), mBytes);
    }
    Map<String, String> props = base(dir, "vslam0");
    props.put("camera.intrinsics", "525 525 319.5 239.5");
    props.put("vslam.format", "depth-png");
    props.put("decode.threads", "0"); // decodes inline (not an AheadReader)
    return time("vslam", "synthetic 640x480 16-bit PNG + mask, 15% valid", DriveConnectors.VSLAM, props, n, 100,
        rounds);
  }

  private static Map<String, String> base(Path dir, String sensor) {
    Map<String, String> props = new HashMap<>();
    props.put("input.dir", dir.toString());
    props.put("sensor.id", sensor);
    props.put("frame.rate.hz", "0");
    props.put("dlq.topic", "");
    return props;
  }

  private static Result time(String name, String input, DriveConnectors kind, Map<String, String> props, int n,
      double required, int rounds) throws InterruptedException {
    double best = 0;
    double bestCpu = Double.MAX_VALUE;
    for (int r = 0; r < Math.max(1, rounds) + 1; r++) { // the first pass warms up the JIT and the page cache
      DriveSourceTask task = kind.newTask();
      Map<Long, Long> cpu0 = threadCpuNanos();
      long t0 = System.nanoTime();
      task.start(props);
      int records = 0;
      long bytes = 0;
      while (!task.finished()) {
        List<SourceRecord> batch = task.poll();
        if (batch != null) {
          records += batch.size();
          for (SourceRecord s : batch) {
            bytes += ((byte[]) s.value()).length;
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = cpuSince(cpu0); // before stop(): the decode threads are idle but still alive to be asked
      task.stop();
      if (records != n || task.badFiles() != 0 || bytes == 0) {
        throw new IllegalStateException(name + ": " + records + " records of " + n + ", " + task.badFiles()
            + " bad files");
      }
      if (r > 0) {
        best = Math.max(best, n / seconds);
        bestCpu = Math.min(bestCpu, cpu / 1e6 / n);
      }
    }
    return new Result(name, input, n, best, bestCpu, required);
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU time of every live Java thread, by id. */
  private static Map<Long, Long> threadCpuNanos() {
    Map<Long, Long> out = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      if (t >= 0) {
        out.put(id, t);
      }
    }
    return out;
  }

  /** CPU nanoseconds all Java threads used since {@code before} (threads started since then count in full). */
  private static long cpuSince(Map<Long, Long> before) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : threadCpuNanos().entrySet()) {
      sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return sum;
  }

  private static byte[] syntheticScan(int points) {
    SplittableRandom rng = new SplittableRandom(8);
    float[] xyz = new float[3 * points];
    for (int i = 0; i < points; i++) {
      double az = rng.nextDouble(-Math.PI, Math.PI);
      double el = Math.toRadians(rng.nextDouble(-24.9, 2.0));
      double r = rng.nextDouble(2, 80);
      xyz[3 * i] = (float) (r * Math.cos(el) * Math.cos(az));
      xyz[3 * i + 1] = (float) (r * Math.cos(el) * Math.sin(az));
      xyz[3 * i + 2] = (float) (r * Math.sin(el));
    }
    return KittiVelodyne.encode(xyz, points);
  }

  /** KITTI 2011_09_26 calibration values (object format), for the synthetic drive. */
  static final String KITTI_CALIB =
      """
          P2: 7.215377e+02 0 6.095593e+02 4.485728e+01 0 7.215377e+02 1.728540e+02 2.163791e-01 0 0 1 2.745884e-03
          R0_rect: 9.999239e-01 9.837760e-03 -7.445048e-03 -9.869795e-03 9.999421e-01 -4.278459e-03 7.402527e-03 4.351614e-03 9.999631e-01
          Tr_velo_to_cam: 7.533745e-03 -9.999714e-01 -6.166020e-04 -4.069766e-03 1.480249e-02 7.280733e-04 -9.998902e-01 -7.631618e-02 9.998621e-01 7.523790e-03 1.480755e-02 -2.717806e-01
          """;
}
