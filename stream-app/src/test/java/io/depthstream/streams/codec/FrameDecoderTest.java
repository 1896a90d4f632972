package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import io.depthstream.streams.TestFrames;
import io.depthstream.streams.codec.InvalidFrameException.Reason;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private final FrameDecoder decoder = new FrameDecoder(1 << 22, 1000.0);

  @Test
  void millimetresBecomeMetresAndZeroStaysNoMeasurement() throws Exception {
    DepthMap d = decoder.decode("k", TestFrames.millimetres("k", 1, 3, 1, 1234, 0, 65535).toByteArray()).depth();
    assertThat(d.data()).containsExactly(1.234f, 0f, 65.535f);
  }

  @Test
  void float32NanBecomesZero() throws Exception {
    DepthMap d = decoder.decode("k", TestFrames.metres("k", 1, 2, 1, Float.NaN, 2.5f).toByteArray()).depth();
    assertThat(d.data()).containsExactly(0f, 2.5f);
  }

  @Test
  void sparseSamplesAreScatteredAndTheNearestWinsOnRepeats() throws Exception {
    byte[] bytes = TestFrames.sparse("k", 1, 3, 2, new int[] {4, 1, 4}, new float[] {5f, 2f, 3f}).toByteArray();
    DepthMap d = decoder.decode("k", bytes).depth();
    assertThat(d.data()).containsExactly(0f, 2f, 0f, 0f, 3f, 0f);
  }

  @Test
  void theBufferIsReusedForFramesOfTheSameSize() throws Exception {
    DepthMap first = decoder.decode("k", TestFrames.flat("k", 1, 2, 2, 1000).toByteArray()).depth();
    DepthMap second = decoder.decode("k", TestFrames.sparse("k", 2, 2, 2, new int[] {3}, new float[] {4f})
        .toByteArray()).depth();
    assertThat(second).isSameAs(first);
    assertThat(second.data()).containsExactly(0f, 0f, 0f, 4f); // the sparse decode cleared the old values
  }

  @Test
  void infiniteAndTooFarDepthsAreRejectedWithThePixelNamed() {
    assertThatThrownBy(() -> decoder.decode("k", TestFrames.metres("k", 1, 2, 1, 1f, Float.POSITIVE_INFINITY)
        .toByteArray()))
        .isInstanceOfSatisfying(InvalidFrameException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_DEPTH))
        .hasMessageContaining("pixel 1");
    assertThatThrownBy(() -> decoder.decode("k", TestFrames.metres("k", 1, 1, 1, 5000f).toByteArray()))
        .hasMessageContaining("5000");
  }

  @Test
  void sparseLengthsMustAgree() {
    byte[] bytes = TestFrames.sparse("k", 1, 2, 2, new int[] {0, 1}, new float[] {1f}).toByteArray();
    assertThatThrownBy(() -> decoder.decode("k", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_SIZE_MISMATCH))
        .hasMessageContaining("2 indices but 1 depths");
  }

  @Test
  void intrinsicsForAnotherSizeAreRejected() {
    byte[] bytes = TestFrames.flat("k", 1, 2, 2, 1000).toBuilder().setIntrinsics(TestFrames.intrinsics(4, 4))
        .build().toByteArray();
    assertThatThrownBy(() -> decoder.decode("k", bytes)).hasMessageContaining("4x4").hasMessageContaining("2x2");
  }

  @Test
  void aConfiguredPixelLimitIsEnforced() {
    FrameDecoder small = new FrameDecoder(3, 1000.0);
    assertThatThrownBy(() -> small.decode("k", TestFrames.flat("k", 1, 2, 2, 1000).toByteArray()))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ABSURD_DIMENSIONS));
  }

  @Test
  void aNegativeCaptureTimeIsRejectedBecauseItCannotBecomeARecordTimestamp() {
    // Found by FrameCorpusTest: -1 ms and below made the processor's forward throw ("Timestamp may not be
    // negative"), which stopped the stream task.
    byte[] bytes = TestFrames.flat("k", 1, 2, 2, 1000).toBuilder()
        .setId(TestFrames.flat("k", 1, 2, 2, 1000).getId().toBuilder().setCaptureTimeNs(-1_000_000L))
        .build().toByteArray();
    assertThatThrownBy(() -> decoder.decode("k", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
        .hasMessageContaining("capture_time_ns -1000000");
  }

  @Test
  void aDensePayloadOfTheWrongSizeIsRejectedBeforeTheDeclaredMapIsAllocated() {
    // 2048x2048 is within the pixel limit, so only the payload size check can stop a 30-byte record from
    // costing a 16 MB map.
    byte[] bytes = TestFrames.millimetres("k", 1, 2048, 2048, 1000).toBuilder()
        .setIntrinsics(TestFrames.intrinsics(2048, 2048)).build().toByteArray();
    long before = allocatedBytes();
    assertThatThrownBy(() -> decoder.decode("k", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_SIZE_MISMATCH));
    assertThat(allocatedBytes() - before).as("bytes allocated while rejecting").isLessThan(1 << 20);
  }

  /** Bytes allocated so far by this thread (HotSpot's per-thread counter). */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
