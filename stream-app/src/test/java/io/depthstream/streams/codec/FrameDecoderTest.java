package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.streams.TestFrames;
import io.depthstream.proto.kafka.DeadLetterReason;
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
    FrameDecoder.Decoded decoded = decoder.decode("k", bytes);
    assertThat(decoded.depth().data()).containsExactly(0f, 2f, 0f, 0f, 3f, 0f);
    assertMeasuredBitsMatchTheDepth(decoded);
  }

  /** The decoder marks exactly the pixels with depth > 0, whatever the payload (the support map relies on it). */
  private static void assertMeasuredBitsMatchTheDepth(FrameDecoder.Decoded decoded) {
    DepthMap d = decoded.depth();
    for (int i = 0; i < d.size(); i++) {
      assertThat(decoded.measured().get(i % d.width(), i / d.width())).as("pixel %d", i).isEqualTo(d.data()[i] > 0f);
    }
  }

  @Test
  void everyPayloadMarksItsMeasuredPixels() throws Exception {
    java.util.Random random = new java.util.Random(5);
    float[] metres = new float[70 * 3];
    for (int i = 0; i < metres.length; i++) {
      metres[i] = random.nextInt(4) == 0 ? 0f : random.nextFloat() * 10f;
    }
    metres[3] = Float.NaN;
    metres[7] = Float.POSITIVE_INFINITY;
    assertMeasuredBitsMatchTheDepth(decoder.decode("k", TestFrames.metres("k", 1, 70, 3, metres).toByteArray()));
    int[] millimetres = new int[70 * 3];
    for (int i = 0; i < millimetres.length; i++) {
      millimetres[i] = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(65_535);
    }
    FrameDecoder.Decoded dense = decoder.decode("k", TestFrames.millimetres("k", 2, 70, 3, millimetres).toByteArray());
    assertMeasuredBitsMatchTheDepth(dense);
    for (int i = 0; i < millimetres.length; i++) {
      assertThat(dense.depth().data()[i]).as("the wire's conversion").isEqualTo(millimetres[i] / 1000f);
    }
    assertMeasuredBitsMatchTheDepth(decoder.decode("k", TestFrames.sparse("k", 3, 70, 3, new int[] {0, 69, 140, 69},
        new float[] {1f, 2f, Float.NEGATIVE_INFINITY, 1.5f}).toByteArray()));
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
  void infinitiesAreValidPerRep117AndListedForTheGuidance() throws Exception {
    FrameDecoder.Decoded d = decoder.decode("k", TestFrames.metres("k", 1, 4, 1, 1f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN).toByteArray());
    assertThat(d.depth().data()).as("no measurement for reconstruction").containsExactly(1f, 0f, 0f, 0f);
    assertThat(d.specials().count()).isEqualTo(2);
    assertThat(d.specials().index(0)).isEqualTo(1);
    assertThat(d.specials().kind(0)).isEqualTo(SpecialPixels.NO_RETURN);
    assertThat(d.specials().index(1)).isEqualTo(2);
    assertThat(d.specials().kind(1)).isEqualTo(SpecialPixels.TOO_CLOSE);

    FrameDecoder.Decoded sparse = decoder.decode("k", TestFrames.sparse("k", 2, 3, 1, new int[] {0, 2},
        new float[] {Float.NEGATIVE_INFINITY, 4f}).toByteArray());
    assertThat(sparse.depth().data()).containsExactly(0f, 0f, 4f);
    assertThat(sparse.specials().count()).as("cleared between frames").isEqualTo(1);
    assertThat(sparse.specials().kind(0)).isEqualTo(SpecialPixels.TOO_CLOSE);
    assertMeasuredBitsMatchTheDepth(sparse);
  }

  @Test
  void negativeAndTooFarDepthsAreRejectedWithThePixelNamed() {
    assertThatThrownBy(() -> decoder.decode("k", TestFrames.metres("k", 1, 2, 1, 1f, -3f).toByteArray()))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_DEPTH))
        .hasMessageContaining("pixel 1");
    assertThatThrownBy(() -> decoder.decode("k", TestFrames.metres("k", 1, 1, 1, 5000f).toByteArray()))
        .hasMessageContaining("5000");
  }

  @Test
  void theTopicDecidesTheKind() throws Exception {
    FrameDecoder rgbdTopic = new FrameDecoder(SensorKind.SENSOR_KIND_RGBD, 1 << 22, 1000.0);
    DepthFrame unset = TestFrames.flat("k", 1, 2, 2, 1000).toBuilder()
        .setId(TestFrames.flat("k", 1, 2, 2, 1000).getId().toBuilder().setKind(SensorKind.SENSOR_KIND_UNSPECIFIED))
        .build();
    assertThat(rgbdTopic.decode("k", unset.toByteArray()).id().getKind()).isEqualTo(SensorKind.SENSOR_KIND_RGBD);
    byte[] lidar = TestFrames.sparse("k", 1, 2, 2, new int[] {0}, new float[] {1f}).toByteArray();
    assertThatThrownBy(() -> rgbdTopic.decode("k", lidar))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.KIND_MISMATCH))
        .hasMessageContaining("lidar").hasMessageContaining("rgbd topic");
  }

  @Test
  void aPrincipalPointFarOutsideTheImageIsRejected() {
    DepthFrame frame = TestFrames.flat("k", 1, 4, 4, 1000);
    byte[] far = frame.toBuilder().setIntrinsics(frame.getIntrinsics().toBuilder().setCx(-1e6)).build().toByteArray();
    assertThatThrownBy(() -> decoder.decode("k", far))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_INTRINSICS))
        .hasMessageContaining("cx=-1000000");
    // Slightly beyond an edge (a cropped image) is still fine.
    byte[] near = frame.toBuilder().setIntrinsics(frame.getIntrinsics().toBuilder().setCx(4.9)).build().toByteArray();
    assertThat(catchThrowable(() -> decoder.decode("k", near))).isNull();
  }

  @Test
  void sparseLengthsMustAgree() {
    byte[] bytes = TestFrames.sparse("k", 1, 2, 2, new int[] {0, 1}, new float[] {1f}).toByteArray();
    assertThatThrownBy(() -> decoder.decode("k", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.PAYLOAD_SIZE_MISMATCH))
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
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.ABSURD_DIMENSIONS));
  }

  @Test
  void aNegativeCaptureTimeIsRejectedBecauseItCannotBecomeARecordTimestamp() {
    // Found by FrameCorpusTest: -1 ms and below made the processor's forward throw ("Timestamp may not be
    // negative"), which stopped the stream task.
    byte[] bytes = TestFrames.flat("k", 1, 2, 2, 1000).toBuilder()
        .setId(TestFrames.flat("k", 1, 2, 2, 1000).getId().toBuilder().setCaptureTimeNs(-1_000_000L))
        .build().toByteArray();
    assertThatThrownBy(() -> decoder.decode("k", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD))
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
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.PAYLOAD_SIZE_MISMATCH));
    assertThat(allocatedBytes() - before).as("bytes allocated while rejecting").isLessThan(1 << 20);
  }

  /** Bytes allocated so far by this thread (HotSpot's per-thread counter). */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
