package io.depthstream.inference;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;
import java.util.Objects;

/**
 * How an ONNX Runtime session is built: threads, execution provider and memory.
 *
 * <p>Every component is checked in the constructor; a bad value throws {@link IllegalArgumentException} whose
 * message starts with the component's name (for example {@code intraOpThreads}), so a configuration layer can
 * map it back to its key.
 *
 * @param intraOpThreads threads used inside one operator (the convolutions); {@code 0} = ONNX Runtime's default
 *     (one per physical core). Measured here: 2 on the 2-core box (see ENVIRONMENT.md).
 * @param interOpThreads threads running independent graph branches; {@code 0} = ONNX Runtime's default. The
 *     shipped graphs are chains, so 1 is enough.
 * @param executionProvider where the graph runs; {@link ExecutionProvider#CUDA} falls back to the CPU (logged,
 *     {@link ModelSession#fellBackToCpu()}) when CUDA cannot start
 * @param cudaDeviceId CUDA device ordinal, {@code >= 0}; ignored on the CPU
 * @param gpuMemLimitBytes cap of the CUDA arena in bytes; {@code 0} = no cap (ONNX Runtime's default); ignored on
 *     the CPU
 * @param arenaStrategy how the CUDA arena grows ({@code arena_extend_strategy}); the Java API exposes no such
 *     choice for the CPU arena, so it is ignored on the CPU
 * @param optimizationLevel graph optimisation level; {@link OptimizationLevel#ALL} is ORT's default and measured
 *     1.15 to 1.4x faster than {@code BASIC} here
 */
