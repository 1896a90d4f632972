package io.depthstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.google.protobuf.ByteString;
import io.depthstream.depth.DepthMap;
import io.depthstream.proto.v1.DenseDepth;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.FrameId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class OutputMonitorTest {
  private static final int WIDTH = 5;
  private static final int HEIGHT = 3;

  /**
   * A record's value as the consumer hands it to a ByteBuffer deserializer: a view into a larger fetched batch,
   * starting at an offset, with other bytes on both sides.
   */
  private static ByteBuffer insideBatch(byte[] record, int offset) {
    byte[] batch = new byte[offset + record.length + 17];
    java.util.Arrays.fill(batch, (byte) 0x5A);
    System.arraycopy(record, 0, batch, offset, record.length);
    return ByteBuffer.wrap(batch, offset, record.length).slice();
  }

  @Test
  void aliasedMillimetreFrameInsideABatchDecodesToItsOwnPixels() {
    ByteBuffer mm = ByteBuffer.allocate(WIDTH * HEIGHT * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < WIDTH * HEIGHT; i++) {
      mm.putShort((short) (1000 + 250 * i)); // 1.000 m, 1.250 m, ...
    }
    DenseDepth frame = DenseDepth.newBuilder().setId(FrameId.newBuilder().setSensorId("cam").setSequence(7)
        .setCaptureTimeNs(123_456_789L)).setWidth(WIDTH).setHeight(HEIGHT).setMethod("inpaint")
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(mm.array()))).build();

    DenseDepth parsed = OutputMonitor.parseAliased(insideBatch(frame.toByteArray(), 4099));

    assertThat(parsed).isEqualTo(frame);
    DepthMap depth = OutputMonitor.decode(parsed);
    for (int i = 0; i < WIDTH * HEIGHT; i++) {
      assertThat(depth.data()[i]).as("pixel %d", i).isCloseTo(1.0f + 0.25f * i, offset(1e-6f));
    }
  }

  @Test
  void aliasedFloatFrameInsideABatchDecodesToItsOwnPixels() {
    ByteBuffer m = ByteBuffer.allocate(WIDTH * HEIGHT * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < WIDTH * HEIGHT; i++) {
      m.putFloat(i == 3 ? Float.NaN : 40f + i);
    }
    DenseDepth frame = DenseDepth.newBuilder().setWidth(WIDTH).setHeight(HEIGHT)
        .setDenseM(DenseFloat32Metres.newBuilder().setData(ByteString.copyFrom(m.array()))).build();

    DepthMap depth = OutputMonitor.decode(OutputMonitor.parseAliased(insideBatch(frame.toByteArray(), 1)));

    assertThat(depth.data()[0]).isEqualTo(40f);
    assertThat(depth.data()[3]).as("NaN = no measurement").isEqualTo(0f);
    assertThat(depth.data()[WIDTH * HEIGHT - 1]).isEqualTo(40f + WIDTH * HEIGHT - 1);
  }

  @Test
  void aRecordThatIsNotADenseFrameIsNamed() {
    assertThatThrownBy(() -> OutputMonitor.parseAliased(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00})))
        .isInstanceOf(SerializationException.class).hasMessageContaining("not a DenseDepth");
  }
}
