package io.depthstream.connect.source.vslam;

import io.depthstream.connect.formats.BadFileException;
import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.connect.formats.KeyframePoints;
import io.depthstream.connect.frames.DepthFrames;
import io.depthstream.connect.source.DriveItem;
import io.depthstream.connect.source.DriveReader;
import io.depthstream.connect.source.Drives;
import io.depthstream.connect.source.Emission;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.DepthImages;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.image.Png;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Semi-dense vSLAM depth as sparse frames (kind VSLAM): keyframe depth or inverse-depth maps (16-bit PNG or
 * float32 PFM) with an optional validity mask, or keyframe point lists ({@link KeyframePoints}) whose camera pose
 * travels in the record header {@value #POSE_HEADER} ({@code tx ty tz qx qy qz qw}, camera to world): the
 * DepthFrame schema keeps pose for a later field.
 */
public final class VslamDriveReader implements DriveReader {
  /** Record header with a keyframe's camera-to-world pose. */
  public static final String POSE_HEADER = "depthstream.pose";

  private final String topic;
  private final String format;
  private final boolean inverse;
  private final double units;
  private final String maskSuffix;
  private final double maxVariance;
  private final CameraIntrinsics intrinsics;
  private final double[] k;
  private final DepthMap depth;
  private final int[] scratch;
  private final float[] values;
  private final boolean[] valid;
  private final List<DriveItem> items;

  public VslamDriveReader(VslamConfig c) {
    this.topic = c.topic();
    this.format = c.getString(VslamConfig.FORMAT);
    this.inverse = VslamConfig.INVERSE_DEPTH.equals(c.getString(VslamConfig.VALUE));
    this.units = c.getDouble(VslamConfig.UNITS);
    this.maskSuffix = c.getString(VslamConfig.MASK_SUFFIX);
    this.maxVariance = c.getDouble(VslamConfig.MAX_VARIANCE);
    this.k = c.intrinsics("for vSLAM frames");
    this.intrinsics = DepthFrames.intrinsics(k[0], k[1], k[2], k[3], c.width(), c.height());
    this.depth = DepthMap.allocate(c.width(), c.height());
    int n = c.width() * c.height();
    this.scratch = new int[n];
    this.values = new float[n];
    this.valid = new boolean[n];
    Path dir = c.inputDir();
    String lowerMask = maskSuffix.toLowerCase(Locale.ROOT);
    List<DriveItem> list = switch (format) {
      case VslamConfig.PFM -> Drives.files(dir, ".pfm", name -> true);
      case VslamConfig.KEYFRAMES -> Drives.files(dir, ".txt", name -> !name.equals(Drives.TIMESTAMPS_FILE));
      default -> Drives.files(dir, ".png",
          name -> lowerMask.isEmpty() || !name.toLowerCase(Locale.ROOT).endsWith(lowerMask));
    };
    if (format.equals(VslamConfig.KEYFRAMES) && !Files.exists(dir.resolve(Drives.TIMESTAMPS_FILE))) {
      list = withKeyframeTimes(list);
    }
    this.items = list;
  }

  /** Keyframe files carry their own {@code timestamp} line: read it so capture.time=file works. */
  private static List<DriveItem> withKeyframeTimes(List<DriveItem> list) {
    List<DriveItem> out = new ArrayList<>(list.size());
    for (DriveItem item : list) {
      long t = DriveItem.NO_TIME;
      try (BufferedReader r = Files.newBufferedReader(item.path(), StandardCharsets.UTF_8)) {
        for (int i = 0; i < 8; i++) {
          String line = r.readLine();
          if (line == null) {
            break;
          }
          String[] f = line.trim().split("\\s+");
          if (f.length == 2 && f[0].equals("timestamp")) {
            t = new java.math.BigDecimal(f[1]).movePointRight(9).longValue();
            break;
          }
        }
      } catch (IOException | NumberFormatException e) {
        t = DriveItem.NO_TIME; // the file is reported as bad when it is read
      }
      out.add(new DriveItem(item.name(), item.path(), t));
    }
    return List.copyOf(out);
  }

  @Override
  public List<DriveItem> items() {
    return items;
  }

  @Override
  public List<Emission> read(DriveItem item, FrameId id) {
    Path file = item.path();
    byte[] bytes = Drives.readBytes(file);
    if (format.equals(VslamConfig.KEYFRAMES)) {
      KeyframePoints kf = KeyframePoints.parse(bytes, file, maxVariance, depth);
      CameraIntrinsics ki = kf.camera() == null ? intrinsics
          : DepthFrames.intrinsics(kf.camera()[0], kf.camera()[1], kf.camera()[2], kf.camera()[3], depth.width(),
              depth.height());
      byte[] value = DepthFrames.sparse(id, ki, depth).toByteArray();
      if (kf.pose() == null) {
        return List.of(new Emission(topic, value));
      }
      StringBuilder pose = new StringBuilder();
      for (double v : kf.pose()) {
        pose.append(pose.length() == 0 ? "" : " ").append(v);
      }
      return List.of(new Emission(topic, value, Map.of(POSE_HEADER, pose.toString())));
    }
    int n = depth.size();
    Path mask = maskFile(file);
    boolean hasMask = mask != null && Files.isRegularFile(mask);
    try {
      if (format.equals(VslamConfig.PFM)) {
        DepthImages.decodePfm(bytes, file, values, depth.width(), depth.height());
      } else {
        Png.Header h = Png.header(bytes, file);
        if (!h.isGrey(16)) { // the bit depth first: a PNG of another format is reported as that, whatever its size
          throw new BadFileException(file, DeadLetterReason.WRONG_BIT_DEPTH,
              "expected a 16-bit single-channel grey PNG, found " + h.describe());
        }
        DepthImages.decodeScaledPng(bytes, file, units, scratch, depth);
        System.arraycopy(depth.data(), 0, values, 0, n);
      }
      if (hasMask) {
        DepthImages.decodeMask(Drives.readBytes(mask), mask, scratch, valid, depth);
      }
    } catch (ImageFileException e) {
      throw BadFileException.of(e);
    }
    float[] d = depth.data();
    for (int i = 0; i < n; i++) {
      float v = values[i];
      boolean ok = hasMask ? valid[i] : (v != 0f && Float.isFinite(v));
      if (!ok) {
        d[i] = 0f;
        continue;
      }
      if (!(v > 0f) || Float.isInfinite(v)) {
        throw new BadFileException(file, DeadLetterReason.INVALID_DEPTH, (inverse ? "inverse depth " : "depth ") + v
            + " at pixel (" + (i % depth.width()) + ", " + (i / depth.width()) + ") is marked valid but is not > 0");
      }
      d[i] = inverse ? 1f / v : v;
    }
    return List.of(new Emission(topic, DepthFrames.sparse(id, intrinsics, depth).toByteArray()));
  }

  private Path maskFile(Path file) {
    if (maskSuffix.isEmpty()) {
      return null;
    }
    String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    return file.resolveSibling(stem + maskSuffix);
  }
}
