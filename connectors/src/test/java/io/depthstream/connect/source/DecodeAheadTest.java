package io.depthstream.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.proto.kafka.Wire;
import io.depthstream.proto.v1.DepthFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RGB-D decode-ahead ({@code decode.threads}): records, sequence numbers, offsets and bad-file reports must be
 * exactly those of inline decoding, in drive order, however the decode threads finish.
 */
class DecodeAheadTest {
  private static final int FRAMES = 40;
  private static final int CORRUPT = 17;
  private static final int WRONG_SIZE = 25;

  @TempDir
  Path dir;

  /** Frame i is 8x4 pixels of (i + 1) * 1000 units (mm) = i + 1 m; two bad files in between; capture i at i.5 s. */
  private Path drive(int frames) throws Exception {
    Path d = Files.createDirectories(dir.resolve("rgbd" + frames));
    StringBuilder times = new StringBuilder();
    for (int i = 0; i < frames; i++) {
      Path f = d.resolve(String.format("%04d.png", i));
      if (i == CORRUPT) {
        Files.write(f, "not a png at all".getBytes(StandardCharsets.US_ASCII));
      } else if (i == WRONG_SIZE) {
        DepthImageIO.writePng(f, new RawImage(4, 4, new int[16], 65535));
      } else {
        int[] s = new int[32];
        Arrays.fill(s, (i + 1) * 1000);
        DepthImageIO.writePng(f, new RawImage(8, 4, s, 65535));
      }
      times.append(i).append(".5\n");
    }
    Files.writeString(d.resolve(Drives.TIMESTAMPS_FILE), times);
    return d;
  }

  private static Map<String, String> props(Path drive, int threads) {
    Map<String, String> p = new HashMap<>();
    p.put("input.dir", drive.toString());
    p.put("sensor.id", "kinect");
    p.put("image.width", "8");
    p.put("image.height", "4");
    p.put("camera.intrinsics", "5 5 3.5 1.5");
    p.put("depth.units.per.metre", "1000");
    p.put("capture.time", "file");
    p.put("frame.rate.hz", "0");
    p.put("poll.max.frames", "7");
    p.put("decode.threads", Integer.toString(threads));
    return p;
  }

  private static List<SourceRecord> run(Map<String, String> props) throws Exception {
    DriveSourceTask task = DriveConnectors.RGBD.newTask();
    task.start(props);
    try {
      return DriveSourcesTest.drain(task);
    } finally {
      task.stop();
    }
  }

  private static int firstPixelMm(SourceRecord r) throws Exception {
    byte[] mm = DepthFrame.parseFrom((byte[]) r.value()).getDenseMm().getData().toByteArray();
    return (mm[0] & 0xff) | (mm[1] & 0xff) << 8;
  }

  @Test
  void decodeAheadGivesTheSameRecordsInDriveOrderAsInlineDecoding() throws Exception {
    Path drive = drive(FRAMES);
    List<SourceRecord> inline = run(props(drive, 0));
    List<SourceRecord> ahead = run(props(drive, 3));

    assertThat(ahead).hasSize(FRAMES);
    for (int i = 0; i < FRAMES; i++) {
      SourceRecord r = ahead.get(i);
      assertThat(r.sourceOffset()).as("offset of capture %d", i)
          .isEqualTo(Map.of("item", String.format("%04d.png", i), "index", (long) i, "sequence", (long) i));
      assertThat(r.timestamp()).isEqualTo(i * 1000L + 500);
      if (i == CORRUPT || i == WRONG_SIZE) {
        assertThat(r.topic()).isEqualTo("depth.dlq");
        Header reason = r.headers().lastWithName(Wire.ERROR_REASON_HEADER);
        assertThat(reason.value()).isEqualTo(i == CORRUPT ? "CORRUPT_FILE" : "WRONG_IMAGE_SIZE");
      } else {
        assertThat(r.topic()).isEqualTo("depth.raw.rgbd");
        DepthFrame f = DepthFrame.parseFrom((byte[]) r.value());
        assertThat(f.getId().getSequence()).isEqualTo(i);
        assertThat(firstPixelMm(r)).as("pixel of capture %d", i).isEqualTo((i + 1) * 1000);
      }
      // Byte for byte what inline decoding produced.
      SourceRecord same = inline.get(i);
      assertThat(r.topic()).isEqualTo(same.topic());
      assertThat(r.sourceOffset()).isEqualTo(same.sourceOffset());
      assertThat((byte[]) r.value()).isEqualTo((byte[]) same.value());
    }
  }

  @Test
  void loopingDriveWrapsInOrderWithContinuingSequenceNumbers() throws Exception {
    Path drive = drive(5); // no bad file among the first five
    Map<String, String> p = props(drive, 2);
    p.put("loop", "true");
    p.put("capture.time", "wallclock");
    DriveSourceTask task = DriveConnectors.RGBD.newTask();
    task.start(p);
    List<SourceRecord> out = new ArrayList<>();
    try {
      while (out.size() < 13) {
        List<SourceRecord> batch = task.poll();
        if (batch != null) {
          out.addAll(batch);
        }
      }
    } finally {
      task.stop();
    }
    for (int i = 0; i < 13; i++) {
      assertThat(firstPixelMm(out.get(i))).as("record %d", i).isEqualTo((i % 5 + 1) * 1000);
      assertThat(DepthFrame.parseFrom((byte[]) out.get(i).value()).getId().getSequence()).isEqualTo(i);
      assertThat(out.get(i).sourceOffset().get("index")).isEqualTo((long) (i % 5));
    }
  }
}
