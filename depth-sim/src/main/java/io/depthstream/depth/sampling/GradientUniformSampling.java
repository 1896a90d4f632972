package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/**
 * Gradient plus uniform sampling ({@code gradient-uniform:fraction=0.05,p=0.05}), the seed study's combined
 * pattern: the union of {@link GradientSampling} (expected {@code fraction} of valid pixels along edges) and
 * {@link UniformSampling} (probability {@code p}), drawn from two independent streams split from the seed.
 */
public final class GradientUniformSampling implements SamplingPattern {
  private final GradientSampling gradient;
  private final double p;

  public GradientUniformSampling(double fraction, double p) {
    this.gradient = new GradientSampling(fraction);
    new UniformSampling(p); // validates p with the same message
    this.p = p;
  }

  @Override
  public void sample(DepthMap dense, DepthMap sparseOut, long seed) {
    sample(dense, null, sparseOut, seed);
  }

  @Override
  public void sample(DepthMap dense, float[] intensity, DepthMap sparseOut, long seed) {
    int valid = SampleChecks.begin("gradient-uniform", dense, intensity, sparseOut);
    SplittableRandom rnd = new SplittableRandom(seed);
    SplittableRandom uniformStream = rnd.split();
    gradient.sampleInto(dense, intensity, sparseOut.data(), valid, rnd);
    UniformSampling.sampleInto(dense.data(), sparseOut.data(), p, uniformStream);
  }

  @Override
  public String spec() {
    return "gradient-uniform:fraction=" + SpecParser.fmt(gradient.fraction()) + ",p=" + SpecParser.fmt(p);
  }
}
