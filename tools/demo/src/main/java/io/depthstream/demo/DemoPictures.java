package io.depthstream.demo;

import io.depthstream.connect.record.McapReader;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.io.ColorRange;
import io.depthstream.depth.io.DepthColormap;
import io.depthstream.depth.io.DepthPanel;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.streams.codec.FrameDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one picture per sensor: the sensor's input (sparse samples enlarged so they can be seen), the node's
 * dense output, the ground truth of the synthetic scene, and the absolute error, on one colour scale.
 */
final class DemoPictures {
  /** A fixed error scale, so millimetre quantisation is not stretched over the whole colour map. */
  private static final ColorRange ERROR_RANGE = new ColorRange(0f, 0.5f);

  private DemoPictures() {}

  static List<Path> write(Path dir, List<DriveSensor> sensors, Map<String, DenseDepth> latest) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(Integer.MAX_VALUE, 1.0e6);
    for (DriveSensor s : sensors) {
      DenseDepth dense = latest.get(s.sensor().sensorId());
      if (dense == null) {
        continue;
      }
      int index = (int) (dense.getId().getSequence() % s.frames().size());
      DepthMap input;
      try {
        input = decoder.decode(null, s.frames().get(index).toByteArray()).depth().copy();
      } catch (Exception e) {
        throw new IllegalStateException("a rendered frame of " + s.sensor().sensorId() + " does not decode", e);
      }
      DepthMap output = OutputMonitor.decode(dense);
      DepthMap truth = s.truths().get(index);
      Path file = dir.resolve(s.sensor().sensorId() + ".png");
      new DepthPanel()
          .range(DepthColormap.autoRange(truth))
          .add(s.sensor().sensorId() + " input (" + s.kindName() + ")", enlargeSamples(input))
          .add("dense output: " + dense.getMethod(), output)
          .add("ground truth", truth)
          .addError("|error| (m)", output, truth)
          .errorRange(ERROR_RANGE)
          .write(file);
      written.add(file);
    }
    return written;
  }

  /**
   * Pictures of a replay: each sensor's recorded input frame (found in the recording by sensor id and sequence
   * number) next to the node's newest output for it. There is no ground truth for a recorded drive.
   */
  static List<Path> writeReplay(Path dir, Path recording, Map<String, DenseDepth> latest) throws IOException {
    Files.createDirectories(dir);
    Map<String, byte[]> inputs = new HashMap<>();
    try (McapReader reader = new McapReader(recording)) {
      McapReader.Message m;
      while ((m = reader.next()) != null) {
        DenseDepth dense = latest.get(m.channel().key());
        if (dense == null || !"depthstream.v1.DepthFrame".equals(m.channel().schemaName())) {
          continue;
        }
        try {
          var frame = io.depthstream.proto.v1.DepthFrame.parseFrom(m.data());
          if (frame.getId().getSequence() == dense.getId().getSequence()) {
            inputs.put(m.channel().key(), m.data());
          }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          // a corrupt record of the drive (it was dead-lettered): not a picture's input
        }
      }
    }
    List<Path> written = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(Integer.MAX_VALUE, 1.0e6);
    for (Map.Entry<String, DenseDepth> e : new java.util.TreeMap<>(latest).entrySet()) {
      byte[] raw = inputs.get(e.getKey());
      if (raw == null) {
        continue;
      }
      DepthMap input;
      try {
        input = decoder.decode(null, raw).depth().copy();
      } catch (Exception ex) {
        continue; // decoded by the node, so this does not happen; a picture is not worth failing the run
      }
      DepthMap output = OutputMonitor.decode(e.getValue());
      Path file = dir.resolve(e.getKey() + ".png");
      new DepthPanel()
          .range(DepthColormap.autoRange(output))
          .add(e.getKey() + " input (replayed)", enlargeSamples(input))
          .add("dense output: " + e.getValue().getMethod(), output)
          .write(file);
      written.add(file);
    }
    return written;
  }

  /** Grows each valid pixel of a sparse map to 3x3 (display only), so single LiDAR returns are visible. */
  static DepthMap enlargeSamples(DepthMap sparse) {
    if (sparse.validCount() > sparse.size() / 4) {
      return sparse; // dense enough to see as it is
    }
    int w = sparse.width();
    int h = sparse.height();
    DepthMap out = sparse.copy();
    float[] src = sparse.data();
    float[] dst = out.data();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float d = src[y * w + x];
        if (d > 0f) {
          for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
            for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
              if (src[yy * w + xx] == 0f) {
                dst[yy * w + xx] = d;
              }
            }
          }
        }
      }
    }
    return out;
  }
}
