package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;

/**
 * Simulates a sparse or semi-dense depth sensor by choosing pixels of a dense ground-truth map.
 *
 * <p>Both maps follow the {@link DepthMap} convention (metres, {@code 0f} = no measurement). A pattern clears
 * {@code sparseOut} and writes the chosen pixels' depths into it (possibly with simulated noise); ground-truth
 * pixels that are invalid ({@code 0}) are never sampled. The same pattern, input and seed always give the same
 * output ({@link java.util.SplittableRandom} seeded with {@code seed}). Implementations may keep scratch buffers
 * between calls and are not thread-safe.
 */
public interface SamplingPattern {

  /**
   * Samples {@code dense} into {@code sparseOut}.
   *
   * @throws IllegalArgumentException if the sizes differ or {@code dense} holds NaN, infinite or negative values
   */
  void sample(DepthMap dense, DepthMap sparseOut, long seed);

  /**
   * Samples with a guide image: patterns that follow image gradients use the gradients of {@code intensity}
   * (row-major, one value per pixel, any linear scale, for example RGB luma) instead of the depth gradients.
   * Patterns that do not use gradients ignore it; {@code null} means no guide.
   *
   * @throws IllegalArgumentException if {@code intensity} has the wrong length or a non-finite value
   */
  default void sample(DepthMap dense, float[] intensity, DepthMap sparseOut, long seed) {
    if (intensity != null) {
      SampleChecks.requireGuide(dense, intensity);
    }
    sample(dense, sparseOut, seed);
  }

  /** The canonical spec of this pattern with every parameter, which {@link SamplingPatterns#parse} accepts. */
  String spec();
}
