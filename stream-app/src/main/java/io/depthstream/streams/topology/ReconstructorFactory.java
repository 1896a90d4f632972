package io.depthstream.streams.topology;

import io.depthstream.depth.DepthReconstructor;

/**
 * Creates a new reconstructor by method name. Each stream task creates its own instances, because
 * reconstructors keep scratch buffers and are not thread-safe.
 */
@FunctionalInterface
public interface ReconstructorFactory {
  /** @throws IllegalArgumentException listing the known names when {@code method} is unknown */
  DepthReconstructor create(String method);
}
