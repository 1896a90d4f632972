package io.depthstream.depth.classical;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.DepthReconstructor;

/**
 * Linear interpolation, push-pull inpainting and nearest-fill of the same samples, blended per pixel
 * ({@value #NAME}): {@code wn * nearest + wi * inpaint + (1 - wn - wi) * linear}. The fast path's density fallback
 * serves its sparsest frames (a few hundred samples) with it.
 *
 * <p>Why a blend of three: at such densities no classical method leads on every frame. Linear interpolation blurs
 * across occlusion edges inside its large triangles, nearest-fill leaves steps on smooth surfaces, and inpainting's
 * smooth pyramid wins single draws by a wide margin (up to 20-30 % on real frames) and loses others. The errors of
 * the three differ enough that a blend stays near whichever is ahead on each draw; the shares were chosen on
 * synthetic validation frames by their worst 90th-percentile ratio to the best of the three on each draw
 * (trainer/TRAINING.md, "Fast path density fallback: a three-way blend").
 *
 * <p>A pixel where the three agree keeps their value exactly: a measured pixel keeps its depth, as all three copy
 * it. Not thread-safe; buffers are reused.
 */
public final class SparseBlend implements DepthReconstructor {
  /** The registry name. */
  public static final String NAME = "linear-inpaint-nearest-blend";

  private final LinearInterpolation linearNearest;
  private final PushPullInpaint inpaint = new PushPullInpaint();
  private final float inpaintWeight;
  private final double nearestWeight;
  private DepthMap inpainted;

  /**
   * @param nearestWeight {@code wn}, in [0, 1)
   * @param inpaintWeight {@code wi}, in (0, 1), with {@code wn + wi < 1}
   * @throws IllegalArgumentException if a weight is out of range or linear interpolation would get no share
   */
  public SparseBlend(double nearestWeight, double inpaintWeight) {
    if (!(nearestWeight >= 0 && inpaintWeight > 0 && nearestWeight + inpaintWeight < 1)) {
      throw new IllegalArgumentException("the blend needs nearestWeight >= 0, inpaintWeight > 0 and their sum below "
          + "1 (linear interpolation gets the rest), got " + nearestWeight + " and " + inpaintWeight);
    }
    this.nearestWeight = nearestWeight;
    this.inpaintWeight = (float) inpaintWeight;
    // Linear and nearest-fill of the same samples in their own proportion: LinearInterpolation makes both in one pass.
    double share = nearestWeight / (1 - inpaintWeight);
    this.linearNearest = share == 0 ? new LinearInterpolation() : LinearInterpolation.blendedWithNearest(share);
  }

  /** Nearest-fill's share of each pixel. */
  public double nearestWeight() {
    return nearestWeight;
  }

  /** Inpainting's share of each pixel. */
  public double inpaintWeight() {
    return inpaintWeight;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void reconstruct(DepthMap input, DepthMap output) {
    linearNearest.reconstruct(input, output); // checks sizes and depths
    if (inpainted == null || !inpainted.sameSizeAs(output)) {
      inpainted = DepthMap.allocate(output.width(), output.height());
    }
    inpaint.reconstruct(input, inpainted);
    LinearInterpolation.blend(inpainted.data(), output.data(), inpaintWeight);
  }
}
