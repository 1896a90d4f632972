package io.depthstream.streams.jitprobe;

/**
 * Hot code in a package of its own, for {@code JitDirectivesTest}: the test keeps this package out of C2 and checks
 * that the JIT then compiles {@link #mix} with C1 only.
 */
public final class ProbeLoop {
  private ProbeLoop() {}

  /** Calls {@link #mix} {@code n} times. */
  public static long spin(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += mix(i);
    }
    return sum;
  }

  static long mix(int i) {
    return Integer.rotateLeft(i * 0x9E3779B9, 7) ^ (i >>> 3);
  }
}
