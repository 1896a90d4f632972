package io.depthstream.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Micro-batching of one shared session: frames of the same size that concurrent callers (stream threads) submit
 * within a short window are stacked along N into one {@code [N, C, H, W]} run, and each caller gets its own slice
 * of the {@code [N, 1, H', W']} output back. On a GPU, which one 640x480 frame leaves mostly idle, a batched run can
 * cost little more than a single one (not measured here: no GPU); on the CPU the work is the same and so is the
 * throughput (measured, module README).
 *
 * <p>Protocol (leader/follower, no extra thread): the first caller of a frame size becomes the batch's leader and
 * waits until the batch is full ({@code max}) or {@code linger} has passed since it arrived, whichever is first;
 * callers arriving in between join it and wait for the leader to hand them their output. The caller that fills a
 * batch hands it to its leader at once, so the next caller of that size starts a new batch. The leader runs the batch
 * outside the lock, so the next batch can form (and run) meanwhile. A frame therefore waits at most the linger
 * before its run starts. A batch of one runs on the caller's own tensors, without copying. Different sizes never
 * share a batch.
 *
 * <p>Memory: per frame size, the stacked input and output buffers of each batch size 2..max are made on first use
 * and pooled (one set per concurrently running batch), so steady state allocates nothing per frame; waiting is
 * {@link LockSupport} parking, which allocates nothing either. Closed with the session.
 */
final class MicroBatcher implements AutoCloseable {
  private final OrtSession session;
  private final String model;
  private final String inputName;
  private final String outputName;
  private final int max;
  private final long lingerNanos;
  private final List<Group> groups = new ArrayList<>();
  private boolean closed;
  private long stackedRuns;
  private int largestBatch;

