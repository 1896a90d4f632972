package io.depthstream.depth.classical;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a compare-exchange network that selects the median of {@code n} values (n odd): Batcher's odd-even
 * merge sort for the next power of two (Knuth, TAOCP vol. 3, 5.3.4), with the padding wires fixed at
 * {@code -inf}/{@code +inf} and simplified away, then pruned to the comparators the median output depends on.
 * A branch-free network lets the median filter run the same min/max on a whole row of pixels at once.
 */
final class SelectionNetwork {
  static final int BOTH = 0;
  static final int MIN_ONLY = 1;
  static final int MAX_ONLY = 2;

  private static final int VAR = 0;
  private static final int NEG = 1;
  private static final int POS = 2;

  private SelectionNetwork() {}

  /**
   * @return triples {@code (lowWire, highWire, mode)} to run in order, where a comparator stores the min in the
   *     low wire and the max in the high wire ({@code mode} says which of the two is used later), followed by
   *     the index of the wire that holds the median at the end
   */
  static int[] median(int n) {
    if (n <= 0 || n % 2 == 0) {
      throw new IllegalArgumentException("median network needs an odd positive size, got " + n);
    }
    int size = Integer.highestOneBit(n);
    if (size < n) {
      size <<= 1;
    }
    List<int[]> batcher = new ArrayList<>();
    oddEvenMergeSort(0, size, batcher);
    int pads = size - n;
    int negPads = pads / 2;
    // Position p holds wire slot[p] (0..n-1) or a constant.
    int[] slot = new int[size];
    int[] kind = new int[size];
    for (int p = 0; p < size; p++) {
      slot[p] = p < n ? p : -1;
      kind[p] = p < n ? VAR : (p < n + negPads ? NEG : POS);
    }
    List<int[]> emitted = new ArrayList<>();
    for (int[] c : batcher) {
      int p = c[0];
      int q = c[1];
      if (kind[p] == NEG || kind[q] == POS) {
        continue; // already in order whatever the other value is
      }
      if (kind[p] == POS || kind[q] == NEG) {
        swap(slot, p, q);
        swap(kind, p, q);
        continue; // known to be out of order: a relabelling, no work
      }
      emitted.add(new int[] {slot[p], slot[q]});
    }
    int outWire = slot[n / 2 + negPads];
    // Backward pass: keep a comparator only if one of its outputs is still needed.
    boolean[] needed = new boolean[n];
    needed[outWire] = true;
    List<int[]> kept = new ArrayList<>();
    for (int i = emitted.size() - 1; i >= 0; i--) {
      int a = emitted.get(i)[0];
      int b = emitted.get(i)[1];
      if (!needed[a] && !needed[b]) {
        continue;
      }
      int mode = needed[a] && needed[b] ? BOTH : (needed[a] ? MIN_ONLY : MAX_ONLY);
      kept.add(0, new int[] {a, b, mode});
      needed[a] = true;
      needed[b] = true;
    }
    int[] net = new int[kept.size() * 3 + 1];
    for (int i = 0; i < kept.size(); i++) {
      System.arraycopy(kept.get(i), 0, net, 3 * i, 3);
    }
    net[net.length - 1] = outWire;
    return net;
  }

  /** Batcher's odd-even merge sort on positions [lo, lo + n), n a power of two. */
  private static void oddEvenMergeSort(int lo, int n, List<int[]> out) {
    if (n > 1) {
      int m = n / 2;
      oddEvenMergeSort(lo, m, out);
      oddEvenMergeSort(lo + m, m, out);
      oddEvenMerge(lo, n, 1, out);
    }
  }

  private static void oddEvenMerge(int lo, int n, int r, List<int[]> out) {
    int m = r * 2;
    if (m < n) {
      oddEvenMerge(lo, n, m, out);
      oddEvenMerge(lo + r, n, m, out);
      for (int i = lo + r; i + r < lo + n; i += m) {
        out.add(new int[] {i, i + r});
      }
    } else {
      out.add(new int[] {lo, lo + r});
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
