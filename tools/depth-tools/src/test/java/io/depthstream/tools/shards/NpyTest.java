package io.depthstream.tools.shards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.tools.shards.Npy.DType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NpyTest {

  @Test
  void headerFollowsTheVersion10Layout() {
    byte[] h = Npy.header(DType.FLOAT32, 2, 3, 4);
    assertThat(h).startsWith((byte) 0x93, (byte) 'N', (byte) 'U', (byte) 'M', (byte) 'P', (byte) 'Y', (byte) 1,
        (byte) 0);
    int headerLen = (h[8] & 0xff) | (h[9] & 0xff) << 8;
    assertThat(10 + headerLen).isEqualTo(h.length);
    assertThat(h.length % 64).isZero();
    String dict = new String(h, 10, headerLen, StandardCharsets.US_ASCII);
    assertThat(dict).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }").endsWith("\n");
    assertThat(dict.strip()).endsWith("}");
  }

  @Test
  void oneDimensionalShapeIsAPythonOneTuple() {
    String dict = new String(Npy.header(DType.INT8, 7), StandardCharsets.US_ASCII);
    assertThat(dict).contains("'descr': '|i1'").contains("'shape': (7,)");
    assertThat(new String(Npy.header(DType.UINT8, 1, 2, 3, 3), StandardCharsets.US_ASCII))
        .contains("'descr': '|u1'").contains("'shape': (1, 2, 3, 3)");
  }

  @Test
  void dataBytesIsElementCountTimesSize() {
    assertThat(Npy.dataBytes(DType.FLOAT32, 5, 240, 320)).isEqualTo(5L * 240 * 320 * 4);
    assertThat(Npy.dataBytes(DType.UINT8, 5, 240, 320, 3)).isEqualTo(5L * 240 * 320 * 3);
    assertThat(Npy.dataBytes(DType.INT8, 0)).isZero();
  }

  @Test
  void rejectsBadShapes() {
    assertThatThrownBy(() -> Npy.header(DType.FLOAT32)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Npy.header(DType.FLOAT32, 3, -1)).hasMessageContaining("negative");
  }
}
