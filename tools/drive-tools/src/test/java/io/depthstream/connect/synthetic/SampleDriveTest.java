package io.depthstream.connect.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.connect.source.DriveConnectors;
import io.depthstream.connect.source.DriveSourceTask;
import io.depthstream.connect.source.vslam.VslamDriveReader;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.scene.PinholeCamera;
import io.depthstream.proto.v1.DepthFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample drive read back by the connectors' own source tasks (no broker): each sensor's frames are the
 * synthetic sensor's measurements, the LiDAR's through the inverse projection and back.
 */
class SampleDriveTest {
  private static final int FRAMES = 3;
  private static final long SEED = 7;

  @TempDir
  static Path drive;

  @BeforeAll
  static void writeTheDrive() throws IOException {
    SampleDrive.write(drive, FRAMES, SEED, null);
  }

  @Test
  void theLidarConnectorProjectsTheScansBackToTheRenderedSparseDepth() throws Exception {
    Map<String, String> props = props(SampleDrive.LIDAR_SCANS, SampleDrive.LIDAR_ID);
    props.put("calib.file", drive.resolve(SampleDrive.LIDAR_CALIB).toString());
    props.put("capture.time", "file");
    List<DepthFrame> frames = play(DriveConnectors.LIDAR, props);
    SyntheticSensor lidar = SyntheticSensor.lidar(SampleDrive.LIDAR_ID, SEED, SampleDrive.LIDAR_WIDTH,
        SampleDrive.LIDAR_HEIGHT);
    assertThat(frames).hasSize(FRAMES);
    for (int i = 0; i < FRAMES; i++) {
      DepthMap rendered = lidar.measure(i);
      DepthFrame frame = frames.get(i);
      assertThat(frame.getId().getCaptureTimeNs())
          .isEqualTo(SampleDrive.START_EPOCH_SECONDS * 1_000_000_000L + i * 100_000_000L);
      assertSameSparseDepth(frame, rendered, 2e-5);
      PinholeCamera c = lidar.camera();
      assertThat(frame.getIntrinsics().getFx()).isEqualTo(c.fx());
      assertThat(frame.getIntrinsics().getCx()).isEqualTo(c.cx());
    }
  }

  @Test
  void theRgbdConnectorReadsTheTumSequenceAsTheKinectsMillimetres() throws Exception {
    Map<String, String> props = props(SampleDrive.RGBD_SEQUENCE, SampleDrive.RGBD_ID);
    props.put("rgbd.format", "tum");
    props.put("camera.intrinsics", "525 525 319.5 239.5");
    props.put("capture.time", "file");
    List<DepthFrame> frames = play(DriveConnectors.RGBD, props);
    SyntheticSensor rgbd = SyntheticSensor.rgbd(SampleDrive.RGBD_ID, SEED + 1, SampleDrive.CAMERA_WIDTH,
        SampleDrive.CAMERA_HEIGHT);
    assertThat(frames).hasSize(FRAMES);
    for (int i = 0; i < FRAMES; i++) {
      float[] rendered = rgbd.measure(i).data();
      ByteBuffer mm = frames.get(i).getDenseMm().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      int holes = 0;
      for (int p = 0; p < rendered.length; p++) {
        int value = Short.toUnsignedInt(mm.getShort(2 * p));
        if (rendered[p] == 0f) {
          assertThat(value).as("hole at %d", p).isZero();
          holes++;
        } else {
          // The file keeps 1/5000 m, the wire whole millimetres.
          assertThat((double) value).as("pixel %d", p).isCloseTo(rendered[p] * 1000.0,
              org.assertj.core.data.Offset.offset(0.6));
        }
      }
      assertThat(holes).as("a Kinect has holes").isPositive();
    }
    assertThat(frames.get(1).getId().getCaptureTimeNs() - frames.get(0).getId().getCaptureTimeNs())
        .as("30 Hz, in TUM's microseconds").isEqualTo(33_333_000L);
  }

