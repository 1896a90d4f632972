package io.depthstream.inference;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The graph inputs and outputs a runner needs from a model file, checked when the file is loaded so that a wrong
 * or stale model fails at start-up, naming what was expected, rather than on the first frame.
 *
 * @param kind a short label for messages ({@code fast interpolation}, {@code super-resolution}, ...)
 * @param inputs every graph input, exactly (no more, no fewer)
 * @param outputs graph outputs the runner reads (the model may declare more)
 */
public record ModelSignature(String kind, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  /** Fast interpolation: channel 0 sparse depth in metres (0 = none), channel 1 validity mask (1/0). */
  public static final ModelSignature FAST =
      new ModelSignature(
          "fast interpolation",
          List.of(TensorSpec.of("sparse", "N", "2", "H", "W")),
          List.of(TensorSpec.of("depth", "N", "1", "H", "W")));

  /**
   * Fast interpolation in block layout (space-to-depth by the block size b of the model's
   * {@value ModelLoader#BLOCK_SIZE_KEY} metadata, which the loader requires and checks against C = 2 b^2 and
   * B = b^2): input channel {@code c b^2 + i b + j} at (y, x) is pixel (b y + i, b x + j) of channel c of the
   * {@link #FAST} input, output channel {@code i b + j} at (y, x) is pixel (b y + i, b x + j) of its output. The
   * runner packs and unpacks in its copy loops, so the graph has no full-resolution tensor (issue 16).
   */
  public static final ModelSignature FAST_BLOCKS =
      new ModelSignature(
          "fast interpolation (block layout)",
          List.of(TensorSpec.of("sparse_blocks", "N", "C", "h", "w")),
          List.of(TensorSpec.of("depth_blocks", "N", "B", "h", "w")));

  /** Super-resolution: low-resolution depth in metres (0 = hole) to depth at {@code factor} times the size. */
  public static final ModelSignature SUPER_RESOLUTION =
      new ModelSignature(
          "super-resolution",
          List.of(TensorSpec.of("low_res", "N", "1", "h", "w")),
          List.of(TensorSpec.of("depth", "N", "1", "H", "W")));

  /** Focal stack: T RGB images in [0, 1] and their focus distances in metres, near to far. */
  public static final ModelSignature FOCAL_STACK =
      new ModelSignature(
          "focal stack",
          List.of(TensorSpec.of("stack", "N", "T", "3", "H", "W"), TensorSpec.of("focus", "N", "T")),
          List.of(TensorSpec.of("depth", "N", "1", "H", "W")));

  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException(kind + ": a signature needs at least one input and one output");
    }
  }

  /** {@code super-resolution: inputs low_res[N, 1, h, w] (rank 4) -> outputs depth[N, 1, H, W] (rank 4)}. */
  public String describe() {
    return kind + ": inputs " + join(inputs) + " -> outputs " + join(outputs);
  }

  private static String join(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::toString).collect(Collectors.joining(", "));
  }
}
