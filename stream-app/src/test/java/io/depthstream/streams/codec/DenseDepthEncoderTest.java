package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.DepthMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DenseDepthEncoderTest {
  @Test
  void uint16RoundsToMillimetresKeepsZeroAndSaturates() {
    DepthMap d = DepthMap.wrap(4, 1, new float[] {1.2344f, 0f, 70f, 0.0004f});
    ByteBuffer bb = ByteBuffer.wrap(DenseDepthEncoder.toUint16(d)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(1234);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(0);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(65535);
    // A measurement that rounds to 0 mm must not turn into "no measurement".
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(1);
  }

  @Test
  void float32WritesNanForNoMeasurement() {
    DepthMap d = DepthMap.wrap(2, 1, new float[] {0f, 3.5f});
    ByteBuffer bb = ByteBuffer.wrap(DenseDepthEncoder.toFloat32(d)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bb.getFloat()).isNaN();
    assertThat(bb.getFloat()).isEqualTo(3.5f);
  }
}
