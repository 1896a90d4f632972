// The session-11 choice of the fast path fallback's nearest-fill share (trainer/TRAINING.md, "Fast path density
// fallback: linear blended with nearest-fill"): per density, the mean RMSE of linear, inpaint, nearest-fill and of
// w * nearest-fill + (1 - w) * linear for each candidate w, over every frame of a directory of Kinect-like
// millimetre PNGs and seeds 1..S; prints a markdown row per density and the worst ratio to the best classical method.
//
// Run from the repository root after `mvn -o -q -pl tools/depth-tools -am package -DskipTests`:
//   java -cp "tools/depth-tools/target/depth-tools-0.1.0-SNAPSHOT.jar:tools/depth-tools/target/lib/*" \
//       tools/depth-tools/scripts/FallbackBlendChoice.java DIR 0.01%,0.02%,0.033%,0.066%,0.1%,0.2%,0.33%,0.5%,0.7% 3
// (DIR: `python3 -m depthstream_trainer.evaluate_sensor --export-kinect DIR`'s 32 synthetic validation frames.)

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.DepthDataset;
import io.depthstream.depth.io.DepthEncoding;
import io.depthstream.depth.io.DepthSample;
import io.depthstream.tools.eval.Density;
import java.nio.ByteOrder;
import java.nio.file.Path;

public class FallbackBlendChoice {
  private static final double[] WEIGHTS = {0, 0.125, 0.25, 0.375, 0.5};

  public static void main(String[] args) throws Exception {
    DepthDataset set = DatasetReader.loadDirectory(Path.of(args[0]), "*.png", DepthEncoding.MILLIMETRES,
        ByteOrder.BIG_ENDIAN, 10f);
    int seeds = Integer.parseInt(args[2]);
    double[] worst = new double[WEIGHTS.length];
    System.out.println("| share | linear | inpaint | nearest-fill | w=0 | w=0.125 | w=0.25 | w=0.375 | w=0.5 |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Density density : Density.parseList(args[1])) {
      double[] blend = new double[WEIGHTS.length];
      double linear = 0;
      double nearest = 0;
      double inpaint = 0;
      int draws = 0;
      for (DepthSample sample : set.samples()) {
        DepthMap truth = sample.depth();
        for (int seed = 1; seed <= seeds; seed++) {
          DepthMap in = density.sample(truth, seed);
          float[] n = run("nearest-fill", in);
          float[] l = run("linear", in);
          float[] p = run("inpaint", in);
          float[] g = truth.data();
          double[] squared = new double[WEIGHTS.length];
          double sn = 0;
          double sl = 0;
          double sp = 0;
          int valid = 0;
          for (int i = 0; i < g.length; i++) {
            if (!(g[i] > 0)) {
              continue;
            }
            valid++;
            sn += sq(n[i] - g[i]);
            sl += sq(l[i] - g[i]);
            sp += sq(p[i] - g[i]);
            for (int k = 0; k < WEIGHTS.length; k++) {
              squared[k] += sq(WEIGHTS[k] * n[i] + (1 - WEIGHTS[k]) * l[i] - g[i]);
            }
          }
          nearest += Math.sqrt(sn / valid);
          linear += Math.sqrt(sl / valid);
          inpaint += Math.sqrt(sp / valid);
          for (int k = 0; k < WEIGHTS.length; k++) {
            blend[k] += Math.sqrt(squared[k] / valid);
          }
          draws++;
        }
      }
      double best = Math.min(linear, Math.min(nearest, inpaint));
      StringBuilder row = new StringBuilder(String.format("| %s | %.4f | %.4f | %.4f |", density.label(),
          linear / draws, inpaint / draws, nearest / draws));
      for (int k = 0; k < WEIGHTS.length; k++) {
        double ratio = blend[k] / best;
        worst[k] = Math.max(worst[k], ratio);
        row.append(String.format(" %.4f (%+.1f %%) |", blend[k] / draws, 100 * (ratio - 1)));
      }
      System.out.println(row);
    }
    StringBuilder last = new StringBuilder("| worst over densities | | | |");
    for (double w : worst) {
      last.append(String.format(" %+.1f %% |", 100 * (w - 1)));
    }
    System.out.println(last);
  }

  private static float[] run(String method, DepthMap in) {
    DepthMap out = DepthMap.allocate(in.width(), in.height());
    ClassicalMethods.create(method).reconstruct(in, out);
    return out.data();
  }

  private static double sq(double v) {
    return v * v;
  }
}
