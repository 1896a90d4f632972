package io.depthstream.depth;

/**
 * Turns one input depth map (sparse samples, a map with holes, or a low-resolution map) into a dense map of
 * the output's size. Classical methods and learned models implement it, so the stream, the evaluator and the
 * benchmarks treat every method alike.
 *
 * <p>Both maps follow the {@link DepthMap} convention (metres, 0 = no measurement). Implementations write
 * every output pixel, keep scratch buffers between calls (sized on first use, reallocated only when the frame
 * size changes) and are not thread-safe: use one instance per stream thread.
 */
public interface DepthReconstructor extends AutoCloseable {

  /** A short stable name, used in configuration, results and metrics (for example {@code nearest-fill}). */
  String name();

  /**
   * The version of the method's parameters, recorded with every result: for learned models a prefix of the model
   * file's sha256; empty for classical methods, whose version is the code's.
   */
  default String modelVersion() {
    return "";
  }

  /**
   * How many times larger than the input each output side is: 1 for densification (same size), the factor for
   * super-resolution. Callers size the output as {@code input * scaleFactor()} per side.
   */
  default int scaleFactor() {
    return 1;
  }

  /** Whether the method was asked to run on a GPU and runs on the CPU instead; classical methods never do. */
  default boolean fellBackToCpu() {
    return false;
  }

  /**
   * Reconstructs {@code input} into {@code output}.
   *
   * @throws IllegalArgumentException if the sizes are not supported by this method (the message names both)
   */
  void reconstruct(DepthMap input, DepthMap output);

  /**
   * The method that produced the output of the last {@link #reconstruct} call: this one, unless this method hands
   * some inputs to another (the fast path's density fallback gives inputs too sparse for its network to linear
   * interpolation). Its {@link #name()} and {@link #modelVersion()} are what that frame's output should name
   * (DenseDepth.method and model_version).
   */
  default DepthReconstructor lastFrameMethod() {
    return this;
  }

  /** Releases native resources; safe to call twice. Classical methods hold none. */
  @Override
  default void close() {}
}
