package io.depthstream.inference;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.LinearInterpolation;
import io.depthstream.depth.classical.SparseBlend;

/**
 * The fast path's density fallback: a fast-interpolation network, except for inputs whose measured pixels are
 * fewer than {@link #minDensity()} of the frame's pixels, which {@linkplain LinearInterpolation linear
 * interpolation} reconstructs instead: in the catalog's fast path blended with inpainting and nearest-fill
 * ({@link SparseBlend}, {@link #NEAREST_WEIGHT}, {@link #INPAINT_WEIGHT}).
 *
 * <p>Why: the fast network interpolates at a quarter of the resolution, where a frame of a few hundred samples
 * leaves most 4x4 blocks empty; below about 1 % of the pixels it trails linear interpolation of the same samples
 * (the synthetic validation in trainer/TRAINING.md, "Fast path density fallback", which chose
 * {@link #DEFAULT_MIN_DENSITY}; real data in tools/depth-tools/EVALUATION.md, "Issue 15, session 7: density
 * fallback"). Linear interpolation is cheap exactly there (a
 * Delaunay triangulation of few samples), so the sparse frames cost less than the network's, not more.
 *
 * <p>Which method produced a frame is {@link #lastFrameMethod()}: the node names it in DenseDepth.method and
 * model_version ({@code linear-inpaint-nearest-blend} and empty for a fallback frame of the catalog's). The measured pixels
 * are counted only up to the threshold (a 5 % frame stops after about a fifth of its pixels at the default), and a
 * frame at or above it runs the network as before. Both methods validate the input as they always do. Not
 * thread-safe: one instance per stream thread, as every reconstructor.
 */
public final class DensityFallback implements DepthReconstructor {
  /**
   * Default {@link #minDensity()}: 1 % of the pixels (3072 of 640x480). On the synthetic Kinect-like validation the
   * shipped {@code fast_interp_x4} trails linear interpolation at every density from 1e-4 to 7e-3 of the pixels
   * (by 2-30 % RMSE), is level with it at 1 % and ahead from 1.5 % on (trainer/TRAINING.md, "Fast path density
   * fallback").
   */
  public static final double DEFAULT_MIN_DENSITY = 0.01;

  /**
   * Nearest-fill's share in the catalog's fallback ({@link SparseBlend}), with {@link #INPAINT_WEIGHT}; linear
   * interpolation gets the remaining half. Both chosen by a rule fixed before the run on the synthetic Kinect-like
   * validation frames: the lowest worst 90th-percentile ratio, over 0.01-0.7 % of the pixels, of a draw's RMSE to
   * the best of linear, inpaint and nearest-fill on that draw: +12.9 % with these shares, +25.8 % with session 11's
   * 1/8 nearest-fill and 7/8 linear (trainer/TRAINING.md, "Fast path density fallback: a three-way blend").
   */
  public static final double NEAREST_WEIGHT = 0.125;

  /** Inpainting's share in the catalog's fallback ({@link #NEAREST_WEIGHT}). */
  public static final double INPAINT_WEIGHT = 0.375;

  private final DepthReconstructor network;
  private final DepthReconstructor fallback;
  private final double minDensity;
  private DepthReconstructor last;

  /**
   * Takes ownership of both methods (closed with this one).
   *
   * @param network the fast-interpolation method (same output size as its input)
   * @param fallback the method for frames below {@code minDensity}
   * @param minDensity measured pixels / all pixels below which {@code fallback} serves, in (0, 1]
   * @throws IllegalArgumentException if {@code minDensity} is outside (0, 1] or the network is not same-size
   */
  public DensityFallback(DepthReconstructor network, DepthReconstructor fallback, double minDensity) {
    if (!(minDensity > 0 && minDensity <= 1)) {
      throw new IllegalArgumentException("minDensity must be in (0, 1] (a share of the pixels), got " + minDensity);
    }
    if (network.scaleFactor() != 1 || fallback.scaleFactor() != 1) {
      throw new IllegalArgumentException(
          "a density fallback needs same-size methods; " + network.name() + " scales x" + network.scaleFactor());
    }
    this.network = network;
    this.fallback = fallback;
    this.minDensity = minDensity;
    this.last = network;
  }

  /** The network's name: the fallback is part of the configured method, not a method of its own. */
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

  /** Measured pixels / all pixels below which the fallback serves the frame. */
  public double minDensity() {
    return minDensity;
  }

  /** The network, or the fallback when the last input was below {@link #minDensity()}. */
  @Override
  public DepthReconstructor lastFrameMethod() {
    return last;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    // Fewer than minDensity * pixels measured: ceil, so a frame of exactly the threshold runs the network.
    int needed = (int) Math.min(Integer.MAX_VALUE, Math.ceil(minDensity * input.size()));
    DepthReconstructor chosen = countMeasured(input.data(), needed) < needed ? fallback : network;
    last = chosen;
    chosen.reconstruct(input, output);
  }

  /** Pixels with depth &gt; 0, counted until {@code limit} is reached (the answer is then {@code limit}). */
  static int countMeasured(float[] depth, int limit) {
    int count = 0;
    for (int i = 0; i < depth.length && count < limit; i++) {
      if (depth[i] > 0f) {
        count++;
      }
    }
    return count;
  }

  @Override
  public void close() {
    try {
      network.close();
    } finally {
      fallback.close();
    }
  }

  @Override
  public String toString() {
    return "DensityFallback[" + network + ", below " + minDensity + " of the pixels: " + fallback.name() + "]";
  }
}
