package io.depthstream.demo;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.metrics.DepthMetrics;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.depth.scene.SceneDrive;
import io.depthstream.depth.tooling.LatencyStats;
import io.depthstream.streams.topology.ReconstructorFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-process parts of {@code bench-node} that are more than one method timed on one thread: the accuracy of a
 * method on synthetic frames with ground truth, and the throughput of several callers sharing a model, as the
 * stream's tasks do. Always 640x480.
 */
final class InProcessBench {
  private static final int[] VGA = {640, 480};

  private final int warmup;
  private final int accuracyFrames;
  private final double bareSeconds;

  /**
   * @param warmup untimed runs per caller before the throughput run
   * @param accuracyFrames synthetic frames per scene for the accuracy
   * @param bareSeconds length of the throughput run
   */
  InProcessBench(int warmup, int accuracyFrames, double bareSeconds) {
    this.warmup = warmup;
    this.accuracyFrames = accuracyFrames;
    this.bareSeconds = bareSeconds;
  }

  /**
   * Mean RMSE (metres) of {@code method} over synthetic frames with ground truth: indoor frames sampled uniformly
   * (5 %) and road frames with a 64-line LiDAR pattern, 640x480, the same frames for every method.
   */
  double accuracy(DepthReconstructor method) {
    DepthMetrics metrics = new DepthMetrics(100.0);
    DepthMap truth = DepthMap.allocate(VGA[0], VGA[1]);
    DepthMap sparse = DepthMap.allocate(VGA[0], VGA[1]);
    DepthMap output = DepthMap.allocate(VGA[0], VGA[1]);
    double sum = 0;
    int n = 0;
    for (SceneDrive.Kind kind : List.of(SceneDrive.Kind.INDOOR, SceneDrive.Kind.ROAD)) {
      SceneDrive drive = SceneDrive.of(kind, 11, SceneDrive.defaultCamera(kind, VGA[0], VGA[1]));
      var pattern = SamplingPatterns.parse(kind == SceneDrive.Kind.INDOOR ? "uniform:p=0.05" : "lidar:lines=64");
      for (int i = 0; i < accuracyFrames; i++) {
        drive.render(i * 5, truth, null);
        pattern.sample(truth, sparse, 1000L + i);
        method.reconstruct(sparse, output);
        sum += metrics.evaluate(output, truth).rmse();
        n++;
      }
    }
    return sum / n;
  }

  /** Throughput and per-call latency of {@code callers} threads, each with its own instance of the method. */
  record Throughput(int callers, double seconds, long frames, double fps, double p50Ms, double p99Ms) {
    Map<String, Object> json() {
      return Map.of("callers", callers, "seconds", seconds, "frames", frames, "fps", fps, "p50_ms", p50Ms,
          "p99_ms", p99Ms);
    }
  }

  Throughput bareThroughput(ReconstructorFactory methods, String name, int callers) throws Exception {
    DepthMap scene = DepthMap.allocate(VGA[0], VGA[1]);
    SceneDrive.of(SceneDrive.Kind.ROAD, 3, SceneDrive.defaultCamera(SceneDrive.Kind.ROAD, VGA[0], VGA[1]))
        .render(0, scene, null);
    DepthMap input = DepthMap.allocate(VGA[0], VGA[1]);
    SamplingPatterns.parse("lidar:lines=64").sample(scene, input, 5L);
    List<DepthReconstructor> instances = new ArrayList<>();
    try {
      for (int i = 0; i < callers; i++) {
        instances.add(methods.create(name));
      }
      CountDownLatch warmedUp = new CountDownLatch(callers);
      CountDownLatch go = new CountDownLatch(1);
      AtomicBoolean stop = new AtomicBoolean();
      long[][] times = new long[callers][];
      int[] counts = new int[callers];
      List<Thread> threads = new ArrayList<>();
      Exception[] failure = new Exception[1];
      for (int c = 0; c < callers; c++) {
        int id = c;
        Thread t = new Thread(() -> {
          DepthReconstructor m = instances.get(id);
          DepthMap output = DepthMap.allocate(VGA[0], VGA[1]);
          long[] ns = new long[1 << 16];
          try {
            for (int i = 0; i < warmup; i++) {
              m.reconstruct(input, output);
            }
            warmedUp.countDown();
            go.await();
            int k = 0;
            while (!stop.get() && k < ns.length) {
              long t0 = System.nanoTime();
              m.reconstruct(input, output);
              ns[k++] = System.nanoTime() - t0;
            }
            times[id] = ns;
            counts[id] = k;
          } catch (Exception e) {
            failure[0] = e;
            warmedUp.countDown();
          }
        }, "bench-caller-" + c);
        threads.add(t);
        t.start();
      }
      warmedUp.await();
      long start = System.nanoTime();
      go.countDown();
      Thread.sleep((long) (bareSeconds * 1000));
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failure[0] != null) {
        throw failure[0];
      }
      int total = Arrays.stream(counts).sum();
      long[] all = new long[total];
      int k = 0;
      for (int c = 0; c < callers; c++) {
        System.arraycopy(times[c], 0, all, k, counts[c]);
        k += counts[c];
      }
      LatencyStats perCall = LatencyStats.ofNanos(all);
      return new Throughput(callers, seconds, total, total / seconds, perCall.p50Ms(), perCall.p99Ms());
    } finally {
      instances.forEach(DepthReconstructor::close);
    }
  }

}
