package io.depthstream.connect.source.rgbd;

import io.depthstream.connect.formats.DepthImages;
import io.depthstream.connect.formats.TimestampedList;
import io.depthstream.connect.frames.DepthFrames;
import io.depthstream.connect.source.DriveItem;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.Drives;
import io.depthstream.connect.source.Emission;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kinect-style RGB-D drives as dense uint16-millimetre frames with holes (0 = no measurement): a directory of
 * 16-bit depth PNGs, or a TUM RGB-D sequence ({@code depth.txt} with capture times; {@code rgb.txt} for the
 * optional colour image, associated by nearest timestamp as TUM's {@code associate.py} does).
 */
public final class RgbdDriveReader implements DriveReader {
  private final String topic;
  private final String rgbTopic;
  private final char[] millimetres;
  private final CameraIntrinsics intrinsics;
  private final int width;
  private final int height;
  private final int[] scratch;
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
    this.scratch = new int[c.width() * c.height()];
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
  public List<Emission> read(DriveItem item, FrameId id) {
    byte[] mm = new byte[2 * width * height];
    DepthImages.decodeToMillimetres(Drives.readBytes(item.path()), item.path(), millimetres, scratch, mm,
        width, height);
    Emission frame = new Emission(topic, DepthFrames.denseMillimetres(id, intrinsics, width,
        height, mm).toByteArray());
    Path rgb = rgbOf.get(item.name());
    if (rgb == null) {
      return List.of(frame);
    }
    // Colour first, so the depth frame (which carries the capture's offset) is the capture's last record.
    Emission colour = new Emission(rgbTopic, Drives.readBytes(rgb), Map.of("depthstream.sequence",
        Long.toString(id.getSequence()), "depthstream.file", rgb.getFileName().toString()));
    return List.of(colour, frame);
  }
}
