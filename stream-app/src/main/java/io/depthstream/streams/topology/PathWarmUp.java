package io.depthstream.streams.topology;

import com.google.protobuf.UnsafeByteOperations;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.proto.kafka.SensorKinds;
import io.depthstream.proto.kafka.WallClock;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.proto.v1.SparseSamples;
import io.depthstream.streams.config.FrameSize;
import io.depthstream.streams.config.NodeConfig;
import io.depthstream.streams.config.SensorStreamSettings;
import io.depthstream.streams.metrics.NodeMetrics;
import io.depthstream.streams.topology.Routed.Route;
import io.depthstream.streams.view.LiveView;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The start-up warm-up of the frame path (issue 16, cold start): before the node subscribes, synthetic frames of
 * each configured sensor kind and size ({@value NodeConfig#WARMUP_SIZES_LIDAR} and its siblings) go through the
 * same {@link FrameProcessor} the topology runs (decode, reconstruct, support, guidance, encode, serialise), so the
 * JIT has compiled that path when the first real frame arrives instead of compiling it on the robot's first
 * seconds of frames. The model warm-up of {@code DepthNode} alone leaves decoding, the support map, guidance and
 * encoding interpreted.
 *
 * <p>Nothing is published: the processors run in a {@link WarmUpContext}, which drops what they forward, with meters
 * of their own (not the node's registry) and without the live view. Focal stacks are not run here; their model is
 * warmed up on its own at start-up.
 */
public final class PathWarmUp {
  private PathWarmUp() {}

  /**
   * What one sensor kind and size did in the warm-up.
   *
   * @param kind the sensor kind's short name (lidar, rgbd, vslam)
   * @param frames synthetic frames run
   * @param dense dense outputs the processor produced (and the warm-up dropped)
   * @param nanos wall time of the frames, nanoseconds
   */
  public record Result(String kind, FrameSize size, int frames, int dense, long nanos) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s %s: %d frames in %d ms", kind, size, frames,
          nanos / 1_000_000L);
    }
  }

  /**
   * Runs {@value NodeConfig#WARMUP_FRAMES} synthetic frames of every configured size through each depth kind's
   * frame processor; nothing when that setting is 0.
   *
   * @throws ConfigException naming the kind's sizes setting when a frame of that size cannot go through its path
   *     (it would be dead-lettered: too many pixels, a method that refuses the size)
   */
  public static List<Result> run(NodeConfig config, ReconstructorFactory factory) {
    int frames = config.getInt(NodeConfig.WARMUP_FRAMES);
    List<Result> results = new ArrayList<>();
    if (frames == 0) {
      return results;
    }
    Function<SensorStreamSettings, FrameProcessor<?>> processors = DepthTopology.processors(config, factory,
        name -> {
          throw new IllegalStateException("the warm-up runs no focal stacks");
        }, new NodeMetrics(new SimpleMeterRegistry()), LiveView.OFF, WallClock::nanos,
        OutputLimits.assumed(DepthTopology.streamsProperties(config)));
    long overloadNanos = config.getLong(NodeConfig.REALTIME_OVERLOAD_MS) * 1_000_000L;
    for (SensorStreamSettings sensor : config.sensorStreams()) {
      // With the overload method on, a quarter more frames arrive late (between the overload age and the budget), so
      // that method's path is compiled too before the first real late frame needs it.
      long lateAgeNanos = overloadNanos > 0 && sensor.budgetNanos() > overloadNanos
          ? (overloadNanos + sensor.budgetNanos()) / 2 : 0;
      for (FrameSize size : config.warmUpSizes(sensor.kind())) {
        results.add(run(sensor, size, frames, lateAgeNanos, processors.apply(sensor)));
      }
    }
    return results;
  }

  /**
   * @param lateAgeNanos the age of the extra late frames ({@code frames / 4}, at least one); 0 = none
   */
  private static Result run(SensorStreamSettings sensor, FrameSize size, int frames, long lateAgeNanos,
      FrameProcessor<?> processor) {
    String kind = SensorKinds.shortName(sensor.kind());
    String sensorId = "warm-up-" + kind;
    WarmUpContext context = new WarmUpContext();
    int late = lateAgeNanos > 0 ? Math.max(1, frames / 4) : 0;
    long start = System.nanoTime();
    try {
      processor.init(context);
      for (int i = 0; i < frames + late; i++) {
        long captureNanos = WallClock.nanos() - (i < frames ? 0 : lateAgeNanos);
        byte[] frame = syntheticFrame(sensor.kind(), sensorId, size, i, captureNanos);
        processor.process(new Record<>(sensorId, frame, captureNanos / 1_000_000L));
        if (context.firstDeadLetter() != null) {
          throw new ConfigException(NodeConfig.warmUpSizesKey(sensor.kind()), size.toString(), "a " + size + " "
              + kind + " frame cannot go through the frame path (" + sensor.method() + "): "
              + context.firstDeadLetter());
        }
      }
    } finally {
      processor.close();
    }
    return new Result(kind, size, frames + late, context.forwarded(Route.DENSE), System.nanoTime() - start);
  }

  /**
   * A synthetic frame as the kind's sensors send it: a floor rising to a far wall with a box 1.5 m ahead in the
   * middle, sampled on every 6th row and 2nd column for a LiDAR (a 64-line scanner's pattern, sparse samples), on
   * a tenth of the pixels for vSLAM (sparse) and densely with a hole for RGB-D (uint16 millimetres), shifted by
   * {@code index} so no two frames are the same. Pinhole intrinsics with the principal point at the centre.
   */
  static byte[] syntheticFrame(SensorKind kind, String sensorId, FrameSize size, int index, long captureNanos) {
    int w = size.width();
    int h = size.height();
    DepthMap depth = DepthMap.allocate(w, h);
    float[] d = depth.data();
    float range = kind == SensorKind.SENSOR_KIND_LIDAR ? 40f : 6f;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!sampled(kind, x, y, w, h, index)) {
          continue;
        }
        boolean box = x > w / 3 && x < 2 * w / 3 && y > h / 3 && y < 2 * h / 3;
        d[y * w + x] = box ? 1.5f : 0.5f + range * (1f - (float) y / h) + 0.001f * ((x + index) % 100);
      }
    }
    FrameId id = FrameId.newBuilder().setSensorId(sensorId).setKind(kind).setSequence(index)
        .setCaptureTimeNs(captureNanos).build();
    CameraIntrinsics intrinsics = CameraIntrinsics.newBuilder().setFx(0.8 * w).setFy(0.8 * w).setCx(w / 2.0)
        .setCy(h / 2.0).setWidth(w).setHeight(h).build();
    DepthFrame.Builder frame = DepthFrame.newBuilder().setId(id).setWidth(w).setHeight(h).setIntrinsics(intrinsics);
    if (kind == SensorKind.SENSOR_KIND_RGBD) {
      frame.setDenseMm(DenseUint16Millimetres.newBuilder()
          .setData(UnsafeByteOperations.unsafeWrap(DepthWire.toUint16Millimetres(depth))));
    } else {
      SparseSamples.Builder samples = SparseSamples.newBuilder();
      for (int i = 0; i < d.length; i++) {
        if (d[i] > 0f) {
          samples.addIndex(i).addDepthM(d[i]);
        }
      }
      frame.setSparse(samples);
    }
    return frame.build().toByteArray();
  }

  /** Whether the kind's sensor measures pixel (x, y) of a {@code w x h} frame {@code index}. */
  private static boolean sampled(SensorKind kind, int x, int y, int w, int h, int index) {
    return switch (kind) {
      case SENSOR_KIND_LIDAR -> y % 6 == 0 && (x + index) % 2 == 0;
      case SENSOR_KIND_VSLAM -> (x * 7 + y * 13 + index) % 10 == 0;
      // a Kinect's dropout: a hole of a tenth of the width and height, moving with the frame index
      default -> {
        int hx = (index * 7) % Math.max(1, w - w / 10);
        int hy = h / 4;
        yield x < hx || x >= hx + w / 10 || y < hy || y >= hy + h / 10;
      }
    };
  }
}
