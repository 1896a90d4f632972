package io.depthstream.inference;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import java.util.Locale;

/**
 * A full-resolution residual correction of a fast-interpolation network's output: at every measured pixel the
 * network's own prediction is compared with the measurement, and those residuals, spread to the pixels around each
 * sample, are added to the prediction.
 *
 * <p>Why: the fast network fills a quarter-resolution grid and upsamples it, so its output is not sample-exact
 * around the samples (the runner's keep-samples copy makes it exact only <em>at</em> them). Near a sample the
 * network's error is close to its error at the sample, which is known; a classical post-step on the learned output
 * removes part of it without retraining (trainer/TRAINING.md, "The MAE gap is not the loss").
 *
 * <p>What: {@code D'(p) = D(p) + sum_i w_i(p) r_i / sum_i w_i(p)}, {@code r_i = z_i - D(p_i)}, a normalised
 * convolution of the residuals with the weight {@code w_i(p) = exp(-d^2 / (2 sigma^2)) / (1 + d^2)}, {@code d =
 * |p - p_i|} in pixels, cut at {@value ResidualSpread#TRUNCATE} sigma: a Gaussian whose {@code 1 / (1 + d^2)} factor makes the
 * nearest sample dominate close to it. {@code sigma} is {@link Settings#spacingScale()} times the frame's mean sample
 * spacing {@code sqrt(pixels / samples)} (the window's radius at most {@value ResidualSpread#MAX_RADIUS} pixels); a pixel with no
 * sample within the window is not corrected. Edges: sample i corrects pixel p only where the network itself puts
 * them on one surface, {@code |D(p) - D(p_i)| <= edgeTolerance * D(p_i)} (a bilateral weight on the network's
 * output, so residuals do not leak across the depth edges it sees). Measured pixels keep their measurement; a pixel
 * the network left empty (an invalid prediction) stays empty; a correction that would make a depth non-positive is
 * not applied. The parameters were chosen on the synthetic validation only (trainer/TRAINING.md, "Fast path
 * residual correction").
 *
 * <p>Cost: each sample visits its window once, about {@code (2 * 1.5 sigma)^2} pixels, so a frame costs about
 * {@code 9 spacingScale^2} (4.4 at the default) multiply-adds per pixel whatever its density: 3-5 ms at 640x480 on
 * the 2-core development box (tools/depth-tools/EVALUATION.md, "Issue 15, session 8"). The accumulators are reused
 * per frame size. Not thread-safe: one instance per stream thread, as every reconstructor.
 */
public final class ResidualCorrection implements DepthReconstructor {
  /**
   * The correction's parameters.
   *
   * @param spacingScale Gaussian sigma / mean sample spacing, in [0, 4]; 0 = no correction
   * @param edgeTolerance |D(p) - D(p_i)| / D(p_i) above which sample i does not correct pixel p; infinite = no edge
   *     test
   */
  public record Settings(double spacingScale, double edgeTolerance) {
    /** No correction: the network's output as it is. */
    public static final Settings OFF = new Settings(0, Double.POSITIVE_INFINITY);

    /**
     * The default, chosen on the synthetic validation (trainer/TRAINING.md, "Fast path residual correction"): sigma
     * 0.7 sample spacings, edge tolerance 10 % of the depth.
     */
    public static final Settings DEFAULT = new Settings(0.7, 0.1);

    /** Checks the ranges, naming the parameter. */
    public Settings {
      if (!(spacingScale >= 0 && spacingScale <= 4)) {
        throw new IllegalArgumentException("residual correction: scale must be in [0, 4], got " + spacingScale);
      }
      if (!(edgeTolerance > 0)) {
        throw new IllegalArgumentException("residual correction: edge must be > 0 (inf = no edge test), got "
            + edgeTolerance);
      }
    }

    /** True unless this is {@link #OFF} (scale 0). */
    public boolean enabled() {
      return spacingScale > 0;
    }

