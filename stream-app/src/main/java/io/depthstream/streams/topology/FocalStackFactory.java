package io.depthstream.streams.topology;

import io.depthstream.depth.focus.FocalStackEstimator;

/**
 * Opens a focal-stack depth estimator by its configured name ({@code depthstream.method.focal}): the classical
 * {@code depth-from-focus} or a focal-stack model by file stem. Each stream task opens its own estimator
 * (estimators keep buffers and are not thread-safe); model runners of one model file share one ONNX Runtime
 * session.
 */
@FunctionalInterface
public interface FocalStackFactory {
  /**
   * @throws IllegalArgumentException when no focal-stack method has that name (a depth model's included)
   * @throws io.depthstream.inference.ModelLoadException when the model is missing or not a focal-stack model
   */
  FocalStackEstimator open(String name);
}
