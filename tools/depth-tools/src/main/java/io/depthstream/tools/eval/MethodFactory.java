package io.depthstream.tools.eval;

import io.depthstream.depth.DepthReconstructor;
import io.depthstream.depth.classical.ClassicalMethods;
import io.depthstream.depth.resample.Interpolation;
import io.depthstream.depth.resample.Resampler;
import io.depthstream.inference.InferenceSettings;
import io.depthstream.inference.MethodCatalog;
import io.depthstream.inference.ResidualCorrection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves a method name to a new {@link DepthReconstructor}. The evaluator asks a chain of factories in order, so
 * learned models (an ONNX factory that looks in {@code models/}) plug in without touching the evaluator.
 */
public interface MethodFactory {

  /** A new instance for {@code name}, or empty if this factory does not know it. */
  Optional<DepthReconstructor> create(String name);

  /** Names this factory knows, for help and error messages. */
  List<String> names();

  /** Upsampling baselines for super-resolution: {@code nearest}, {@code bilinear}, {@code bicubic}, {@code area}. */
  MethodFactory UPSAMPLING = new MethodFactory() {
    @Override
    public Optional<DepthReconstructor> create(String name) {
      for (Interpolation k : Interpolation.values()) {
        if (k.name().toLowerCase(Locale.ROOT).equals(name)) {
          return Optional.of(new UpsamplingReconstructor(k));
        }
      }
      return Optional.empty();
    }

    @Override
    public List<String> names() {
      return List.of("nearest", "bilinear", "bicubic", "area");
    }
  };

  /**
   * The classical sparse-to-dense methods of {@link ClassicalMethods} (nearest-fill, morphological, inpaint and the
   * {@code linear} baseline), the same classes the node runs.
   */
  MethodFactory CLASSICAL = new MethodFactory() {
    @Override
    public Optional<DepthReconstructor> create(String name) {
      return ClassicalMethods.names().contains(name) ? Optional.of(ClassicalMethods.create(name)) : Optional.empty();
    }

    @Override
    public List<String> names() {
      return ClassicalMethods.names();
    }
  };

  /**
   * The ONNX models of {@code modelsDir}, by file stem ({@code fast_interp_x4} for
   * {@code models/fast_interp_x4.onnx}), run on the CPU with the default inference settings; focal-stack models
   * are not offered (they take image stacks, not depth). Fast-path models
   * fit the sparse task, super-resolution models the sr task (their factor must match {@code --factor}).
   *
   * @param fastFallbackDensity the fast models' density fallback, as the node's
   *     {@code depthstream.fast.fallback.density} (0 = the network on every input)
   * @param fastResidual the fast models' residual correction, as the node's {@code depthstream.fast.residual}
   */
  static MethodFactory onnx(Path modelsDir, double fastFallbackDensity, ResidualCorrection.Settings fastResidual) {
    MethodCatalog catalog =
        new MethodCatalog(modelsDir, InferenceSettings.defaults(), fastFallbackDensity, fastResidual);
    return new MethodFactory() {
      @Override
      public Optional<DepthReconstructor> create(String name) {
        return names().contains(name) ? Optional.of(catalog.createDepth(name)) : Optional.empty();
      }

      @Override
      public List<String> names() {
        return catalog.models(MethodCatalog.Role.DEPTH);
      }
    };
  }

  /**
   * The first factory in {@code chain} that knows {@code name}.
   *
   * @throws IllegalArgumentException listing every known name if none does
   */
  static DepthReconstructor resolve(String name, List<MethodFactory> chain) {
    List<String> known = new ArrayList<>();
    for (MethodFactory f : chain) {
      Optional<DepthReconstructor> r = f.create(name);
      if (r.isPresent()) {
        return r.get();
      }
      known.addAll(f.names());
    }
    throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", known));
  }

  /** Upscales the (smaller) input to the output's size with a {@link Resampler}; holes stay holes. */
  final class UpsamplingReconstructor implements DepthReconstructor {
    private final Resampler resampler;
    private final String name;

    public UpsamplingReconstructor(Interpolation kind) {
      this.resampler = new Resampler(kind);
      this.name = kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void reconstruct(io.depthstream.depth.DepthMap input, io.depthstream.depth.DepthMap output) {
      resampler.resize(input, output);
    }
  }
}
