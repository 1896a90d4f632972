package io.depthstream.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.connect.source.focal.FocalStackSourceConnector;
import io.depthstream.connect.source.lidar.LidarSourceConnector;
import io.depthstream.connect.testing.SharedData;
import io.depthstream.connect.testing.TinyDrives;
import io.depthstream.depth.image.DepthImages;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.PixelFormat;
import io.depthstream.proto.v1.SensorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drive tasks without a worker: records, offsets, resume, bad files and settings. */
class DriveSourcesTest {
  @TempDir
  Path dir;

  /** Runs a task over its whole drive and returns every record. */
  static List<SourceRecord> drain(DriveSourceTask task) throws InterruptedException {
    List<SourceRecord> out = new ArrayList<>();
    while (!task.finished()) {
      List<SourceRecord> batch = task.poll();
      if (batch != null) {
        out.addAll(batch);
      }
    }
    return out;
  }

  private Map<String, String> lidarProps(Path drive) throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("input.dir", drive.toString());
    p.put("sensor.id", "lidar-t");
    p.put("calib.file", Files.writeString(dir.resolve("calib.txt"), TinyDrives.CALIB).toString());
    p.put("image.width", "100");
    p.put("image.height", "40");
    p.put("frame.rate.hz", "0");
    return p;
  }

  @Test
  void lidarTaskEmitsKeyedTimestampedFramesWithOffsetsAndResumes() throws Exception {
    Path drive = Files.createDirectories(dir.resolve("v"));
    for (int i = 0; i < 3; i++) {
      TinyDrives.kittiScan(drive, i);
    }
    DriveSourceTask task = DriveConnectors.LIDAR.newTask();
    task.start(lidarProps(drive));
    List<SourceRecord> records = drain(task);
    assertThat(records).hasSize(3);
    SourceRecord last = records.get(2);
    assertThat(last.key()).isEqualTo("lidar-t");
    assertThat(last.topic()).isEqualTo("depth.raw.lidar");
    assertThat(Map.copyOf(last.sourceOffset())).isEqualTo(Map.of("item", "000002.bin", "index", 2L, "sequence", 2L));
    DepthFrame f = DepthFrame.parseFrom((byte[]) last.value());
    assertThat(f.getId().getKind()).isEqualTo(SensorKind.SENSOR_KIND_LIDAR);
    assertThat(last.timestamp()).isEqualTo(f.getId().getCaptureTimeNs() / 1_000_000L);
    // Projected into KITTI's rectified camera: no lens distortion, said the ROS way.
    assertThat(f.getIntrinsics().getDistortionModel()).isEqualTo("plumb_bob");
    assertThat(f.getIntrinsics().getDistortionList()).containsExactly(0.0, 0.0, 0.0, 0.0, 0.0);

    // A new task whose offset store holds scan 1 goes on with scan 2, sequence 2.
    DriveSourceTask again = DriveConnectors.LIDAR.newTask();
    again.initialize(context(Map.of("item", "000001.bin", "index", 1L, "sequence", 1L)));
    again.start(lidarProps(drive));
    List<SourceRecord> rest = drain(again);
    assertThat(rest).extracting(r -> (Object) r.sourceOffset().get("item")).containsExactly("000002.bin");
    assertThat(DepthFrame.parseFrom((byte[]) rest.get(0).value()).getId().getSequence()).isEqualTo(2L);
  }

  @Test
  void badFileIsReportedOnTheDlqOrFailsTheTaskWithErrorsToleranceNone() throws Exception {
    Path drive = Files.createDirectories(dir.resolve("v"));
    TinyDrives.kittiScan(drive, 0);
    TinyDrives.truncatedScan(drive, 1);
    TinyDrives.kittiScan(drive, 2);
    DriveSourceTask task = DriveConnectors.LIDAR.newTask();
    task.start(lidarProps(drive));
    List<SourceRecord> records = drain(task);
    assertThat(records).extracting(SourceRecord::topic)
        .containsExactly("depth.raw.lidar", "depth.dlq", "depth.raw.lidar");
    SourceRecord report = records.get(1);
    assertThat(report.value()).isNull();
    assertThat(report.headers().lastWithName(Wire.ERROR_REASON_HEADER).value()).isEqualTo("TRUNCATED_FILE");
    assertThat((String) report.headers().lastWithName(Wire.ERROR_MESSAGE_HEADER).value()).contains("000001.bin");
    assertThat(task.badFiles()).isEqualTo(1);

    Map<String, String> strict = lidarProps(drive);
    strict.put("errors.tolerance", "none");
    DriveSourceTask failing = DriveConnectors.LIDAR.newTask();
    failing.start(strict);
    assertThatThrownBy(() -> drain(failing)).isInstanceOf(ConnectException.class)
        .hasMessageContaining("000001.bin").hasMessageContaining("truncated");
  }

  @Test
  void mismatchedCalibrationIsReported() throws Exception {
    Path drive = Files.createDirectories(dir.resolve("v"));
    // Twelve points far to the left of a 100x40 camera: none lands in the image.
    float[] pts = new float[36];
    for (int i = 0; i < 12; i++) {
      pts[3 * i] = 5f;
      pts[3 * i + 1] = 50f + i;
    }
    Files.write(drive.resolve("000000.bin"), io.depthstream.connect.formats.KittiVelodyne.encode(pts, 12));
    DriveSourceTask task = DriveConnectors.LIDAR.newTask();
    task.start(lidarProps(drive));
    SourceRecord r = drain(task).get(0);
    assertThat(r.headers().lastWithName(Wire.ERROR_REASON_HEADER).value()).isEqualTo("CALIBRATION_MISMATCH");
    assertThat((String) r.headers().lastWithName(Wire.ERROR_MESSAGE_HEADER).value()).contains("000000.bin")
        .contains("calibration does not match");
  }

  @Test
  void badSettingsNameTheirKey() throws Exception {
    Path drive = Files.createDirectories(dir.resolve("v"));
    Map<String, String> p = lidarProps(drive);
    p.put("frame.rate.hz", "-3");
    p.put("image.width", "0");
    p.put("topic", "");
    Config validated = new LidarSourceConnector().validate(p);
    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigValue v : validated.configValues()) {
      errors.put(v.name(), v.errorMessages());
    }
    assertThat(errors.get("frame.rate.hz")).anySatisfy(m -> assertThat(m).contains("frame.rate.hz"));
    assertThat(errors.get("image.width")).anySatisfy(m -> assertThat(m).contains("image.width"));
    assertThat(errors.get("topic")).isNotEmpty();
    assertThat(errors.get("sensor.id")).isEmpty();

    Map<String, String> noCalib = lidarProps(drive);
    noCalib.remove("calib.file");
    assertThatThrownBy(() -> new LidarSourceConnector().start(noCalib)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("calib.file");
    Map<String, String> noDir = lidarProps(dir.resolve("missing"));
    assertThatThrownBy(() -> new LidarSourceConnector().start(noDir)).hasMessageContaining("input.dir");
    Map<String, String> badK = lidarProps(drive);
    badK.put("lidar.format", "pcd");
    badK.put("camera.intrinsics", "500 500 320");
    assertThatThrownBy(() -> new LidarSourceConnector().start(badK)).hasMessageContaining("camera.intrinsics")
        .hasMessageContaining("exactly 4 numbers");
  }

  @Test
  void tumSequenceUsesItsTimestampsAndPublishesAssociatedRgb() throws Exception {
    Path seq = Files.createDirectories(dir.resolve("tum"));
    Files.createDirectories(seq.resolve("depth"));
    Files.createDirectories(seq.resolve("rgb"));
    DepthImageIO.writePng(seq.resolve("depth/1.png"), new RawImage(2, 1, new int[] {5000, 0}, 65535));
    DepthImageIO.writePng(seq.resolve("depth/2.png"), new RawImage(2, 1, new int[] {10000, 2500}, 65535));
    Files.write(seq.resolve("rgb/a.png"), new byte[] {1, 2, 3});
    Files.writeString(seq.resolve("depth.txt"), "# tum\n100.000000 depth/1.png\n100.033333 depth/2.png\n");
    Files.writeString(seq.resolve("rgb.txt"), "100.010000 rgb/a.png\n");
    Map<String, String> p = new HashMap<>();
    p.put("input.dir", seq.toString());
    p.put("sensor.id", "kinect");
    p.put("rgbd.format", "tum");
    p.put("image.width", "2");
    p.put("image.height", "1");
    p.put("camera.intrinsics", "525 525 0.5 0");
    p.put("capture.time", "file");
    p.put("rgb.topic", "rgb.raw");
    p.put("frame.rate.hz", "0");
    DriveSourceTask task = DriveConnectors.RGBD.newTask();
    task.start(p);
    List<SourceRecord> records = drain(task);
    assertThat(records).extracting(SourceRecord::topic).containsExactly("rgb.raw", "depth.raw.rgbd",
        "depth.raw.rgbd");
    assertThat(records.get(0).sourceOffset()).isNull(); // only the capture's last record carries its offset
    DepthFrame f = DepthFrame.parseFrom((byte[]) records.get(2).value());
    assertThat(f.getId().getCaptureTimeNs()).isEqualTo(100_033_333_000L);
    assertThat(records.get(2).timestamp()).isEqualTo(100_033L);
    byte[] mm = f.getDenseMm().getData().toByteArray();
    assertThat((mm[0] & 0xff) | (mm[1] & 0xff) << 8).isEqualTo(2000); // 10000 / 5000 m
    assertThat((mm[2] & 0xff) | (mm[3] & 0xff) << 8).isEqualTo(500);
  }

  @Test
  void vslamMapsHonourTheMaskAndInverseDepth() throws Exception {
    Path drive = Files.createDirectories(dir.resolve("kf"));
    // Inverse depth as PFM: 0.5 1/m -> 2 m; the mask drops the second pixel.
    Files.write(drive.resolve("kf_0.pfm"), DepthImages.encodePfm(new float[] {0.5f, 0.25f, Float.NaN}, 3, 1));
    DepthImageIO.writePng(drive.resolve("kf_0_mask.png"), new RawImage(3, 1, new int[] {255, 0, 0}, 255));
    // Marked valid but negative: a bad keyframe, reported.
    Files.write(drive.resolve("kf_1.pfm"), DepthImages.encodePfm(new float[] {-1f, 1f, 1f}, 3, 1));
    Map<String, String> p = new HashMap<>();
    p.put("input.dir", drive.toString());
    p.put("sensor.id", "slam");
    p.put("vslam.format", "pfm");
    p.put("vslam.value", "inverse-depth");
    p.put("image.width", "3");
    p.put("image.height", "1");
    p.put("camera.intrinsics", "2 2 1 0");
    p.put("frame.rate.hz", "0");
    DriveSourceTask task = DriveConnectors.VSLAM.newTask();
    task.start(p);
    List<SourceRecord> records = drain(task);
    DepthFrame f = DepthFrame.parseFrom((byte[]) records.get(0).value());
    assertThat(f.getSparse().getIndexList()).containsExactly(0);
    assertThat(f.getSparse().getDepthMList()).containsExactly(2f);
    assertThat(records.get(1).topic()).isEqualTo("depth.dlq");
    assertThat((String) records.get(1).headers().lastWithName(Wire.ERROR_MESSAGE_HEADER).value())
        .contains("kf_1.pfm").contains("pixel (0, 0)");
  }

  @Test
  void focalStacksAreChunkedUnderTheLimitAndMissingFocusIsReported() throws Exception {
    Path drive = Files.createDirectories(dir.resolve("stacks"));
    Path a = Files.createDirectories(drive.resolve("stack_000"));
    for (int i = 0; i < 3; i++) {
      int[] px = new int[64 * 64];
      java.util.SplittableRandom rng = new java.util.SplittableRandom(i);
      for (int k = 0; k < px.length; k++) {
        px[k] = rng.nextInt(256); // noise: PNG cannot shrink it, so each image is ~4 KB
      }
      DepthImageIO.writePng(a.resolve("f" + i + ".png"), new RawImage(64, 64, px, 255));
    }
    Files.writeString(a.resolve("focus.txt"), "timestamp 50.0\nf0.png 0.5\nf1.png 1.0\nf2.png 2.0\n");
    Path b = Files.createDirectories(drive.resolve("stack_001"));
    Files.copy(a.resolve("f0.png"), b.resolve("f0.png"));
    Files.copy(a.resolve("f1.png"), b.resolve("f1.png"));
    Files.writeString(b.resolve("focus.txt"), "f0.png 0.5\n"); // f1.png has no focus distance
    Map<String, String> p = new HashMap<>();
    p.put("input.dir", drive.toString());
    p.put("sensor.id", "fs");
    p.put("image.width", "64");
    p.put("image.height", "64");
    p.put("camera.intrinsics", "60 60 32 32");
    p.put("max.message.bytes", "9000");
    p.put("frame.rate.hz", "0");
    new FocalStackSourceConnector().start(p);
    DriveSourceTask task = DriveConnectors.FOCAL.newTask();
    task.start(p);
    List<SourceRecord> records = drain(task);
    List<FocalStack> chunks = new ArrayList<>();
    for (SourceRecord r : records.subList(0, records.size() - 1)) {
      assertThat(((byte[]) r.value()).length).isLessThanOrEqualTo(9000);
      chunks.add(FocalStack.parseFrom((byte[]) r.value()));
    }
    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(chunks).allSatisfy(c -> assertThat(c.getChunkCount()).isEqualTo(chunks.size()));
    assertThat(chunks).extracting(FocalStack::getChunkIndex).containsExactly(
        java.util.stream.IntStream.range(0, chunks.size()).boxed().toArray(Integer[]::new));
    assertThat(chunks.stream().flatMap(c -> c.getSlicesList().stream()).map(s -> s.getFocusDistanceM()).toList())
        .containsExactly(0.5f, 1.0f, 2.0f);
    assertThat(chunks.get(0).getSlices(0).getFormat()).isEqualTo(PixelFormat.PIXEL_FORMAT_PNG);
    SourceRecord bad = records.get(records.size() - 1);
    assertThat(bad.topic()).isEqualTo("depth.dlq");
    assertThat(bad.headers().lastWithName(Wire.ERROR_REASON_HEADER).value()).isEqualTo("MISSING_FOCUS_DISTANCE");
    assertThat((String) bad.headers().lastWithName(Wire.ERROR_MESSAGE_HEADER).value()).contains("f1.png");
  }

  @Test
  void realDefocusPairIsOneFocalStack() throws Exception {
    Path near = SharedData.require("dfd_breakfast_watanabe_nayar/breakfast_near.png");
    Path far = SharedData.require("dfd_breakfast_watanabe_nayar/breakfast_far.png");
    Path stack = Files.createDirectories(dir.resolve("stacks/breakfast"));
    Files.copy(near, stack.resolve("near.png"));
    Files.copy(far, stack.resolve("far.png"));
    // readme.txt of the sample: near focus 529 mm, far focus 869 mm.
    Files.writeString(stack.resolve("focus.txt"), "near.png 0.529\nfar.png 0.869\n", StandardCharsets.UTF_8);
    Map<String, String> p = new HashMap<>();
    p.put("input.dir", dir.resolve("stacks").toString());
    p.put("sensor.id", "dfd");
    p.put("camera.intrinsics", "3000 3000 319.5 239.5");
    p.put("frame.rate.hz", "0");
    DriveSourceTask task = DriveConnectors.FOCAL.newTask();
    task.start(p);
    List<SourceRecord> records = drain(task);
    assertThat(records).hasSize(1); // 2 x ~250 KB fits the default 1 MB limit
    FocalStack s = FocalStack.parseFrom((byte[]) records.get(0).value());
    assertThat(s.getWidth()).isEqualTo(640);
    assertThat(s.getSlicesList()).extracting(x -> x.getFocusDistanceM()).containsExactly(0.529f, 0.869f);
    assertThat(s.getSlices(1).getPixels().toByteArray()).isEqualTo(Files.readAllBytes(far));
  }

  /**
   * Connect finds a stored offset by the serialized bytes of the source partition, so the order of its keys matters:
   * the task always writes {sensor, input.dir} in that order (Map.of's order changes from JVM to JVM), and still
   * finds an offset stored under the reverse order.
   */
  @Test
  void theSourcePartitionHasOneKeyOrderAndOffsetsUnderEitherOrderAreFound() throws Exception {
    Path drive = Files.createDirectories(dir.resolve("v"));
    for (int i = 0; i < 3; i++) {
      TinyDrives.kittiScan(drive, i);
    }
    DriveSourceTask task = DriveConnectors.LIDAR.newTask();
    task.start(lidarProps(drive));
    List<SourceRecord> records = drain(task);
    assertThat(records)
        .allSatisfy(r -> assertThat(r.sourcePartition().keySet()).containsExactly("sensor", "input.dir"));
    for (List<String> storedOrder : List.of(List.of("sensor", "input.dir"), List.of("input.dir", "sensor"))) {
      DriveSourceTask again = DriveConnectors.LIDAR.newTask();
      again.initialize(context(Map.of("item", "000001.bin", "index", 1L, "sequence", 1L), storedOrder));
      again.start(lidarProps(drive));
      assertThat(drain(again)).as("stored as %s", storedOrder)
          .extracting(r -> (Object) r.sourceOffset().get("item")).containsExactly("000002.bin");
    }
  }

  private static SourceTaskContext context(Map<String, Object> offset) {
    return context(offset, null);
  }

  /** A context whose offset store holds {@code offset}, found only under {@code keyOrder} when that is not null. */
  private static SourceTaskContext context(Map<String, Object> offset, List<String> keyOrder) {
    OffsetStorageReader reader = new OffsetStorageReader() {
      @Override
      public <T> Map<String, Object> offset(Map<String, T> partition) {
        return keyOrder == null || List.copyOf(partition.keySet()).equals(keyOrder) ? offset : null;
      }

      @Override
      public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
        throw new UnsupportedOperationException();
      }
    };
    return new SourceTaskContext() {
      @Override
      public Map<String, String> configs() {
        return Map.of();
      }

      @Override
      public OffsetStorageReader offsetStorageReader() {
        return reader;
      }

      @Override
      public PluginMetrics pluginMetrics() {
        return null;
      }
    };
  }
}
