package io.depthstream.depth.classical;

import io.depthstream.depth.DepthReconstructor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Registry of the classical (CPU, model-free) densification methods, by their stable names. These are the
 * baselines every learned model must beat.
 */
public final class ClassicalMethods {
  private static final Map<String, Supplier<DepthReconstructor>> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put(NearestValidFill.NAME, NearestValidFill::new);
    FACTORIES.put(MorphologicalFill.NAME, MorphologicalFill::new);
    FACTORIES.put(PushPullInpaint.NAME, PushPullInpaint::new);
    FACTORIES.put(LinearInterpolation.NAME, LinearInterpolation::new);
  }

  private ClassicalMethods() {}

  /** The known method names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  /**
   * A new instance of the named method (each instance owns its scratch buffers; use one per thread).
   *
   * @throws IllegalArgumentException if the name is unknown, listing the known names
   */
  public static DepthReconstructor create(String name) {
    Supplier<DepthReconstructor> factory = name == null ? null : FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown classical method '" + name + "'; known methods: " + String.join(", ", names()));
    }
    return factory.get();
  }
}
