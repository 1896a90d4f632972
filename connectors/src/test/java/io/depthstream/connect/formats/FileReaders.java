package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.fail;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.DepthImages;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.image.Png;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connectors' file readers as fuzz targets: each with a small valid file written here, and one way to read a
 * (mutated) file the way its source task does. {@link #attempt} reads with a time and allocation limit and turns
 * the result into "OK" or the {@link DeadLetterReason}; anything else (another exception, an error, a hang,
 * an allocation far beyond the file) fails the test with the input in Base64, so it can be replayed.
 */
final class FileReaders {
  /** Image size every image reader is configured for. */
  static final int W = 4;
  static final int H = 3;
  /** A read may take this long; the readers need microseconds for these files. */
  private static final long TIMEOUT_MS = 5_000;
  /** Allocation allowed for reading one tiny file (configured buffers are tiny too). */
  static final long ALLOCATION_BUDGET_BYTES = 16L * 1024 * 1024;

  /** A reader and the file it reads. */
  enum Reader {
    KITTI_BIN("000001.bin"),
    KITTI_CALIB("calib.txt"),
    KITTI_CALIB_RAW_VELO(KittiCalibration.RAW_VELO_TO_CAM),
    PCD_ASCII("cloud.pcd"),
    PCD_BINARY("cloud.pcd"),
    PNG16_DEPTH("depth.png"),
    PNG16_MILLIMETRES("depth.png"),
    PNG8_MASK("depth_mask.png"),
    PFM("depth.pfm"),
    TUM_LIST("depth.txt"),
    KEYFRAME("keyframe.txt"),
    FOCAL_SIDECAR(FocalStackDirectory.SIDECAR),
    FOCAL_PNG("a.png");

    final String fileName;

    Reader(String fileName) {
      this.fileName = fileName;
    }
  }

  private static ExecutorService executor = newExecutor();

  private FileReaders() {}

  /** The valid file of {@code r}. */
  static byte[] valid(Reader r) {
    return switch (r) {
      case KITTI_BIN -> KittiVelodyne.encode(new float[] {5f, 0f, 0f, 4f, -1f, 0.5f, 10f, 2f, -1f}, 3);
      case KITTI_CALIB -> ascii("""
          P0: 100 0 50 0 0 100 20 0 0 0 1 0
          P2: 100 0 50 0 0 100 20 0 0 0 1 0
          R0_rect: 1 0 0 0 1 0 0 0 1
          Tr_velo_to_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0
          """);
      case KITTI_CALIB_RAW_VELO -> ascii("""
          calib_time: 15-Mar-2012 11:37:16
          R: 0 -1 0 0 0 -1 1 0 0
          T: 0 -0.08 -0.27
          """);
      case PCD_ASCII -> PcdReader.encode(new float[] {1f, 2f, 3f, Float.NaN, 0f, 0f, -4.5f, 0.25f, 8f}, 3, false);
      case PCD_BINARY -> PcdReader.encode(new float[] {1f, 2f, 3f, Float.NaN, 0f, 0f, -4.5f, 0.25f, 8f}, 3, true);
      case PNG16_DEPTH, PNG16_MILLIMETRES -> png(16, 0, 1000, 5000, 65535, 256, 1, 2, 3, 4, 5, 6, 7);
      case PNG8_MASK, FOCAL_PNG -> png(8, 0, 1, 255, 0, 7, 9, 0, 0, 1, 1, 1, 1);
      case PFM -> DepthImages.encodePfm(new float[] {0f, 1f, 2f, Float.NaN, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f}, W, H);
      case TUM_LIST -> ascii("# depth maps\n# file: 'x.bag'\n1305031102.160407 depth/1305031102.160407.png\n"
          + "1305031102.194330 depth/1305031102.194330.png\n");
      case KEYFRAME -> ascii("# depthstream keyframe v1\ntimestamp 1305031102.175304\ncamera 100 100 2 1.5 4 3\n"
          + "pose 0.1 0.2 0.3 0 0 0 1\n1 1 0.5 0.01\n2.4 1.6 0.25 0.02\n3 2 -1 0.01\n");
      case FOCAL_SIDECAR -> ascii("timestamp 1305031102.5\na.png 0.5\nb.png 2.0\n");
    };
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A grey PNG of {@code bits} bits, W x H, through ImageIO (a writer other than our decoder). */
  private static byte[] png(int bits, int... samples) {
    try {
      Path tmp = Files.createTempFile("fuzz", ".png");
      try {
        DepthImageIO.writePng(tmp, new RawImage(W, H, samples, bits == 8 ? 255 : 65535));
        return Files.readAllBytes(tmp);
      } finally {
        Files.delete(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code bytes} as {@code r}'s file in {@code dir} (with the valid companions the reader needs) and reads
   * it.
   *
   * @return "OK" or the BadFileException's reason
   */
  static String attempt(Reader r, Path dir, byte[] bytes) {
    Path file = dir.resolve(r.fileName);
    try {
      Files.createDirectories(dir);
      companions(r, dir);
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Future<String> result = executor.submit(() -> {
      long before = allocatedBytes();
      String outcome = read(r, file, bytes);
      long allocated = allocatedBytes() - before;
      if (allocated > ALLOCATION_BUDGET_BYTES) {
        throw new AssertionError(r + " allocated " + allocated + " bytes for a file of " + bytes.length);
      }
      return outcome;
    });
    try {
      return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      executor.shutdownNow();
      executor = newExecutor(); // the stuck thread may not stop; later reads must not queue behind it
      return fail(r + " did not finish within " + TIMEOUT_MS + " ms on input " + base64(bytes));
    } catch (ExecutionException e) {
      return fail(r + " threw " + e.getCause() + " (not a BadFileException) on input " + base64(bytes), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the reader; a BadFileException must name the file (or, for a stack, a file of its directory). The image
   * decoders of depth-core throw ImageFileException, which the sources turn into a BadFileException as here.
   */
  private static String read(Reader r, Path file, byte[] bytes) {
    try {
      try {
        decode(r, file, bytes);
      } catch (ImageFileException e) {
        throw BadFileException.of(e);
      }
      return "OK";
    } catch (BadFileException e) {
      boolean inDirectory = r == Reader.KITTI_CALIB_RAW_VELO || r == Reader.FOCAL_SIDECAR || r == Reader.FOCAL_PNG;
      Path named = inDirectory ? file.getParent() : file;
      if (e.reason() == null || !e.getMessage().contains(named.toString()) || e.file() == null) {
        throw new AssertionError(r + ": BadFileException without reason or file name: " + e.getMessage(), e);
      }
      return e.reason().name();
    }
  }

  /** Reads {@code file} the way {@code r}'s source task does. */
  private static void decode(Reader r, Path file, byte[] bytes) {
    switch (r) {
      case KITTI_BIN -> KittiVelodyne.parse(bytes, file);
      case KITTI_CALIB -> KittiCalibration.read(file).veloToImage();
      case KITTI_CALIB_RAW_VELO -> KittiCalibration.read(file.getParent()).veloToImage();
      case PCD_ASCII, PCD_BINARY -> PcdReader.parse(bytes, file);
      case PNG16_DEPTH -> DepthImages.decodeScaledPng(bytes, file, 1000, new int[W * H], DepthMap.allocate(W, H));
      case PNG16_MILLIMETRES -> {
        try (Png.Decoder decoder = new Png.Decoder()) {
          DepthImages.decodeToMillimetres(bytes, file, DepthImages.millimetreTable(5000), decoder,
              new byte[2 * W * H], W, H);
        }
      }
      case PNG8_MASK -> DepthImages.decodeMask(bytes, file, new int[W * H], new boolean[W * H],
          DepthMap.allocate(W, H));
      case PFM -> DepthImages.decodePfm(bytes, file, new float[W * H], W, H);
      case TUM_LIST -> TimestampedList.read(file);
      case KEYFRAME -> KeyframePoints.parse(bytes, file, 1.0, DepthMap.allocate(W, H));
      case FOCAL_SIDECAR, FOCAL_PNG -> FocalStackDirectory.read(file.getParent());
    }
  }

  /** The valid files a reader reads beside the fuzzed one: the raw calibration's other half, the stack's images. */
  private static void companions(Reader r, Path dir) throws IOException {
    switch (r) {
      case KITTI_CALIB_RAW_VELO -> Files.write(dir.resolve(KittiCalibration.RAW_CAM_TO_CAM), ascii("""
          calib_time: 09-Jan-2012 13:57:47
          P_rect_02: 100 0 50 0 0 100 20 0 0 0 1 0
          R_rect_00: 1 0 0 0 1 0 0 0 1
          """));
      case FOCAL_SIDECAR -> {
        Files.write(dir.resolve("a.png"), valid(Reader.FOCAL_PNG));
        Files.write(dir.resolve("b.png"), valid(Reader.FOCAL_PNG));
      }
      case FOCAL_PNG -> {
        Files.write(dir.resolve(FocalStackDirectory.SIDECAR), valid(Reader.FOCAL_SIDECAR));
        Files.write(dir.resolve("b.png"), valid(Reader.FOCAL_PNG));
      }
      default -> {}
    }
  }

  /** Outcome counts per reader, for the summary table. */
  static final class Tally {
    private final String title;
    private final Map<String, Map<String, Integer>> counts = new TreeMap<>();

    Tally(String title) {
      this.title = title;
    }

    synchronized void add(Reader r, String outcome) {
      counts.computeIfAbsent(r.name(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
    }

    synchronized String table() {
      StringBuilder s = new StringBuilder("\n=== ").append(title).append(" ===\n");
      Map<String, Integer> totals = new TreeMap<>();
      counts.forEach((reader, byOutcome) -> byOutcome.forEach((outcome, n) -> {
        s.append(String.format("  %-22s %-24s %6d%n", reader, outcome, n));
        totals.merge(outcome, n, Integer::sum);
      }));
      totals.forEach((outcome, n) -> s.append(String.format("  %-22s %-24s %6d%n", "all readers", outcome, n)));
      s.append(String.format("  %-22s %-24s %6d%n", "all readers", "total files",
          totals.values().stream().mapToInt(Integer::intValue).sum()));
      return s.toString();
    }
  }

  private static String base64(byte[] bytes) {
    return bytes.length > 4096 ? bytes.length + " bytes" : "base64:" + Base64.getEncoder().encodeToString(bytes);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "file-reader-fuzz");
      t.setDaemon(true);
      return t;
    });
  }
}
