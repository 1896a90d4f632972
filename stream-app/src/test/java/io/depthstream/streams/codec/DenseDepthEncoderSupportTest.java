package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.FrameId;
import org.junit.jupiter.api.Test;

class DenseDepthEncoderSupportTest {
  private static final FrameId ID = FrameId.newBuilder().setSensorId("s").build();
  private static final CameraIntrinsics K = CameraIntrinsics.newBuilder().setFx(2).setFy(2).setWidth(4).setHeight(1)
      .build();

  @Test
  void theSupportChannelCarriesTheCodesAndOutlivesTheReusedMap() throws Exception {
    DepthMap input = DepthMap.wrap(4, 1, new float[] {1f, 0f, 0f, 0f});
    SpecialPixels specials = new SpecialPixels();
    specials.add(3, SpecialPixels.NO_RETURN);
    SupportMap support = new SupportMap();
    support.compute(input, specials, 1);
    DepthMap dense = DepthMap.wrap(4, 1, new float[] {1f, 1f, 1f, 1f});
    DenseDepth encoded = new DenseDepthEncoder(OutputEncoding.UINT16_MM, true)
        .encode(ID, K, dense, support, "nearest-fill", "").build();
    byte[] expected = {0, 1, 2, (byte) 254};
    support.compute(DepthMap.wrap(4, 1, new float[] {1f, 1f, 1f, 1f}), new SpecialPixels(), 1); // next frame
    DenseDepth parsed = DenseDepth.parseFrom(encoded.toByteArray());
    assertThat(parsed.hasSupport()).isTrue();
    assertThat(parsed.getSupport().getData().toByteArray()).containsExactly(expected);
    assertThat(parsed.hasDenseMm()).isTrue();
  }

  @Test
  void withoutTheSettingThereIsNoChannelAndASizeMismatchIsRefusedWhenOn() {
    SupportMap support = new SupportMap();
    support.compute(DepthMap.allocate(2, 1), new SpecialPixels(), 1);
    DepthMap dense = DepthMap.wrap(4, 1, new float[] {1f, 1f, 1f, 1f});
    DenseDepth plain = new DenseDepthEncoder(OutputEncoding.FLOAT32_M)
        .encode(ID, K, dense, support, "nearest-fill", "").build();
    assertThat(plain.hasSupport()).isFalse();
    assertThat(plain.hasDenseM()).isTrue();
    assertThatThrownBy(() -> new DenseDepthEncoder(OutputEncoding.UINT16_MM, true)
        .encode(ID, K, dense, support, "nearest-fill", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2x1").hasMessageContaining("4x1");
  }
}
