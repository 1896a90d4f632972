package io.depthstream.connect.source.rgbd;

import io.depthstream.connect.formats.BadFileException;
import io.depthstream.connect.formats.TimestampedList;
import io.depthstream.connect.frames.DepthFrames;
import io.depthstream.connect.source.AheadReader;
import io.depthstream.connect.source.DriveItem;
import io.depthstream.connect.source.Drives;
import io.depthstream.connect.source.Emission;
import io.depthstream.depth.image.DepthImages;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.image.Png;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kinect-style RGB-D drives as dense uint16-millimetre frames with holes (0 = no measurement): a directory of
 * 16-bit depth PNGs, or a TUM RGB-D sequence ({@code depth.txt} with capture times; {@code rgb.txt} for the
 * optional colour image, associated by nearest timestamp as TUM's {@code associate.py} does).
 *
 * <p>Decoding (zlib inflate dominates: about 5 ms of a 640x480 frame on a loaded core) runs ahead on the task's
 * decode threads ({@link AheadReader}); PNG decoders and millimetre buffers are pooled here and reused, so a
 * steady drive allocates only the file bytes and each record's value.
 */
public final class RgbdDriveReader implements AheadReader<RgbdDriveReader.Decoded> {
  /** A decoded capture: wire millimetres in a pooled buffer, and the associated colour file's bytes if any. */
  public record Decoded(byte[] millimetresLe, byte[] rgb) {}

  private final String topic;
  private final String rgbTopic;
  private final char[] millimetres;
  private final CameraIntrinsics intrinsics;
  private final int width;
  private final int height;
  /** Idle decoders and buffers; at most one per decode thread and per capture in flight ever exists. */
  private final ConcurrentLinkedQueue<Png.Decoder> decoders = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();
  private final List<DriveItem> items;
  private final Map<String, Path> rgbOf = new HashMap<>();

  public RgbdDriveReader(RgbdConfig c) {
    this.topic = c.topic();
    this.rgbTopic = c.getString(RgbdConfig.RGB_TOPIC);
    this.millimetres = DepthImages.millimetreTable(c.unitsPerMetre());
    double[] k = c.intrinsics("for RGB-D frames");
    this.intrinsics = DepthFrames.intrinsics(k[0], k[1], k[2], k[3], c.width(), c.height());
    this.width = c.width();
    this.height = c.height();
    Path dir = c.inputDir();
    if (RgbdConfig.TUM.equals(c.getString(RgbdConfig.FORMAT))) {
      Path depthList = dir.resolve("depth.txt");
      if (!Files.isRegularFile(depthList)) {
        throw new ConfigException(RgbdConfig.INPUT_DIR, dir.toString(), "rgbd.format=tum needs depth.txt there");
      }
      List<TimestampedList.Entry> depthEntries = TimestampedList.read(depthList);
      Path rgbList = dir.resolve("rgb.txt");
      List<TimestampedList.Entry> rgb = !rgbTopic.isBlank() && Files.isRegularFile(rgbList)
          ? TimestampedList.read(rgbList).stream()
              .sorted(java.util.Comparator.comparingLong(TimestampedList.Entry::timeNs)).toList()
          : List.of();
      long maxDiff = c.getInt(RgbdConfig.MAX_RGB_DIFFERENCE_MS) * 1_000_000L;
      List<DriveItem> list = new ArrayList<>();
      for (TimestampedList.Entry e : depthEntries) {
        list.add(new DriveItem(e.file(), dir.resolve(e.file()), e.timeNs()));
        TimestampedList.Entry match = rgb.isEmpty() ? null : TimestampedList.nearest(rgb, e.timeNs(), maxDiff);
        if (match != null) {
          rgbOf.put(e.file(), dir.resolve(match.file()));
        }
      }
      this.items = List.copyOf(list);
    } else {
      this.items = Drives.files(dir, ".png", n -> true);
    }
  }

  @Override
  public List<DriveItem> items() {
    return items;
  }

  @Override
  public Decoded prepare(DriveItem item) {
    byte[] png = Drives.readBytes(item.path());
    Path rgbFile = rgbOf.get(item.name());
    byte[] rgb = rgbFile == null ? null : Drives.readBytes(rgbFile);
    Png.Decoder decoder = decoders.poll();
    if (decoder == null) {
      decoder = new Png.Decoder();
    }
    byte[] mm = buffers.poll();
    if (mm == null) {
      mm = new byte[2 * width * height];
    }
    try {
      DepthImages.decodeToMillimetres(png, item.path(), millimetres, decoder, mm, width, height);
    } catch (ImageFileException e) {
      buffers.offer(mm);
      throw BadFileException.of(e);
    } catch (RuntimeException e) {
      buffers.offer(mm);
      throw e;
    } finally {
      decoders.offer(decoder);
    }
    return new Decoded(mm, rgb);
  }

  @Override
  public List<Emission> finish(DriveItem item, FrameId id, Decoded d) {
    // toByteArray copies the wrapped millimetres into the record's value, so the buffer is free again after it.
    Emission frame = new Emission(topic, DepthFrames.denseMillimetres(id, intrinsics, width,
        height, d.millimetresLe()).toByteArray());
    buffers.offer(d.millimetresLe());
    Path rgb = rgbOf.get(item.name());
    if (d.rgb() == null) {
      return List.of(frame);
    }
    // Colour first, so the depth frame (which carries the capture's offset) is the capture's last record.
    Emission colour = new Emission(rgbTopic, d.rgb(), Map.of("depthstream.sequence",
        Long.toString(id.getSequence()), "depthstream.file", rgb.getFileName().toString()));
    return List.of(colour, frame);
  }
}
