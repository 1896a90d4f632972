package io.depthstream.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.DepthMap;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.SensorKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the live view costs the frame path per frame, at KITTI's 1242x375 (sparse LiDAR input, dense output) and
 * 640x480: {@link LiveView#offer} with the view off, on with no page open, and with a page open and a snapshot taken
 * on every frame (the worst case: a sensor no faster than the view's rate). A measurement, not a check, so it runs
 * only when asked: {@code -Ddepthstream.bench=true}.
 */
@EnabledIfSystemProperty(named = "depthstream.bench", matches = "true")
class LiveViewCostTest {
  private static final int WARM_UP = 3_000;
  private static final int RUNS = 3_000;

  @Test
  void perFrameCostOfTheLiveView() {
    for (int[] size : new int[][] {{1242, 375}, {640, 480}}) {
      DepthMap input = DepthMap.allocate(size[0], size[1]);
      DepthMap dense = DepthMap.allocate(size[0], size[1]);
      Random random = new Random(7);
      for (int i = 0; i < dense.size(); i++) {
        dense.data()[i] = 1 + 40 * random.nextFloat();
        if (random.nextInt(20) == 0) {
          input.data()[i] = dense.data()[i]; // 5 % of the pixels measured, as a 64-line LiDAR
        }
      }
      AtomicLong clock = new AtomicLong();
      LiveView noPage = LiveView.create(10, clock::get);
      LiveView watched = LiveView.create(10, clock::get);
      double[] off = nanosPerFrame(LiveView.OFF, input, dense, clock, 0);
      double[] idle = nanosPerFrame(noPage, input, dense, clock, 0);
      // Every frame 1/10 s after the last: each one is copied.
      double[] copying = nanosPerFrame(watched, input, dense, clock, 100_000_000L);
      assertThat(watched.snapshot("velo").sequence()).isEqualTo(WARM_UP + RUNS - 1);
      System.out.printf(Locale.ROOT, "live view per frame at %dx%d (wall / thread CPU): off %.0f / %.0f ns, on with "
          + "no page open %.0f / %.0f ns, page open (a snapshot every frame) %.0f / %.0f us%n", size[0], size[1],
          off[0], off[1], idle[0], idle[1], copying[0] / 1000, copying[1] / 1000);
    }
  }

  /** Wall and thread CPU nanoseconds per offered frame. */
  private static double[] nanosPerFrame(LiveView view, DepthMap input, DepthMap dense, AtomicLong clock, long step) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    NavigationGuidance nav = NavigationGuidance.newBuilder().setScan(LaserScan.newBuilder().addRangesM(1f)).build();
    long start = 0;
    long startCpu = 0;
    for (int i = 0; i < WARM_UP + RUNS; i++) {
      if (i == WARM_UP) {
        start = System.nanoTime();
        startCpu = threads.getCurrentThreadCpuTime();
      }
      clock.addAndGet(step);
      if (step > 0) {
        view.viewerActive();
      }
      view.offer(FrameId.newBuilder().setSensorId("velo").setKind(SensorKind.SENSOR_KIND_LIDAR).setSequence(i)
          .build(), "fast_interp_x4", input, dense, nav, 1_000_000L);
    }
    return new double[] {(System.nanoTime() - start) / (double) RUNS,
        (threads.getCurrentThreadCpuTime() - startCpu) / (double) RUNS};
  }
}
