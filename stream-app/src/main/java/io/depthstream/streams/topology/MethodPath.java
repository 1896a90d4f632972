package io.depthstream.streams.topology;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.streams.codec.DecodedFrame;
import java.util.function.Function;

/**
 * What every {@link FramePath} keeps between frames: its method, opened on first use (so a task that never sees a
 * frame never loads a model) and closed with it, the reused output map and the support map.
 *
 * @param <I> the decoded input
 * @param <M> the method: a reconstructor or a focal-stack estimator
 */
abstract class MethodPath<I extends DecodedFrame, M extends AutoCloseable> implements FramePath<I> {
  private final String method;
  private final Function<String, M> open;
  protected final SupportMap support = new SupportMap();
  private M instance;
  private DepthMap output;

  MethodPath(String method, Function<String, M> open) {
    this.method = method;
    this.open = open;
  }

  @Override
  public final String method() {
    return method;
  }

  /** The method, opened on first use. */
  protected final M instance() {
    if (instance == null) {
      instance = open.apply(method);
    }
    return instance;
  }

  /** The output map, {@code width x height}: allocated once and again only when the size changes. */
  protected final DepthMap output(int width, int height) {
    if (output == null || output.width() != width || output.height() != height) {
      output = DepthMap.allocate(width, height);
    }
    return output;
  }

  @Override
  public final void close() {
    try {
      closeOthers();
    } finally {
      closeInstance();
    }
  }

  /** Closes what a path opened besides its method (nothing here). */
  protected void closeOthers() {}

  private void closeInstance() {
    if (instance != null) {
      try {
        instance.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + method + " failed", e);
      } finally {
        instance = null;
      }
    }
  }
}