  MicroBatcher(OrtSession session, String model, String inputName, String outputName, int max, long lingerMs) {
    if (max < 2) {
      throw new IllegalArgumentException("a micro-batcher needs batchMax >= 2, got " + max);
    }
    this.session = session;
    this.model = model;
    this.inputName = inputName;
    this.outputName = outputName;
    this.max = max;
    this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMs);
  }

  int max() {
    return max;
  }

  /** Runs of more than one frame so far (diagnostics, tests). */
  synchronized long stackedRuns() {
    return stackedRuns;
  }

  /** The most frames run together so far. */
  synchronized int largestBatch() {
    return largestBatch;
  }

  /**
   * One caller's frame: its own single-frame tensors (input {@code [1, channels, height, width]} and pinned output
   * {@code [1, outChannels, outHeight, outWidth]}), reused frame after frame by one runner. Filled by the caller before
   * {@link #run}; the output buffer holds the result when {@code run} returns.
   */
  static final class Request {
    final int channels;
    final int height;
    final int width;
    final int outChannels;
    final int outHeight;
    final int outWidth;
    final int inFloats;
    final int outFloats;
    final FloatBuffer in;
    final FloatBuffer out;
    final Map<String, OnnxTensor> inputs;
    final Map<String, OnnxValue> outputs;
    final Request[] batch;
    Thread waiter;
    volatile boolean done;
    Throwable failure;
    /** The group of this request's shape, found on its first run. */
    Group group;
    /** As leader: frames of its batch once taken over (guarded by the batcher's lock), 0 before. */
    int taken;

    Request(RunStrategy.Frame frame, int max) {
      this.channels = frame.channels();
      this.height = frame.height();
      this.width = frame.width();
      this.outChannels = frame.outChannels();
      this.outHeight = frame.outHeight();
      this.outWidth = frame.outWidth();
      this.inFloats = channels * height * width;
      this.outFloats = outChannels * outHeight * outWidth;
      this.in = frame.in();
      this.out = frame.out();
      this.inputs = frame.inputs();
      this.outputs = frame.outputs();
      this.batch = new Request[max];
    }
  }

  /** Requests of one input shape waiting for their leader, and the pooled stacked buffers of that shape. */
  private static final class Group {
    final int channels;
    final int height;
    final int width;
    final Request[] pending;
    int count;
    Request leader;
    long deadline;
    /** {@code free[n]}: idle stacked buffers for batches of n. */
    final List<ArrayDeque<Stacked>> free = new ArrayList<>();

    Group(Request r, int max) {
      this.channels = r.channels;
      this.height = r.height;
      this.width = r.width;
      this.pending = new Request[max];
      for (int n = 0; n <= max; n++) {
        free.add(new ArrayDeque<>());
      }
    }

    boolean fits(Request r) {
      return r.channels == channels && r.height == height && r.width == width;
    }
  }

  /** Stacked tensors of one batch size: direct buffers wrapped once, the output pinned. */
  private static final class Stacked {
    final FloatBuffer in;
    final FloatBuffer out;
    final OnnxTensor inTensor;
    final OnnxTensor outTensor;
    final Map<String, OnnxTensor> inputs;
    final Map<String, OnnxValue> outputs;

    Stacked(String inputName, String outputName, int n, Request r) throws OrtException {
      in = Tensors.directFloats((long) n * r.inFloats);
      out = Tensors.directFloats((long) n * r.outFloats);
      OnnxTensor it = Tensors.wrap(in, n, r.channels, r.height, r.width);
      try {
        outTensor = Tensors.wrap(out, n, r.outChannels, r.outHeight, r.outWidth);
      } catch (OrtException | RuntimeException e) {
        it.close();
        throw e;
      }
      inTensor = it;
      inputs = Map.of(inputName, inTensor);
      outputs = Map.of(outputName, outTensor);
    }

    void close() {
      inTensor.close();
      outTensor.close();
    }
  }

  /**
   * Runs {@code r}'s frame, alone or stacked with other callers' frames of the same shape; on return {@code r.out}
   * holds this frame's output.
   *
   * @throws OrtException if the (batched) run failed; every frame of that batch gets the failure
   */
  @SuppressWarnings("try") // outputs are pinned: each Result is closed, never read
  void run(Request r) throws OrtException {
    r.done = false;
    r.failure = null;
    r.waiter = Thread.currentThread();
    r.taken = 0;
    boolean leader;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(model + " is closed");
      }
      Group g = group(r);
      g.pending[g.count++] = r;
      leader = g.count == 1;
      if (leader) {
        g.leader = r;
        g.deadline = System.nanoTime() + lingerNanos;
      }
      if (g.count == max) {
        // Full: hand the batch to its leader now, so the next caller of this size starts a new one.
        Request head = g.leader;
        take(g);
        LockSupport.unpark(head.waiter);
      }
    }
    if (!leader) {
      // The frame is in the leader's hands: wait for it even if interrupted (the interrupt is kept for the caller;
      // cleared meanwhile, or park would return at once and this loop would spin).
      boolean interrupted = false;
      while (!r.done) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (r.failure != null) {
        rethrow(r.failure, true);
      }
      return;
    }
    int n = collect(r);
    Throwable failure = null;
    try {
      if (n == 1) {
        try (OrtSession.Result ignored = session.run(r.inputs, r.outputs)) {
          // Pinned output: ORT wrote into r.out.
        }
      } else {
        runStacked(r.group, r.batch, n);
      }
    } catch (Throwable t) { // handed to every follower below, then rethrown: nobody may be left parked
      failure = t;
    }
    for (int i = 1; i < n; i++) {
      Request f = r.batch[i];
      r.batch[i] = null;
      f.failure = failure;
      f.done = true;
      LockSupport.unpark(f.waiter);
    }
    r.batch[0] = null;
    if (failure != null) {
      rethrow(failure, false);
    }
  }

  /**
   * Waits (as leader) until the batch is full (taken over by the caller that filled it) or the linger is over, then
   * returns the number of frames in {@code r.batch}.
   */
  private int collect(Request r) {
    boolean interrupted = false;
    try {
      while (true) {
        long left;
        synchronized (this) {
          if (r.taken > 0) {
            return r.taken;
          }
          left = r.group.deadline - System.nanoTime();
          if (left <= 0) {
            take(r.group);
            return r.taken;
          }
        }
        // The caller that fills the batch unparks us early; a permit left from earlier only costs one more loop.
        LockSupport.parkNanos(this, left);
        interrupted |= Thread.interrupted(); // kept for the caller, as in run()
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Moves the forming batch of {@code g} into its leader's {@code batch} (under the lock) and resets the group. */
  private void take(Group g) {
    Request head = g.leader;
    int n = g.count;
    if (n > 1) {
      stackedRuns++;
    }
    largestBatch = Math.max(largestBatch, n);
    System.arraycopy(g.pending, 0, head.batch, 0, n);
    java.util.Arrays.fill(g.pending, 0, n, null);
    head.taken = n;
    g.count = 0;
    g.leader = null;
  }

  @SuppressWarnings("try") // outputs are pinned: each Result is closed, never read
  private void runStacked(Group g, Request[] batch, int n) throws OrtException {
    Stacked s = borrow(g, n, batch[0]);
    try {
      int in = batch[0].inFloats;
      int out = batch[0].outFloats;
      for (int i = 0; i < n; i++) {
        s.in.put(i * in, batch[i].in, 0, in);
      }
      try (OrtSession.Result ignored = session.run(s.inputs, s.outputs)) {
        // Pinned output: ORT wrote the N outputs into s.out, one after the other.
      }
      for (int i = 0; i < n; i++) {
        batch[i].out.put(0, s.out, i * out, out);
      }
    } finally {
      giveBack(g, n, s);
    }
  }

  private Stacked borrow(Group g, int n, Request r) throws OrtException {
    synchronized (this) {
      Stacked s = g.free.get(n).pollFirst();
      if (s != null) {
        return s;
      }
    }
    // First use of this batch size for this frame size (or more batches of it in flight than ever before).
    return new Stacked(inputName, outputName, n, r);
  }

  private void giveBack(Group g, int n, Stacked s) {
    synchronized (this) {
      if (closed) {
        s.close();
      } else {
        g.free.get(n).addFirst(s);
      }
    }
  }

  private Group group(Request r) {
    if (r.group != null) {
      return r.group;
    }
    for (int i = 0; i < groups.size(); i++) {
      Group g = groups.get(i);
      if (g.fits(r)) {
        r.group = g;
        return g;
      }
    }
    Group g = new Group(r, max);
    groups.add(g);
    r.group = g;
    return g;
  }

  /** Rethrows a batch failure; an {@link Error} of the leader's thread reaches a follower wrapped. */
  private static void rethrow(Throwable failure, boolean follower) throws OrtException {
    if (failure instanceof OrtException oe) {
      throw oe;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error e && !follower) {
      throw e;
    }
    throw new IllegalStateException("the batched run failed in the batch leader's thread: " + failure, failure);
  }

  /** Closes the pooled stacked tensors. Called by the session's last close, when no runner is running. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Group g : groups) {
      for (ArrayDeque<Stacked> pool : g.free) {
        pool.forEach(Stacked::close);
        pool.clear();
      }
    }
    groups.clear();
  }
}
