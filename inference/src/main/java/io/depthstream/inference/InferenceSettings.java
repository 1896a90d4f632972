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
 *     (one per physical core). Measured here: 2 on the 2-core box (see ENVIRONMENT.md), also for 2 sensors
 *     sharing one session with spinning off (module README). The pool belongs to the session, and one session per
 *     model is shared by all stream tasks ({@link MethodCatalog}).
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
 * @param spinning whether idle intra-op (and inter-op) pool threads spin-wait for the next operator
 *     ({@code session.intra_op.allow_spinning}); ORT spins by default, which lowers latency on an idle machine but
 *     burns the cores other sessions and stream threads need on a small one (measured: see the module README)
 * @param batchMax most frames stacked into one {@code [N, C, H, W]} run (micro-batching of concurrent callers that
 *     share a model session and frame size), {@code >= 1}; {@code 1} = off, every frame runs alone
 * @param batchLingerMs milliseconds the first frame of a batch waits for company before it runs with what has
 *     arrived, in {@code [0, }{@value #MAX_LINGER_MS}{@code ]}; ignored when {@code batchMax} is 1
 */
public record InferenceSettings(
    int intraOpThreads,
    int interOpThreads,
    ExecutionProvider executionProvider,
    int cudaDeviceId,
    long gpuMemLimitBytes,
    ArenaStrategy arenaStrategy,
    OptimizationLevel optimizationLevel,
    boolean spinning,
    int batchMax,
    long batchLingerMs) {

  /** Upper bound on either thread count: far beyond any real machine, low enough to catch a typo. */
  public static final int MAX_THREADS = 1024;

  /** Upper bound on {@code batchMax}: a batch is frames of one model from concurrent stream threads. */
  public static final int MAX_BATCH = 64;

  /** Upper bound on {@code batchLingerMs}: a longer wait would exceed any real-time budget. */
  public static final long MAX_LINGER_MS = 1000;

  /** Spin-waiting default: see {@link #spinning()} and the measurement in the module README. */
  public static final boolean DEFAULT_SPINNING = false;

  /** Linger default when batching is switched on, in milliseconds. */
  public static final long DEFAULT_BATCH_LINGER_MS = 2;

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
    if (batchMax < 1 || batchMax > MAX_BATCH) {
      throw new IllegalArgumentException(
          "batchMax must be in [1, " + MAX_BATCH + "] (1 = no micro-batching), got " + batchMax);
    }
    if (batchLingerMs < 0 || batchLingerMs > MAX_LINGER_MS) {
      throw new IllegalArgumentException(
          "batchLingerMs must be in [0, " + MAX_LINGER_MS + "] milliseconds, got " + batchLingerMs);
    }
  }

  /**
   * The settings without the spinning and batching components: spinning {@value #DEFAULT_SPINNING}, no
   * micro-batching.
   */
  public InferenceSettings(
      int intraOpThreads, int interOpThreads, ExecutionProvider executionProvider, int cudaDeviceId,
      long gpuMemLimitBytes, ArenaStrategy arenaStrategy, OptimizationLevel optimizationLevel) {
    this(intraOpThreads, interOpThreads, executionProvider, cudaDeviceId, gpuMemLimitBytes, arenaStrategy,
        optimizationLevel, DEFAULT_SPINNING, 1, DEFAULT_BATCH_LINGER_MS);
  }

  /** Intra-op threads of {@link #defaults()}: see the measurement in the module README. */
  public static final int DEFAULT_INTRA_OP_THREADS = 2;

  /**
   * CPU, {@value #DEFAULT_INTRA_OP_THREADS} intra-op threads, 1 inter-op thread, all optimisations, spinning
   * {@value #DEFAULT_SPINNING}, no micro-batching: what was measured best on the 2-core box.
   */
  public static InferenceSettings defaults() {
    return new InferenceSettings(DEFAULT_INTRA_OP_THREADS, 1, ExecutionProvider.CPU, 0, 0L,
        ArenaStrategy.NEXT_POWER_OF_TWO, OptimizationLevel.ALL, DEFAULT_SPINNING, 1, DEFAULT_BATCH_LINGER_MS);
  }

  /** A copy with another execution provider. */
  public InferenceSettings withExecutionProvider(ExecutionProvider provider) {
    return new InferenceSettings(intraOpThreads, interOpThreads, provider, cudaDeviceId, gpuMemLimitBytes,
        arenaStrategy, optimizationLevel, spinning, batchMax, batchLingerMs);
  }

  /** A copy with another intra-op thread count. */
  public InferenceSettings withIntraOpThreads(int threads) {
    return new InferenceSettings(threads, interOpThreads, executionProvider, cudaDeviceId, gpuMemLimitBytes,
        arenaStrategy, optimizationLevel, spinning, batchMax, batchLingerMs);
  }

  /** A copy with spin-waiting on or off. */
  public InferenceSettings withSpinning(boolean spin) {
    return new InferenceSettings(intraOpThreads, interOpThreads, executionProvider, cudaDeviceId, gpuMemLimitBytes,
        arenaStrategy, optimizationLevel, spin, batchMax, batchLingerMs);
  }

  /** A copy with other micro-batching settings ({@code max} 1 = off). */
  public InferenceSettings withBatching(int max, long lingerMs) {
    return new InferenceSettings(intraOpThreads, interOpThreads, executionProvider, cudaDeviceId, gpuMemLimitBytes,
        arenaStrategy, optimizationLevel, spinning, max, lingerMs);
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
      throw new IllegalArgumentException(
          setting + ": unknown execution provider '" + value + "', expected cpu or cuda");
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
        + ", optimizationLevel=" + Objects.toString(optimizationLevel) + ", spinning=" + spinning
        + ", batchMax=" + batchMax + ", batchLingerMs=" + batchLingerMs + "]";
  }
}
