/**
 * ONNX Runtime model runners behind the project's depth interfaces.
 *
 * <p>{@link io.depthstream.inference.ModelSession} loads and checks one model file (CUDA with a metered CPU
 * fallback) and hands out reference-counted handles on its session, so {@link io.depthstream.inference.MethodCatalog}
 * runs every stream task's instance of a model on one session; {@link io.depthstream.inference.OnnxReconstructor} runs the fast-interpolation and super-resolution
 * models as {@link io.depthstream.depth.DepthReconstructor}s; {@link io.depthstream.inference.FocalStackRunner}
 * runs the focal-stack model; {@link io.depthstream.inference.OnnxModels} resolves models by name. Timing them
 * is tooling ({@code tools/depth-tools}: {@code bench-methods}, {@code bench-model}), not part of this module.
 *
 * <p>Units: depth in metres in and out ({@code 0} = no measurement; the graphs normalise by their
 * {@code max_depth} inside), colours in [0, 1], sizes in pixels. Each runner owns its session handle and tensors,
 * reuses direct buffers per frame size (padded to the model's declared input multiple), and is
 * {@code AutoCloseable} with an idempotent {@code close()}. Concurrent runners of one model may micro-batch their
 * frames ({@code MicroBatcher}, off by default).
 */
package io.depthstream.inference;
