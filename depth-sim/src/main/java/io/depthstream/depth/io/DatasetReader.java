package io.depthstream.depth.io;

import io.depthstream.depth.DepthMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads the sample datasets of {@code shared/data} by name, or any directory of depth images with a given
 * {@link DepthEncoding}.
 *
 * <p>Named sets ({@link #NAMES}), with the peak value {@code MAX} used for PSNR/SSIM:
 * <ul>
 *   <li>{@code middlebury}: raw 2001/2003 GT disparity (Cones, Teddy x4 at 450x375; Tsukuba x16 at 384x288; Venus
 *       x8 at 434x383), 0 = unknown/occluded; MAX = 255 (8-bit scaled disparity).
 *   <li>{@code middlebury-setc}: MSG-Net test set C, hole-filled GT (no zeros), last row of Cones/Teddy/Venus
 *       dropped; MAX = 255.
 *   <li>{@code tum}: TUM RGB-D, v/5000 m; MAX = 10 m (Kinect v1 usable range).
 *   <li>{@code sun-rgbd}: SUN RGB-D bit-rotated mm; MAX = 10 m.
 *   <li>{@code nyu-raw}: NYU v2 raw Kinect disparity, little-endian PGM; MAX = 10 m (the usual NYU cap).
 *   <li>{@code kitti-000008}: projected Velodyne, v/256 m; MAX = 80 m (the usual KITTI evaluation cap).
 * </ul>
 */
public final class DatasetReader {
  /** Names accepted by {@link #load(String)}. */
  public static final List<String> NAMES =
      List.of("middlebury", "middlebury-setc", "tum", "sun-rgbd", "nyu-raw", "kitti-000008");

  private final Path dataDir;

  /** A reader over {@code dataDir} (the {@code shared/data} directory). */
  public DatasetReader(Path dataDir) {
    if (!Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException("data directory does not exist: " + dataDir);
    }
    this.dataDir = dataDir;
  }

  /**
   * Finds {@code shared/data}: first {@code ${depthstream.root}/../shared/data} (the build sets the system property),
   * then, walking up from the working directory, the first ancestor with a {@code shared/data} or
   * {@code ../shared/data} directory.
   */
  public static Optional<Path> locateSharedData() {
    String root = System.getProperty("depthstream.root");
    if (root != null && !root.isBlank()) {
      Path p = Path.of(root).resolve("../shared/data").normalize();
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("shared/data");
      if (Files.isDirectory(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** A reader over the located {@code shared/data}, or an exception saying where it looked. */
  public static DatasetReader shared() {
    return new DatasetReader(locateSharedData().orElseThrow(() -> new IllegalStateException(
        "shared/data not found: set -Ddepthstream.root=<checkout> (expects <checkout>/../shared/data) or run "
            + "below a directory that has shared/data")));
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Loads a named dataset (see {@link #NAMES}).
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws UncheckedIOException if a file is missing or malformed
   */
  public DepthDataset load(String name) {
    try {
      return switch (name) {
        case "middlebury" -> {
          Path d = dataDir.resolve("middlebury_2001_2003_gt");
          yield new DepthDataset(name, d, DepthEncoding.MIDDLEBURY_DISPARITY, "disparity (8-bit scaled)", 255f,
              List.of(
                  sample("cones", d.resolve("cones/disp2.png"), d.resolve("cones/im2.png"), 4,
                      DepthEncoding.MIDDLEBURY_DISPARITY, ByteOrder.BIG_ENDIAN),
                  sample("teddy", d.resolve("teddy/disp2.png"), d.resolve("teddy/im2.png"), 4,
                      DepthEncoding.MIDDLEBURY_DISPARITY, ByteOrder.BIG_ENDIAN),
                  sample("tsukuba", d.resolve("tsukuba/disp3.pgm"), d.resolve("tsukuba/im3.png"), 16,
                      DepthEncoding.MIDDLEBURY_DISPARITY, ByteOrder.BIG_ENDIAN),
                  sample("venus", d.resolve("venus/disp2.pgm"), d.resolve("venus/im2.png"), 8,
                      DepthEncoding.MIDDLEBURY_DISPARITY, ByteOrder.BIG_ENDIAN)));
        }
        case "middlebury-setc" -> {
          Path d = dataDir.resolve("middlebury_msgnet_setC");
          List<DepthSample> s = new ArrayList<>();
          String[] ids = {"cones", "teddy", "tsukuba", "venus"};
          int[] scales = {4, 4, 16, 8};
          for (int i = 0; i < ids.length; i++) {
            s.add(sample(ids[i], d.resolve("depth_derived_pgm/" + ids[i] + "_2.pgm"),
                d.resolve("rgb/" + ids[i] + ".bmp"), scales[i], DepthEncoding.MIDDLEBURY_DISPARITY,
                ByteOrder.BIG_ENDIAN));
          }
          yield new DepthDataset(name, d, DepthEncoding.MIDDLEBURY_DISPARITY, "disparity (8-bit scaled)", 255f, s);
        }
        case "tum" -> metric(name, "tum_rgbd", "TUM_depth.png", "TUM_color.png", DepthEncoding.TUM,
            ByteOrder.BIG_ENDIAN, 10f);
        case "sun-rgbd" -> metric(name, "sun_rgbd", "SUN_depth.png", "SUN_color.jpg", DepthEncoding.SUN_RGBD,
            ByteOrder.BIG_ENDIAN, 10f);
        case "nyu-raw" -> metric(name, "nyu_raw_kinect", "NYU_depth.pgm", "NYU_color.ppm", DepthEncoding.NYU_RAW,
            ByteOrder.LITTLE_ENDIAN, 10f);
        case "kitti-000008" -> metric(name, "kitti_object_000008", "derived/000008_sparse_depth_x256.png",
            "000008.png", DepthEncoding.KITTI, ByteOrder.BIG_ENDIAN, 80f);
        default -> throw new IllegalArgumentException("unknown dataset '" + name + "', known: " + NAMES);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("dataset " + name + " in " + dataDir, e);
    }
  }

  /**
   * Loads every file in {@code dir} whose name matches {@code glob} (for example {@code "*.png"}), in name order.
   *
   * @param pgmOrder byte order of 16-bit PGM samples (NYU raw dumps are little-endian)
   * @param maxValue the dataset's peak value for PSNR/SSIM, in the encoding's units
   */
  public static DepthDataset loadDirectory(
      Path dir, String glob, DepthEncoding encoding, ByteOrder pgmOrder, float maxValue) throws IOException {
    PathMatcher m = dir.getFileSystem().getPathMatcher("glob:" + glob);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> m.matches(p.getFileName())).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new java.nio.file.NoSuchFileException(dir.resolve(glob).toString(), null, "no file matches " + glob);
    }
    List<DepthSample> samples = new ArrayList<>();
    for (Path f : files) {
      String id = f.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      samples.add(new DepthSample(id, encoding.decode(DepthImageIO.read(f, pgmOrder)), f, Optional.empty(), 1));
    }
    String units = encoding == DepthEncoding.MIDDLEBURY_DISPARITY ? "disparity (8-bit scaled)" : "m";
    return new DepthDataset(dir.getFileName().toString(), dir, encoding, units, maxValue, samples);
  }

  private DepthDataset metric(String name, String sub, String depth, String color, DepthEncoding enc,
      ByteOrder order, float max) throws IOException {
    Path d = dataDir.resolve(sub);
    String id = sub;
    return new DepthDataset(name, d, enc, "m", max, List.of(sample(id, d.resolve(depth), d.resolve(color), 1, enc,
        order)));
  }

  private static DepthSample sample(String id, Path depth, Path color, int scale, DepthEncoding enc,
      ByteOrder order) throws IOException {
    DepthMap map = enc.decode(DepthImageIO.read(depth, order));
    return new DepthSample(id, map, depth, Files.exists(color) ? Optional.of(color) : Optional.empty(), scale);
  }
}
