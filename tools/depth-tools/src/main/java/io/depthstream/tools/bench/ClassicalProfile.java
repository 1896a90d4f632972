package io.depthstream.tools.bench;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.sampling.SamplingPatterns;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * Per-frame thread CPU time of each classical method on the {@link ClassicalBench} inputs, all methods
 * interleaved in one run. On a shared, loaded machine wall-clock numbers (and so JMH throughput) drift with the
 * other jobs; the CPU time of this thread ({@link ThreadMXBean#getCurrentThreadCpuTime()}, nanoseconds) does not
 * count time spent waiting for a core, so it is the steadier number for before/after comparisons.
 *
 * <p>Run: {@code java -cp 'depth-tools/target/depth-tools-0.1.0-SNAPSHOT.jar:depth-tools/target/lib/*'
 * io.depthstream.tools.bench.ClassicalProfile [frames] [method ...]}. Prints, per method and input, the median
 * and the 10th percentile of the CPU milliseconds per frame and the single-core frames per second they imply.
 */
public final class ClassicalProfile {
  private ClassicalProfile() {}

  public static void main(String[] args) {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    List<String> methods =
        args.length > 1
            ? Arrays.asList(args).subList(1, args.length)
            : List.of("nearest-fill", "morphological", "morphological-reference", "inpaint");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int w = 640;
    int h = 480;
    DepthMap lidar = DepthMap.allocate(w, h);
    SamplingPatterns.parse("lidar:lines=64,hstep=1").sample(BenchScenes.dense(w, h), lidar, 1);
    DepthMap kinect = BenchScenes.kinectWithHoles(w, h, 1);
    DepthMap out = DepthMap.allocate(w, h);
    for (String input : List.of("lidar", "kinect")) {
      DepthMap in = input.equals("lidar") ? lidar : kinect;
      DepthReconstructor[] rs = new DepthReconstructor[methods.size()];
      long[][] ns = new long[methods.size()][frames];
      for (int m = 0; m < rs.length; m++) {
        rs[m] = ClassicalBench.create(methods.get(m));
        for (int i = 0; i < Math.max(20, frames / 2); i++) {
          rs[m].reconstruct(in, out); // warm-up: let C2 compile the hot loops
        }
      }
      // Interleave methods frame by frame so that load changes on the machine hit all of them alike.
      for (int f = 0; f < frames; f++) {
        for (int m = 0; m < rs.length; m++) {
          long t0 = mx.getCurrentThreadCpuTime();
          rs[m].reconstruct(in, out);
          ns[m][f] = mx.getCurrentThreadCpuTime() - t0;
        }
      }
      for (int m = 0; m < rs.length; m++) {
        long[] t = ns[m].clone();
        Arrays.sort(t);
        double med = t[frames / 2] / 1e6;
        double p10 = t[frames / 10] / 1e6;
        System.out.printf(
            "%-24s %-7s cpu ms/frame median %7.2f  p10 %7.2f  -> %6.1f fps (one core)%n",
            methods.get(m), input, med, p10, 1000.0 / med);
        rs[m].close();
      }
    }
  }
}
