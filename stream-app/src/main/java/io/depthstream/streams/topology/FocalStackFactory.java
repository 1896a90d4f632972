package io.depthstream.streams.topology;

import io.depthstream.inference.FocalStackRunner;

/**
 * Opens a focal-stack runner by model name. Each stream task opens its own runner (runners keep tensors and are
 * not thread-safe); runners of one model file share one ONNX Runtime session.
 */
@FunctionalInterface
public interface FocalStackFactory {
  /**
   * @throws IllegalArgumentException when {@code model} is not a valid file stem
   * @throws io.depthstream.inference.ModelLoadException when the model is missing or not a focal-stack model
   */
  FocalStackRunner open(String model);
}
