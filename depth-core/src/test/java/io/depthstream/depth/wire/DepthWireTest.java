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
  void uint16RoundingIsWithinOneMillimetreOfMathRoundAndExactAwayFromTies() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    float[] values = new float[100_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(0.0005, 66.0);
    }
    ByteBuffer bb = ByteBuffer.wrap(DepthWire.toUint16Millimetres(DepthMap.wrap(1000, values.length / 1000, values)))
        .order(ByteOrder.LITTLE_ENDIAN);
    int exact = 0;
    for (float v : values) {
      int expected = Math.min(65_535, Math.max(1, Math.round(v * 1000f)));
      int got = bb.getShort() & 0xFFFF;
      assertThat(Math.abs(got - expected)).as("%s m", v).isLessThanOrEqualTo(1);
      double fraction = v * 1000.0 - Math.floor(v * 1000.0);
      if (Math.abs(fraction - 0.5) > 1e-3) {
        assertThat(got).as("%s m", v).isEqualTo(expected);
        exact++;
      }
    }
    assertThat(exact).isGreaterThan(99_000);
  }

  @Test
  void uint16SaturatesAtTheLastMillimetre() {
    DepthMap d = DepthMap.wrap(5, 1, new float[] {65.5344f, 65.5346f, Float.POSITIVE_INFINITY, 0f, Float.NaN});
    byte[] out = new byte[10];
    assertThat(DepthWire.toUint16(d, DepthWire.MILLIMETRES, out)).as("saturated pixels").isEqualTo(2);
    ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(65534);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(65535);
    assertThat(bb.getShort() & 0xFFFF).isEqualTo(65535);
    assertThat(bb.getShort() & 0xFFFF).as("no measurement").isEqualTo(0);
    assertThat(bb.getShort() & 0xFFFF).as("NaN").isEqualTo(0);
  }

  @Test
  void float32WritesNanForNoMeasurement() {
    DepthMap d = DepthMap.wrap(2, 1, new float[] {0f, 3.5f});
    ByteBuffer bb = ByteBuffer.wrap(DepthWire.toFloat32Metres(d)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bb.getFloat()).isNaN();
    assertThat(bb.getFloat()).isEqualTo(3.5f);
  }

  @Test
  void uint16DecodingMarksTheMeasuredPixelsOfItsSize() {
    float[] metres = new float[130];
    for (int i = 0; i < metres.length; i += 3) {
      metres[i] = 0.5f + i / 100f;
    }
    DepthMap d = DepthMap.wrap(65, 2, metres);
    DepthMap back = DepthMap.allocate(65, 2);
    io.depthstream.depth.support.MeasuredBits bits = new io.depthstream.depth.support.MeasuredBits();
    bits.reset(65, 2);
    DepthWire.fromUint16Millimetres(ByteBuffer.wrap(DepthWire.toUint16Millimetres(d)), back);
    DepthMap marked = DepthMap.allocate(65, 2);
    DepthWire.fromUint16(ByteBuffer.wrap(DepthWire.toUint16Millimetres(d)), DepthWire.MILLIMETRES, marked, bits);
    assertThat(marked.data()).containsExactly(back.data());
    for (int i = 0; i < metres.length; i++) {
      assertThat(bits.get(i % 65, i / 65)).as("pixel %d", i).isEqualTo(metres[i] > 0f);
    }
    bits.reset(64, 2);
    assertThatThrownBy(() -> DepthWire.fromUint16(ByteBuffer.wrap(DepthWire.toUint16Millimetres(d)),
        DepthWire.MILLIMETRES, marked, bits)).hasMessageContaining("measured bits are 64x2");
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
