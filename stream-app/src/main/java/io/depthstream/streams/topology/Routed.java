package io.depthstream.streams.topology;

/** One output of the processor: which topic it goes to and its serialized value. */
record Routed(Route route, byte[] value) {
  /** The outputs, each with the name of its branch in the topology (route-&lt;raw topic&gt;-&lt;branch&gt;). */
  enum Route {
    DENSE("dense"),
    GUIDANCE("guidance"),
    DEAD_LETTER("dead-letter"),
    POINTS("points"),
    FOXGLOVE_IMAGE("foxglove-image"),
    FOXGLOVE_CALIBRATION("foxglove-calibration"),
    FOXGLOVE_SCAN("foxglove-scan");

    private final String branch;

    Route(String branch) {
      this.branch = branch;
    }

    String branch() {
      return branch;
    }
  }
}
