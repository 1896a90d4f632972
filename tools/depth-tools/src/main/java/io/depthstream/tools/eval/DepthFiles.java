package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.DepthImages;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.NpyArray;
import io.depthstream.depth.io.RawImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the user's own depth files, whatever their format, into {@link DepthMap}s in metres (0 = no measurement).
 * The format is recognised by the file's first bytes, never by its name:
 *
 * <ul>
 *   <li>PNG (8- or 16-bit grey), PGM (P5, 8- or 16-bit, big-endian as the Netpbm spec says) and BMP (8-bit grey):
 *       integer samples, {@code metres = value * scale}, 0 = none; default scale {@code mm}.
 *   <li>NPY ({@link NpyArray}): {@code <u2} like the integer images; {@code <f4}/{@code <f8} float, default scale
 *       {@code m}.
 *   <li>PFM (grey {@code Pf}): float32, default scale {@code m}.
 * </ul>
 *
 * For float files, 0, NaN and infinities mean "no measurement" (tools write any of them); a negative value is an
 * error naming the file and the pixel.
 */
public final class DepthFiles {
  /** The formats read, for help. */
  public static final String FORMATS = "16/8-bit grey PNG, PGM (P5), 8-bit grey BMP, NPY (<f4, <f8, <u2), PFM (Pf)";

  private DepthFiles() {}

  /**
   * Reads one depth file.
   *
   * @param scale metres per stored unit; null for the format's default ({@code mm} for integer files, {@code m} for
   *     float files)
   * @throws IOException if it cannot be read (a missing file, no permission)
   * @throws IllegalArgumentException if its content is not a depth image of a known format or holds a negative
   *     depth (the user's mistake, reported as one line)
   */
  public static DepthMap read(Path file, ValueScale scale) throws IOException {
    try {
      return readContent(file, scale);
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static DepthMap readContent(Path file, ValueScale scale) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    byte[] head = new byte[6];
    try (var in = Files.newInputStream(file)) {
      in.readNBytes(head, 0, head.length);
    }
    if (NpyArray.isNpy(head)) {
      NpyArray a = NpyArray.read(file);
      ValueScale s = scale != null ? scale : a.isInteger() ? ValueScale.MILLIMETRES : ValueScale.METRES;
      return toMetres(a.values(), a.width(), a.height(), s, file);
    }
    if (head[0] == 'P' && (head[1] == 'f' || head[1] == 'F')) {
      return readPfm(file, scale != null ? scale : ValueScale.METRES);
    }
    RawImage raw = DepthImageIO.read(file, ByteOrder.BIG_ENDIAN);
    ValueScale s = scale != null ? scale : ValueScale.MILLIMETRES;
    DepthMap out = DepthMap.allocate(raw.width(), raw.height());
    float[] d = out.data();
    int[] v = raw.samples();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (v[i] * s.metresPerUnit());
    }
    return out;
  }

  private static DepthMap readPfm(Path file, ValueScale scale) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String[] header = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.US_ASCII).trim()
        .split("\\s+", 4);
    int w;
    int h;
    try {
      w = Integer.parseInt(header[1]);
      h = Integer.parseInt(header[2]);
    } catch (RuntimeException e) {
      throw new IOException(file + ": malformed PFM header", e);
    }
    float[] values = new float[Math.multiplyExact(w, h)];
    try {
      DepthImages.decodePfm(bytes, file, values, w, h);
    } catch (ImageFileException e) {
      throw new IOException(e.getMessage(), e);
    }
    return toMetres(values, w, h, scale, file);
  }

  private static DepthMap toMetres(float[] values, int w, int h, ValueScale scale, Path file) throws IOException {
    DepthMap out = DepthMap.allocate(w, h);
    float[] d = out.data();
    for (int i = 0; i < d.length; i++) {
      float v = values[i];
      if (v < 0f && v != Float.NEGATIVE_INFINITY) {
        throw new IOException(file + ": negative depth " + v + " at pixel (" + (i % w) + ", " + (i / w) + ")");
      }
      d[i] = Float.isFinite(v) ? (float) (v * scale.metresPerUnit()) : 0f;
    }
    return out;
  }

  /** An input file and its ground-truth file. */
  public record FilePair(Path input, Path truth) {}

  /** {@code path} itself, or the regular files in the directory {@code path}, in name order. */
  public static List<Path> list(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      if (!Files.exists(path)) {
        throw new NoSuchFileException(path.toString());
      }
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
      if (files.isEmpty()) {
        throw new NoSuchFileException(path.toString(), null, "no file in the directory");
      }
      return files;
    }
  }

  /** The file's name without its last extension: the key that pairs an input file with its ground truth. */
  public static String stem(Path file) {
    return file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
  }

  /**
   * Pairs the files of {@code inputs} and {@code truths} (each a file or a directory) by {@link #stem}; two single
   * files pair whatever their names.
   *
   * @throws IllegalArgumentException naming the first input without a ground truth of the same stem
   */
  public static List<FilePair> pair(Path inputs, Path truths) throws IOException {
    List<Path> in = list(inputs);
    List<Path> gt = list(truths);
    if (!Files.isDirectory(inputs) && !Files.isDirectory(truths)) {
      return List.of(new FilePair(in.get(0), gt.get(0)));
    }
    Map<String, Path> byStem = new LinkedHashMap<>();
    for (Path g : gt) {
      byStem.put(stem(g), g);
    }
    List<FilePair> pairs = new ArrayList<>();
    for (Path i : in) {
      Path g = byStem.get(stem(i));
      if (g == null) {
        throw new IllegalArgumentException("no ground truth for input " + i + " in " + truths + " (files pair by "
            + "name without extension)");
      }
      pairs.add(new FilePair(i, g));
    }
    return pairs;
  }
}
