package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.StageTimings;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link DenseDepthEncoder#encodeRecord} writes the payload straight into the record's bytes: they must equal, byte
 * for byte, the DenseDepth that {@link DenseDepthEncoder#encode} builds with the same timings and publish time, on
 * frames whose header and tail sizes change from one to the next (the predicted payload offset missing and hitting).
 */
class DenseDepthEncoderRecordTest {
  private static final int W = 37;
  private static final int H = 11;

  @ParameterizedTest
  @EnumSource(OutputEncoding.class)
  void theRecordBytesEqualTheBuiltMessageFrameAfterFrame(OutputEncoding encoding) throws Exception {
    Random random = new Random(16);
    for (boolean withSupport : new boolean[] {false, true}) {
      DenseDepthEncoder direct = new DenseDepthEncoder(encoding, withSupport);
      DenseDepthEncoder reference = new DenseDepthEncoder(encoding, withSupport);
      // Encode times around varint boundaries (2^14, 2^21 ns), with and without saturated pixels, repeated so that
      // the prediction both misses and hits.
      long[] encodeNanos = {100, 16_383, 16_384, 16_384, 350_000, 350_001, 2_097_151, 2_097_152, 2_097_153, 7};
      for (int frame = 0; frame < encodeNanos.length * 2; frame++) {
        DepthMap dense = DepthMap.allocate(W, H);
        float[] d = dense.data();
        boolean saturate = frame % 3 == 0;
        for (int i = 0; i < d.length; i++) {
          d[i] = random.nextInt(5) == 0 ? 0f : 0.001f + random.nextFloat() * (saturate ? 300f : 30f);
        }
        SupportMap support = support(random);
        FrameId id = FrameId.newBuilder().setSensorId("cam-" + frame).setSequence(frame)
            .setCaptureTimeNs(1_765_000_000_000_000_000L + frame).build();
        CameraIntrinsics k = CameraIntrinsics.newBuilder().setFx(20).setFy(20).setCx(W / 2.0).setCy(H / 2.0)
            .setWidth(W).setHeight(H).build();
        StageTimings timings = StageTimings.newBuilder().setDecodeNs(400_000 + frame)
            .setReconstructNs(9_000_000L * frame).setEncodeNs(encodeNanos[frame % encodeNanos.length])
            .setQueueNs(frame * 1_000_003L).build();
        long publish = 1_765_000_000_123_456_789L + frame;
        String method = frame % 2 == 0 ? "fast_interp_x4" : "linear";
        String version = frame % 2 == 0 ? "e53c060d2d4f" : "";

        byte[] record = direct.encodeRecord(id, k, dense, support, method, version,
            header -> header.setTimings(timings).setPublishTimeNs(publish));
        int directSaturated = direct.saturatedPixels();
        byte[] expected = reference.encode(id, k, dense, support, method, version).setTimings(timings)
            .setPublishTimeNs(publish).build().toByteArray();

        assertThat(record).as("%s, support %s, frame %d", encoding, withSupport, frame).isEqualTo(expected);
        assertThat(directSaturated).isEqualTo(reference.saturatedPixels());
        if (saturate && encoding == OutputEncoding.UINT16_MM) {
          assertThat(directSaturated).isPositive();
        }
        assertThat(DenseDepth.parseFrom(record).getSaturatedPixels()).isEqualTo(directSaturated);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OutputEncoding.class)
  void anEstimateOfTheLateFieldsKeepsThePayloadInPlaceWhereThePreviousFramesSizesWouldMiss(OutputEncoding encoding)
      throws Exception {
    // Queue and decode times that cross varint boundaries (2^21 ns) from one frame to the next, as a node's queue
    // time around 2 ms does: the previous frame's header size mispredicts them, an estimate that knows them does
    // not. The encode time stays within one varint length, so the estimate (the previous frame's) is right.
    Random random = new Random(21);
    DenseDepthEncoder withEstimate = new DenseDepthEncoder(encoding, false);
    DenseDepthEncoder previousSizes = new DenseDepthEncoder(encoding, false);
    DenseDepthEncoder reference = new DenseDepthEncoder(encoding, false);
    int frames = 12;
    for (int frame = 0; frame < frames; frame++) {
      DepthMap dense = DepthMap.allocate(W, H);
      for (int i = 0; i < dense.size(); i++) {
        dense.data()[i] = 0.5f + random.nextFloat() * 10f;
      }
      FrameId id = FrameId.newBuilder().setSensorId("cam").setSequence(frame)
          .setCaptureTimeNs(1_765_000_000_000_000_000L + frame).build();
      CameraIntrinsics k = CameraIntrinsics.newBuilder().setFx(20).setFy(20).setWidth(W).setHeight(H).build();
      long queue = frame % 2 == 0 ? 2_000_000L : 2_200_000L; // 3 and 4 varint bytes
      long decode = frame % 3 == 0 ? 2_100_000L : 300_000L; // 4 and 3 bytes
      StageTimings actual = StageTimings.newBuilder().setDecodeNs(decode).setReconstructNs(9_000_000L)
          .setEncodeNs(400_000L + frame).setQueueNs(queue).build();
      StageTimings estimated = actual.toBuilder().setEncodeNs(400_000L + frame - 1).build();
      long publish = 1_765_000_000_123_456_789L + frame;

      byte[] expected = reference.encode(id, k, dense, null, "fast_interp_x4", "e53c060d2d4f")
          .setTimings(actual).setPublishTimeNs(publish).build().toByteArray();
      byte[] estimatedRecord = withEstimate.encodeRecord(id, k, dense, null, "fast_interp_x4", "e53c060d2d4f",
          new DenseDepthEncoder.LateFields() {
            @Override
            public void estimate(DenseDepth.Builder header) {
              header.setTimings(estimated).setPublishTimeNs(publish - 5_000);
            }

            @Override
            public void set(DenseDepth.Builder header) {
              header.setTimings(actual).setPublishTimeNs(publish);
            }
          });
      byte[] previousRecord = previousSizes.encodeRecord(id, k, dense, null, "fast_interp_x4", "e53c060d2d4f",
          header -> header.setTimings(actual).setPublishTimeNs(publish));
      assertThat(estimatedRecord).as("%s, frame %d, with the estimate", encoding, frame).isEqualTo(expected);
      assertThat(previousRecord).as("%s, frame %d, by the previous frame's sizes", encoding, frame)
          .isEqualTo(expected);
    }
    // The first frame moves either way: nothing predicts the size of the fields after its payload yet.
    assertThat(withEstimate.payloadMoves()).as("moves with the estimate").isOne();
    assertThat(previousSizes.payloadMoves()).as("moves by the previous frame's sizes").isGreaterThan(frames / 2);
  }

  private static SupportMap support(Random random) {
    DepthMap measured = DepthMap.allocate(W, H);
    for (int i = 0; i < measured.size(); i += 1 + random.nextInt(9)) {
      measured.data()[i] = 1f;
    }
    SpecialPixels specials = new SpecialPixels();
    specials.add(random.nextInt(W * H), SpecialPixels.NO_RETURN);
    SupportMap support = new SupportMap();
    support.compute(measured, specials, 1);
    return support;
  }
}
