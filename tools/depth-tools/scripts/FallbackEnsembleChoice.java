// The session-14 choice of the fast path fallback's blend (trainer/TRAINING.md, "Fast path density fallback: a
// three-way blend"): for each candidate (nearest-fill share wn, inpaint share wi, linear the rest), over every frame
// of a directory of Kinect-like millimetre PNGs, densities D and seeds 1..S: each draw's RMSE ratio to the best of
// linear, inpaint and nearest-fill on that draw; per density the 90th percentile and the mean of those ratios. The
// score of a candidate is its largest 90th percentile over the densities. Prints one markdown row per candidate.
// A fourth argument (density labels, e.g. 0.02%,0.033%,0.066%,0.1%,0.2%) also runs the second rule, two regimes
// split at one of those densities ("Fast path density fallback: shares by density").
//
// Run from the repository root after `mvn -o -q -pl tools/depth-tools -am package -DskipTests`:
//   java -cp "tools/depth-tools/target/depth-tools-0.1.0-SNAPSHOT.jar:tools/depth-tools/target/lib/*" \
//       tools/depth-tools/scripts/FallbackEnsembleChoice.java DIR 0.01%,0.02%,0.033%,0.066%,0.1%,0.2%,0.33%,0.5%,0.7% 3
// (DIR: `python3 -m depthstream_trainer.evaluate_sensor --export-kinect DIR --frames 32`'s synthetic validation frames.)

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.DepthDataset;
import io.depthstream.depth.io.DepthEncoding;
import io.depthstream.depth.io.DepthSample;
import io.depthstream.tools.eval.Density;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class FallbackEnsembleChoice {
  private static final double[] NEAREST = {0, 0.125, 0.25};
  private static final double[] INPAINT = {0, 0.125, 0.25, 0.375, 0.5};

  public static void main(String[] args) throws Exception {
    DepthDataset set = DatasetReader.loadDirectory(Path.of(args[0]), "*.png", DepthEncoding.MILLIMETRES,
        ByteOrder.BIG_ENDIAN, 10f);
    List<Density> densities = Density.parseList(args[1]);
    int seeds = Integer.parseInt(args[2]);
    int candidates = NEAREST.length * INPAINT.length;
    // ratios[candidate][density] = every draw's ratio to that draw's best classical method
    List<List<double[]>> ratios = new ArrayList<>();
    double[][] meanRmse = new double[candidates][densities.size()];
    for (int c = 0; c < candidates; c++) {
      ratios.add(new ArrayList<>());
    }
    int draws = set.samples().size() * seeds;
    for (int d = 0; d < densities.size(); d++) {
      for (int c = 0; c < candidates; c++) {
        ratios.get(c).add(new double[draws]);
      }
      int draw = 0;
      for (DepthSample sample : set.samples()) {
        DepthMap truth = sample.depth();
        for (int seed = 1; seed <= seeds; seed++) {
          DepthMap in = densities.get(d).sample(truth, seed);
          float[] n = run("nearest-fill", in);
          float[] l = run("linear", in);
          float[] p = run("inpaint", in);
          float[] g = truth.data();
          double best = Math.min(rmse(g, n, l, p, 1, 0), Math.min(rmse(g, n, l, p, 0, 0), rmse(g, n, l, p, 0, 1)));
          for (int c = 0; c < candidates; c++) {
            double r = rmse(g, n, l, p, NEAREST[c / INPAINT.length], INPAINT[c % INPAINT.length]);
            meanRmse[c][d] += r / draws;
            ratios.get(c).get(d)[draw] = r / best;
          }
          draw++;
        }
      }
    }
    StringBuilder head = new StringBuilder("| nearest-fill | inpaint | linear | score: worst p90 ratio |");
    StringBuilder rule = new StringBuilder("|---|---|---|---|");
    for (Density density : densities) {
      head.append(' ').append(density.label()).append(": mean RMSE, mean / p90 ratio |");
      rule.append("---|");
    }
    System.out.println(head);
    System.out.println(rule);
    for (int c = 0; c < candidates; c++) {
      double wn = NEAREST[c / INPAINT.length];
      double wi = INPAINT[c % INPAINT.length];
      double score = 0;
      StringBuilder cells = new StringBuilder();
      for (int d = 0; d < densities.size(); d++) {
        double[] r = ratios.get(c).get(d).clone();
        Arrays.sort(r);
        double p90 = r[(int) Math.ceil(0.9 * r.length) - 1];
        double mean = Arrays.stream(r).average().orElse(Double.NaN);
        score = Math.max(score, p90);
        cells.append(String.format(" %.4f, %+.1f / %+.1f %% |", meanRmse[c][d], 100 * (mean - 1), 100 * (p90 - 1)));
      }
      System.out.printf("| %.3f | %.3f | %.3f | %+.2f %% |%s%n", wn, wi, 1 - wn - wi, 100 * (score - 1), cells);
    }
    if (args.length > 3) {
      regimes(densities, ratios, args[3]);
    }
  }

  /**
   * The second rule (trainer/TRAINING.md, "Fast path density fallback: shares by density"): two regimes split at a
   * density of {@code thresholds} (labels of densities of the sweep), candidate A below it and B from it on, scored
   * by the mean over the densities of the pair's 90th-percentile ratio less the lowest of any candidate there.
   */
  private static void regimes(List<Density> densities, List<List<double[]>> ratios, String thresholds) {
    int candidates = ratios.size();
    int n = densities.size();
    double[][] p90 = new double[candidates][n];
    double[] lowest = new double[n];
    Arrays.fill(lowest, Double.MAX_VALUE);
    for (int c = 0; c < candidates; c++) {
      for (int d = 0; d < n; d++) {
        double[] r = ratios.get(c).get(d).clone();
        Arrays.sort(r);
        p90[c][d] = r[(int) Math.ceil(0.9 * r.length) - 1];
        lowest[d] = Math.min(lowest[d], p90[c][d]);
      }
    }
    int single = 1 * INPAINT.length + 3; // (0.125, 0.375), the first rule's choice
    System.out.printf("%nsingle blend (0.125, 0.375): mean regret %.2f points%n", 100 * regret(p90, lowest, single,
        single, 0));
    List<double[]> all = new ArrayList<>();
    for (String label : thresholds.split(",")) {
      int t = 0;
      while (!densities.get(t).label().equals(label)) {
        t++;
      }
      for (int a = 0; a < candidates; a++) {
        for (int b = 0; b < candidates; b++) {
          all.add(new double[] {100 * regret(p90, lowest, a, b, t), t, a, b});
        }
      }
    }
    all.sort((x, y) -> Double.compare(x[0], y[0]));
    System.out.println("| mean regret (points) | from | A: nearest-fill, inpaint | B: nearest-fill, inpaint |");
    System.out.println("|---|---|---|---|");
    for (double[] r : all.subList(0, 12)) {
      int a = (int) r[2];
      int b = (int) r[3];
      System.out.printf("| %.2f | %s | %.3f, %.3f | %.3f, %.3f |%n", r[0], densities.get((int) r[1]).label(),
          NEAREST[a / INPAINT.length], INPAINT[a % INPAINT.length], NEAREST[b / INPAINT.length],
          INPAINT[b % INPAINT.length]);
    }
  }

  /** Mean over the densities of the regime pair's p90 less the lowest p90 there; A below density index t. */
  private static double regret(double[][] p90, double[] lowest, int a, int b, int t) {
    double sum = 0;
    for (int d = 0; d < lowest.length; d++) {
      sum += p90[d < t ? a : b][d] - lowest[d];
    }
    return sum / lowest.length;
  }

  /** RMSE over the valid ground truth of {@code wn * n + wi * p + (1 - wn - wi) * l}. */
  private static double rmse(float[] g, float[] n, float[] l, float[] p, double wn, double wi) {
    double wl = 1 - wn - wi;
    double sum = 0;
    int valid = 0;
    for (int i = 0; i < g.length; i++) {
      if (g[i] > 0) {
        double e = wn * n[i] + wi * p[i] + wl * l[i] - g[i];
        sum += e * e;
        valid++;
      }
    }
    return Math.sqrt(sum / valid);
  }

  private static float[] run(String method, DepthMap in) {
    DepthMap out = DepthMap.allocate(in.width(), in.height());
    ClassicalMethods.create(method).reconstruct(in, out);
    return out.data();
  }
}
