package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import org.junit.jupiter.api.Test;

/** The record's bytes are shared by the parsed payload, not copied; the plain array reader copies them. */
class AliasingInputTest {
  @Test
  void theParsedPayloadPointsIntoTheRecordsArray() throws Exception {
    byte[] payload = new byte[4096];
    byte[] bytes = DepthFrame.newBuilder().setWidth(64).setHeight(32)
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(payload))).build().toByteArray();
    DepthFrame aliased = DepthFrame.parseFrom(AliasingInput.of(bytes));
    CodedInputStream plain = CodedInputStream.newInstance(bytes);
    plain.enableAliasing(true); // what the frame path did before: protobuf ignores it for a mutable array
    DepthFrame copied = DepthFrame.parseFrom(plain);
    assertThat(aliased).isEqualTo(copied);

    int at = bytes.length - 1; // the payload's last byte, the message's last field
    bytes[at] = 42;
    assertThat(aliased.getDenseMm().getData().byteAt(payload.length - 1)).as("shares the array").isEqualTo((byte) 42);
    assertThat(copied.getDenseMm().getData().byteAt(payload.length - 1)).as("a copy").isZero();
  }

  @Test
  void aBufferViewInsideALargerBatchIsParsedInPlace() throws Exception {
    byte[] payload = new byte[4096];
    byte[] record = DepthFrame.newBuilder().setWidth(64).setHeight(32)
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(payload))).build().toByteArray();
    byte[] batch = new byte[record.length + 100];
    System.arraycopy(record, 0, batch, 37, record.length);
    DepthFrame aliased = DepthFrame.parseFrom(AliasingInput.of(java.nio.ByteBuffer.wrap(batch, 37, record.length)));
    assertThat(aliased).isEqualTo(DepthFrame.parseFrom(record));

    batch[37 + record.length - 1] = 42; // the payload's last byte, inside the batch
    assertThat(aliased.getDenseMm().getData().byteAt(payload.length - 1)).as("shares the batch").isEqualTo((byte) 42);
  }
}
