package io.depthstream.inference;

import java.util.List;

/**
 * One float32 tensor a caller expects a model to declare: its name and its dimensions, each either a fixed size
 * ({@code "2"}) or a symbolic one ({@code "N"}, {@code "H"}) that the model may leave dynamic or fix to anything.
 *
 * @param name the graph input or output name
 * @param dims one label per dimension; the rank is {@code dims.size()}
 */
public record TensorSpec(String name, List<String> dims) {

  public TensorSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must be non-empty");
    }
    if (dims == null || dims.isEmpty()) {
      throw new IllegalArgumentException("tensor " + name + " needs at least one dimension");
    }
    dims = List.copyOf(dims);
  }

  /** Shorthand: {@code TensorSpec.of("sparse", "N", "2", "H", "W")}. */
  public static TensorSpec of(String name, String... dims) {
    return new TensorSpec(name, List.of(dims));
  }

  public int rank() {
    return dims.size();
  }

  /** The fixed size of dimension {@code i}, or -1 when it is symbolic. */
  public long fixedSize(int i) {
    String d = dims.get(i);
    for (int k = 0; k < d.length(); k++) {
      if (!Character.isDigit(d.charAt(k))) {
        return -1;
      }
    }
    return Long.parseLong(d);
  }

  /**
   * Whether a model's declared shape fits: same rank, and every fixed dimension here is either dynamic there
   * (ORT reports {@code -1}) or equal.
   */
  public boolean accepts(long[] declaredShape) {
    if (declaredShape.length != dims.size()) {
      return false;
    }
    for (int i = 0; i < declaredShape.length; i++) {
      long want = fixedSize(i);
      if (want >= 0 && declaredShape[i] >= 0 && declaredShape[i] != want) {
        return false;
      }
    }
    return true;
  }

  /** {@code sparse[N, 2, H, W]} (rank 4). */
  @Override
  public String toString() {
    return name + dims + " (rank " + dims.size() + ")";
  }
}