public record InferenceSettings(
    int intraOpThreads,
    int interOpThreads,
    ExecutionProvider executionProvider,
    int cudaDeviceId,
    long gpuMemLimitBytes,
    ArenaStrategy arenaStrategy,
    OptimizationLevel optimizationLevel) {

  /** Upper bound on either thread count: far beyond any real machine, low enough to catch a typo. */
  public static final int MAX_THREADS = 1024;

  public InferenceSettings {
    requireThreads("intraOpThreads", intraOpThreads);
    requireThreads("interOpThreads", interOpThreads);
    if (executionProvider == null) {
      throw new IllegalArgumentException("executionProvider must be set (cpu or cuda)");
    }
    if (cudaDeviceId < 0) {
      throw new IllegalArgumentException("cudaDeviceId must be >= 0, got " + cudaDeviceId);
    }
    if (gpuMemLimitBytes < 0) {
      throw new IllegalArgumentException(
          "gpuMemLimitBytes must be >= 0 (0 = no limit), got " + gpuMemLimitBytes);
    }
    if (arenaStrategy == null) {
      throw new IllegalArgumentException("arenaStrategy must be set (kNextPowerOfTwo or kSameAsRequested)");
    }
    if (optimizationLevel == null) {
      throw new IllegalArgumentException("optimizationLevel must be set (none, basic, extended or all)");
    }
  }

  /** CPU, 2 intra-op threads, 1 inter-op thread, all optimisations: what was measured on the 2-core box. */
  public static InferenceSettings defaults() {
    return new InferenceSettings(
        2, 1, ExecutionProvider.CPU, 0, 0L, ArenaStrategy.NEXT_POWER_OF_TWO, OptimizationLevel.ALL);
  }

  /** A copy with another execution provider. */
  public InferenceSettings withExecutionProvider(ExecutionProvider provider) {
    return new InferenceSettings(
        intraOpThreads, interOpThreads, provider, cudaDeviceId, gpuMemLimitBytes, arenaStrategy,
        optimizationLevel);
  }

  /** A copy with another intra-op thread count. */
  public InferenceSettings withIntraOpThreads(int threads) {
    return new InferenceSettings(
        threads, interOpThreads, executionProvider, cudaDeviceId, gpuMemLimitBytes, arenaStrategy,
        optimizationLevel);
  }

  private static void requireThreads(String name, int value) {
    if (value < 0 || value > MAX_THREADS) {
      throw new IllegalArgumentException(
          name + " must be in [0, " + MAX_THREADS + "] (0 = ONNX Runtime's default), got " + value);
    }
  }

  /** Where the graph runs. */
  public enum ExecutionProvider {
    CPU("cpu"),
    CUDA("cuda");

    private final String id;

    ExecutionProvider(String id) {
      this.id = id;
    }

    /** The configuration spelling, {@code cpu} or {@code cuda}. */
    public String id() {
      return id;
    }

    /**
     * Parses {@code cpu} or {@code cuda} (case-insensitive).
     *
     * @param setting the configuration key, named in the error
     * @throws IllegalArgumentException naming the setting, the value and the accepted values
     */
    public static ExecutionProvider parse(String setting, String value) {
      for (ExecutionProvider p : values()) {
        if (p.id.equalsIgnoreCase(value == null ? "" : value.trim())) {
          return p;
        }
      }
      throw new IllegalArgumentException(setting + ": unknown execution provider '" + value + "', expected cpu or cuda");
    }
  }

  /** Growth policy of the CUDA memory arena, ONNX Runtime's {@code arena_extend_strategy}. */
  public enum ArenaStrategy {
    /** Grow by doubling: fewer allocations, up to 2x over-allocation. ORT's default. */
    NEXT_POWER_OF_TWO("kNextPowerOfTwo"),
    /** Grow by exactly what is requested: tighter memory, more allocations while shapes settle. */
    SAME_AS_REQUESTED("kSameAsRequested");

    private final String ortName;

    ArenaStrategy(String ortName) {
      this.ortName = ortName;
    }

    /** The value ONNX Runtime's CUDA provider option takes. */
    public String ortName() {
      return ortName;
    }

    /**
     * Parses {@code kNextPowerOfTwo} or {@code kSameAsRequested} (case-insensitive, the leading {@code k} optional).
     *
     * @throws IllegalArgumentException naming the setting, the value and the accepted values
     */
    public static ArenaStrategy parse(String setting, String value) {
      String v = value == null ? "" : value.trim();
      for (ArenaStrategy s : values()) {
        if (s.ortName.equalsIgnoreCase(v) || s.ortName.substring(1).equalsIgnoreCase(v)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          setting + ": unknown arena strategy '" + value + "', expected kNextPowerOfTwo or kSameAsRequested");
    }
  }

  /** Graph optimisation level, ONNX Runtime's {@code GraphOptimizationLevel}. */
  public enum OptimizationLevel {
    NONE(OptLevel.NO_OPT),
    BASIC(OptLevel.BASIC_OPT),
    EXTENDED(OptLevel.EXTENDED_OPT),
    ALL(OptLevel.ALL_OPT);

    private final OptLevel ort;

    OptimizationLevel(OptLevel ort) {
      this.ort = ort;
    }

    OptLevel ort() {
      return ort;
    }

    /**
     * Parses {@code none|basic|extended|all} or ORT's names ({@code NO_OPT}, {@code ALL_OPT}, ...),
     * case-insensitive.
     *
     * @throws IllegalArgumentException naming the setting, the value and the accepted values
     */
    public static OptimizationLevel parse(String setting, String value) {
      String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
      for (OptimizationLevel l : values()) {
        if (l.name().equals(v) || l.ort.name().equals(v)) {
          return l;
        }
      }
      throw new IllegalArgumentException(
          setting + ": unknown optimisation level '" + value + "', expected none, basic, extended or all");
    }
  }

  @Override
  public String toString() {
    return "InferenceSettings[intraOpThreads=" + intraOpThreads + ", interOpThreads=" + interOpThreads
        + ", executionProvider=" + executionProvider.id() + ", cudaDeviceId=" + cudaDeviceId
        + ", gpuMemLimitBytes=" + gpuMemLimitBytes + ", arenaStrategy=" + arenaStrategy.ortName()
        + ", optimizationLevel=" + Objects.toString(optimizationLevel) + "]";
  }
}
