package io.depthstream.depth.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.depth.DepthMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DepthWireTest {
  @Test
  void uint16RoundsToMillimetresKeepsZeroAndSaturates() {
    DepthMap d = DepthMap.wrap(4, 1, new float[] {1.2344f, 0f, 70f, 0.0004f});
    ByteBuffer bb = ByteBuffer.wrap(DepthWire.toUint16Millimetres(d)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(1234);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(0);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(65535);
    // A measurement that rounds to 0 mm must not turn into "no measurement".
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(1);
  }

  @Test
  void float32WritesNanForNoMeasurement() {
    DepthMap d = DepthMap.wrap(2, 1, new float[] {0f, 3.5f});
    ByteBuffer bb = ByteBuffer.wrap(DepthWire.toFloat32Metres(d)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bb.getFloat()).isNaN();
    assertThat(bb.getFloat()).isEqualTo(3.5f);
  }

  @Test
  void roundTripsThroughBothLayouts() {
    DepthMap d = DepthMap.wrap(3, 1, new float[] {1.234f, 0f, 12.5f});
    DepthMap back = DepthMap.allocate(3, 1);
    DepthWire.fromUint16Millimetres(ByteBuffer.wrap(DepthWire.toUint16Millimetres(d)), back);
    assertThat(back.data()).containsExactly(1.234f, 0f, 12.5f);
    DepthWire.fromFloat32Metres(ByteBuffer.wrap(DepthWire.toFloat32Metres(d)), back);
    assertThat(back.data()).containsExactly(1.234f, 0f, 12.5f);
  }

  @Test
  void aPayloadOfTheWrongSizeIsNamed() {
    DepthMap out = DepthMap.allocate(2, 2);
    assertThatThrownBy(() -> DepthWire.fromUint16Millimetres(ByteBuffer.allocate(6), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6 bytes").hasMessageContaining("2x2x2 = 8");
  }
}
