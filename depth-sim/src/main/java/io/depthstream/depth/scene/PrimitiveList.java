package io.depthstream.depth.scene;

import java.util.Arrays;

/** A growable, reusable array of primitives (cleared per frame, so nothing is allocated in steady state). */
final class PrimitiveList {
  private Primitive[] items = new Primitive[64];
  private int size;

  void add(Primitive p) {
    if (size == items.length) {
      items = Arrays.copyOf(items, 2 * size);
    }
    items[size++] = p;
  }

  void addAll(Primitive[] ps) {
    for (Primitive p : ps) {
      add(p);
    }
  }

  void clear() {
    Arrays.fill(items, 0, size, null);
    size = 0;
  }

  Primitive[] items() {
    return items;
  }

  int size() {
    return size;
  }

  Primitive[] toArray() {
    return Arrays.copyOf(items, size);
  }
}