  @Test
  void theVslamConnectorReadsTheKeyframesAsTheSemiDenseDepthWithPoses() throws Exception {
    Map<String, String> props = props(SampleDrive.VSLAM_KEYFRAMES, SampleDrive.VSLAM_ID);
    props.put("vslam.format", "keyframes");
    props.put("camera.intrinsics", "1 1 1 1"); // every keyframe names its camera, which wins
    props.put("vslam.max.variance", "0.01");
    List<SourceRecord> records = new ArrayList<>();
    List<DepthFrame> frames = play(DriveConnectors.VSLAM, props, records);
    SyntheticSensor vslam = SyntheticSensor.vslam(SampleDrive.VSLAM_ID, SEED + 2, SampleDrive.CAMERA_WIDTH,
        SampleDrive.CAMERA_HEIGHT);
    assertThat(frames).hasSize(FRAMES);
    for (int i = 0; i < FRAMES; i++) {
      assertSameSparseDepth(frames.get(i), vslam.measure(i), 1e-6);
      assertThat(frames.get(i).getIntrinsics().getFx()).isEqualTo(vslam.camera().fx());
      String pose = String.valueOf(records.get(i).headers().lastWithName(VslamDriveReader.POSE_HEADER).value());
      double[] q = Stream.of(pose.split(" ")).skip(3).mapToDouble(Double::parseDouble).toArray();
      assertThat(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]).as("unit quaternion")
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void theSameSeedWritesTheSameBytesAndAnotherSeedAnotherDrive(@TempDir Path dir) throws IOException {
    Path again = dir.resolve("again");
    Path other = dir.resolve("other");
    SampleDrive.write(again, FRAMES, SEED, null);
    SampleDrive.write(other, 1, SEED + 100, null);
    List<Path> files = files(drive);
    assertThat(files).hasSize(3 * FRAMES + 3) // + calib.txt, timestamps.txt, depth.txt and nothing else
        .contains(Path.of(SampleDrive.LIDAR_CALIB), Path.of(SampleDrive.RGBD_SEQUENCE, "depth.txt"));
    assertThat(files(again)).isEqualTo(files);
    for (Path f : files) {
      assertThat(Files.readAllBytes(again.resolve(f))).as("%s", f).isEqualTo(Files.readAllBytes(drive.resolve(f)));
    }
    Path scan = Path.of(SampleDrive.LIDAR_SCANS, "000000.bin");
    assertThat(Files.readAllBytes(other.resolve(scan))).isNotEqualTo(Files.readAllBytes(drive.resolve(scan)));
  }

  @Test
  void theCommandWritesTheDriveItNames(@TempDir Path dir) {
    PrintStream originalErr = System.err;
    try {
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThat(SampleDriveCommand.commandLine().execute("--out", dir.resolve("d").toString(), "--frames", "1",
          "--seed", "3")).isZero();
    } finally {
      System.setErr(originalErr);
    }
    assertThat(dir.resolve("d").resolve(SampleDrive.LIDAR_SCANS).resolve("000000.bin")).isNotEmptyFile();
    assertThat(dir.resolve("d").resolve(SampleDrive.VSLAM_KEYFRAMES).resolve("000000.txt")).isNotEmptyFile();
  }

  /** The frame's samples are the measured pixels of {@code expected}, depths within {@code relative}. */
  static void assertSameSparseDepth(DepthFrame frame, DepthMap expected, double relative) {
    float[] d = expected.data();
    List<Integer> indices = new ArrayList<>();
    for (int p = 0; p < d.length; p++) {
      if (d[p] > 0f) {
        indices.add(p);
      }
    }
    assertThat(frame.getWidth()).isEqualTo(expected.width());
    assertThat(frame.getSparse().getIndexList()).as("the measured pixels").isEqualTo(indices);
    for (int k = 0; k < indices.size(); k++) {
      float want = d[indices.get(k)];
      assertThat(frame.getSparse().getDepthM(k)).as("pixel %d", indices.get(k))
          .isCloseTo(want, org.assertj.core.data.Offset.offset((float) (relative * want)));
    }
  }

  private static Map<String, String> props(String dir, String sensor) {
    Map<String, String> props = new HashMap<>();
    props.put("input.dir", drive.resolve(dir).toString());
    props.put("sensor.id", sensor);
    props.put("frame.rate.hz", "0");
    props.put("dlq.topic", "");
    props.put("decode.threads", "0");
    return props;
  }

  private static List<DepthFrame> play(DriveConnectors kind, Map<String, String> props) throws Exception {
    return play(kind, props, new ArrayList<>());
  }

  private static List<DepthFrame> play(DriveConnectors kind, Map<String, String> props, List<SourceRecord> records)
      throws Exception {
    DriveSourceTask task = kind.newTask();
    task.start(props);
    try {
      while (!task.finished()) {
        List<SourceRecord> batch = task.poll();
        if (batch != null) {
          records.addAll(batch);
        }
      }
      assertThat(task.badFiles()).as("bad files").isZero();
    } finally {
      task.stop();
    }
    List<DepthFrame> frames = new ArrayList<>();
    for (SourceRecord r : records) {
      frames.add(DepthFrame.parseFrom((byte[]) r.value()));
    }
    return frames;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