    /**
     * Parses {@code on} ({@link #DEFAULT}), {@code off}, or {@code scale=S[,edge=E]} (edge {@code inf} = no edge
     * test, also when omitted).
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static Settings parse(String spec) {
      String s = spec.trim().toLowerCase(Locale.ROOT);
      if (s.equals("off")) {
        return OFF;
      }
      if (s.equals("on")) {
        return DEFAULT;
      }
      double scale = Double.NaN;
      double edge = Double.POSITIVE_INFINITY;
      for (String part : s.split(",")) {
        String[] kv = part.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("residual correction '" + spec + "': expected on, off or "
              + "scale=S[,edge=E], got '" + part + "'");
        }
        String key = kv[0].trim();
        String text = kv[1].trim();
        double value;
        try {
          value = text.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("residual correction '" + spec + "': " + key + " is not a number: '"
              + text + "'", e);
        }
        switch (key) {
          case "scale" -> scale = value;
          case "edge" -> edge = value;
          default -> throw new IllegalArgumentException("residual correction '" + spec + "': unknown parameter '"
              + key + "'; expected scale, edge");
        }
      }
      if (Double.isNaN(scale)) {
        throw new IllegalArgumentException("residual correction '" + spec + "': scale=S is required (or on, off)");
      }
      return new Settings(scale, edge);
    }

    /** The {@link #parse} form: {@code off} or {@code scale=S,edge=E}. */
    @Override
    public String toString() {
      return enabled() ? "scale=" + spacingScale + ",edge=" + (Double.isInfinite(edgeTolerance) ? "inf"
          : edgeTolerance) : "off";
    }
  }

  private final OnnxReconstructor network;
  private final Settings settings;

  private final ResidualSpread spread;

  // Reused, grown to the largest sample count seen.
  private int[] sampleIndex = new int[0];
  private float[] samplePrediction = new float[0];
  private float[] sampleResidual = new float[0];

  /**
   * Takes ownership of the network (closed with this one).
   *
   * @param network a fast-interpolation runner (same-size output)
   * @param settings the correction; must be {@linkplain Settings#enabled() enabled}
   * @throws IllegalArgumentException for a super-resolution runner or disabled settings
   */
  public ResidualCorrection(OnnxReconstructor network, Settings settings) {
    if (network.isSuperResolution()) {
      throw new IllegalArgumentException("a residual correction needs a fast-interpolation model; " + network.name()
          + " scales x" + network.factor());
    }
    if (!settings.enabled()) {
      throw new IllegalArgumentException("residual correction settings are off: use the network alone");
    }
    this.network = network;
    this.settings = settings;
    this.spread = new ResidualSpread(settings);
  }

  /** The network's name: the correction is part of the configured method. */
  @Override
  public String name() {
    return network.name();
  }

  @Override
  public String modelVersion() {
    return network.modelVersion();
  }

  @Override
  public boolean fellBackToCpu() {
    return network.fellBackToCpu();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    network.reconstruct(input, output);
    float[] z = input.data();
    int n = 0;
    for (int i = 0; i < z.length; i++) {
      if (z[i] > 0f) {
        n++;
      }
    }
    if (n == 0) {
      return;
    }
    ensureSampleCapacity(n);
    int w = input.width();
    int k = 0;
    for (int i = 0; i < z.length; i++) {
      if (z[i] > 0f) {
        float predicted = network.lastPrediction(i % w, i / w);
        sampleIndex[k] = i;
        // An invalid prediction at a sample gives no residual to spread (skipped through a residual of NaN).
        boolean valid = predicted > 0f && predicted <= Float.MAX_VALUE;
        samplePrediction[k] = predicted;
        sampleResidual[k] = valid ? z[i] - predicted : Float.NaN;
        k++;
      }
    }
    spread.apply(sampleIndex, samplePrediction, sampleResidual, n, z, output.data(), w, input.height());
  }

  private void ensureSampleCapacity(int n) {
    if (sampleIndex.length < n) {
      int capacity = Math.max(n, sampleIndex.length + sampleIndex.length / 2);
      sampleIndex = new int[capacity];
      samplePrediction = new float[capacity];
      sampleResidual = new float[capacity];
    }
  }

  @Override
  public void close() {
    network.close();
  }

  @Override
  public String toString() {
    return "ResidualCorrection[" + network + ", " + settings + "]";
  }
}
