package io.depthstream.streams.topology;

/** One output of the processor: which topic it goes to and its serialized value. */
record Routed(Route route, byte[] value) {
  enum Route {
    DENSE,
    GUIDANCE,
    POINTS,
    DEAD_LETTER
  }
}
