package io.depthstream.connect.formats;

import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.image.Png;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A focal stack on disk: one directory per stack holding PNG images (8-bit grey or RGB, one size) and a sidecar
 * {@code focus.txt} with one line per image, {@code <image file> <focus distance in metres>}, in capture order.
 * An optional {@code timestamp <seconds>} line gives the capture time. Every PNG in the directory must be listed
 * and every listed focus distance must be finite and positive: an image without one is useless to a
 * depth-from-focus network and is reported, not guessed.
 */
public final class FocalStackDirectory {
  /** The sidecar's file name. */
  public static final String SIDECAR = "focus.txt";

  /** One image: its file, encoded bytes, focus distance (metres) and header. */
  public record Slice(Path file, byte[] png, float focusDistanceM, Png.Header header) {}

  /** A read stack: slices in capture order, capture time (ns since epoch, or Long.MIN_VALUE when absent). */
  public record Stack(List<Slice> slices, long timeNs) {}

  private FocalStackDirectory() {}

  /**
   * Reads and checks a stack directory.
   *
   * @throws BadFileException naming the sidecar or image at fault: no sidecar, an image without focus distance, a
   *     non-positive distance, a missing or unreadable image, mixed sizes, or a non-8-bit image
   */
  public static Stack read(Path dir) {
    Path sidecar = dir.resolve(SIDECAR);
    if (!Files.isRegularFile(sidecar)) {
      throw new BadFileException(sidecar, DeadLetterReason.MISSING_FOCUS_DISTANCE, "focal stack has no " + SIDECAR
          + " sidecar with the focus distance of each image");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(sidecar, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new BadFileException(sidecar, DeadLetterReason.CORRUPT_FILE, "not UTF-8 text: " + e, e);
    } catch (IOException e) {
      throw new BadFileException(sidecar, DeadLetterReason.UNREADABLE_FILE, "cannot read: " + e, e);
    }
    List<Slice> slices = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    long time = Long.MIN_VALUE;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] t = line.split("\\s+");
      if (t[0].equals("timestamp")) {
        time = TimestampedList.secondsToNanos(t.length > 1 ? t[1] : "", sidecar, i + 1);
        continue;
      }
      Path image = image(dir, t[0], sidecar, i + 1);
      if (t.length < 2) {
        throw new BadFileException(image, DeadLetterReason.MISSING_FOCUS_DISTANCE,
            "no focus distance on line " + (i + 1)
                + " of " + sidecar);
      }
      float focus;
      try {
        focus = Float.parseFloat(t[1]);
      } catch (NumberFormatException e) {
        throw new BadFileException(image, DeadLetterReason.MISSING_FOCUS_DISTANCE, "focus distance '" + t[1] + "' in "
            + sidecar + " is not a number");
      }
      if (!(focus > 0f) || Float.isInfinite(focus)) {
        throw new BadFileException(image, DeadLetterReason.MISSING_FOCUS_DISTANCE, "focus distance " + t[1] + " m in "
            + sidecar + " must be finite and > 0");
      }
      byte[] png;
      try {
        png = Files.readAllBytes(image);
      } catch (IOException e) {
        throw new BadFileException(image, DeadLetterReason.UNREADABLE_FILE,
            "listed in " + sidecar + " but unreadable: " + e,
            e);
      }
      Png.Header h;
      try {
        h = Png.verify(png, image); // the PNG is passed on, not decoded here: check it whole
      } catch (ImageFileException e) {
        throw BadFileException.of(e);
      }
      if (h.bitDepth() != 8 || (h.colorType() != 0 && h.colorType() != 2)) {
        throw new BadFileException(image, DeadLetterReason.WRONG_BIT_DEPTH,
            "focal-stack images must be 8-bit grey or RGB,"
                + " found " + h.describe());
      }
      if (!slices.isEmpty()) {
        Png.Header first = slices.get(0).header();
        if (first.width() != h.width() || first.height() != h.height()) {
          throw new BadFileException(image, DeadLetterReason.WRONG_IMAGE_SIZE,
              "image is " + h.width() + "x" + h.height()
                  + ", the stack's first image is " + first.width() + "x" + first.height());
        }
      }
      listed.add(image.getFileName().toString());
      slices.add(new Slice(image, png, focus, h));
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".png") && !listed.contains(name)) {
          throw new BadFileException(p, DeadLetterReason.MISSING_FOCUS_DISTANCE,
              "image has no focus distance in " + sidecar);
        }
      }
    } catch (IOException e) {
      throw new BadFileException(dir, DeadLetterReason.UNREADABLE_FILE, "cannot list the stack directory: " + e, e);
    }
    if (slices.isEmpty()) {
      throw new BadFileException(sidecar, DeadLetterReason.MISSING_FOCUS_DISTANCE, "lists no images");
    }
    return new Stack(slices, time);
  }

  /**
   * The image a sidecar line names. It must lie inside the stack's directory: a name such as {@code ../x.png} or
   * {@code /dev/zero} would read a file that is not part of the stack (the latter without end).
   */
  private static Path image(Path dir, String name, Path sidecar, int lineNo) {
    Path image;
    try {
      image = dir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new BadFileException(sidecar, DeadLetterReason.CORRUPT_FILE,
          "line " + lineNo + " names no valid file: " + e, e);
    }
    Path base = dir.normalize();
    if (!image.startsWith(base) || image.equals(base)) {
      throw new BadFileException(sidecar, DeadLetterReason.CORRUPT_FILE, "line " + lineNo + " names '" + name
          + "', which is not a file inside the stack directory");
    }
    return image;
  }
}
