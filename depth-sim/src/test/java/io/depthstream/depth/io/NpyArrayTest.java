package io.depthstream.depth.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyArrayTest {
  @TempDir
  Path tmp;

  /**
   * An .npy file as numpy.save writes it: magic, version, header length, the dict padded with spaces to a multiple
   * of 64 bytes ending in a newline, then {@code data}.
   */
  static byte[] npy(int major, String descr, String shape, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int prefix = major == 1 ? 10 : 12;
    int total = ((prefix + dict.length() + 1 + 63) / 64) * 64;
    String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
    ByteBuffer b = ByteBuffer.allocate(total + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
    return b.array();
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static byte[] uint16(int... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putShort((short) x);
    }
    return b.array();
  }

  @Test
  void readsVersion1Float32InRowMajorOrder() throws IOException {
    Path f = tmp.resolve("d.npy");
    Files.write(f, npy(1, "<f4", "(2, 3)", floats(1.5f, 0f, Float.NaN, 4f, 5.25f, 6f)));
    NpyArray a = NpyArray.read(f);
    assertThat(a.height()).isEqualTo(2);
    assertThat(a.width()).isEqualTo(3);
    assertThat(a.isInteger()).isFalse();
    assertThat(a.values()).containsExactly(1.5f, 0f, Float.NaN, 4f, 5.25f, 6f);
  }

  @Test
  void readsUint16AboveTheSignedRangeExactly() throws IOException {
    NpyArray a = NpyArray.parse(npy(1, "<u2", "(1, 3)", uint16(0, 1234, 65535)), "u2.npy");
    assertThat(a.isInteger()).isTrue();
    assertThat(a.values()).containsExactly(0f, 1234f, 65535f);
  }

  @Test
  void readsVersion2HeadersAndFloat64() throws IOException {
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(2.5).putDouble(0.125);
    NpyArray a = NpyArray.parse(npy(2, "<f8", "(2, 1)", d.array()), "f8.npy");
    assertThat(a.height()).isEqualTo(2);
    assertThat(a.width()).isEqualTo(1);
    assertThat(a.values()).containsExactly(2.5f, 0.125f);
  }

  @Test
  void refusesAnotherDtypeNamingIt() {
    assertThatThrownBy(() -> NpyArray.parse(npy(1, ">f4", "(1, 1)", new byte[4]), "big.npy"))
        .isInstanceOf(IOException.class).hasMessageContaining("big.npy").hasMessageContaining("'>f4'")
        .hasMessageContaining("'<f4'");
    assertThatThrownBy(() -> NpyArray.parse(npy(1, "<i4", "(1, 1)", new byte[4]), "i4.npy"))
        .hasMessageContaining("'<i4' is not supported");
  }

  @Test
  void refusesOtherShapesFortranOrderAndTruncatedData() {
    assertThatThrownBy(() -> NpyArray.parse(npy(1, "<f4", "(4,)", floats(1, 2, 3, 4)), "v.npy"))
        .hasMessageContaining("2-D array").hasMessageContaining("(4,)");
    assertThatThrownBy(() -> NpyArray.parse(npy(1, "<f4", "(2, 2, 1)", floats(1, 2, 3, 4)), "c.npy"))
        .hasMessageContaining("2-D array");
    byte[] fortran = npy(1, "<f4", "(1, 1)", floats(1));
    String text = new String(fortran, StandardCharsets.ISO_8859_1).replace("False", "True ");
    assertThatThrownBy(() -> NpyArray.parse(text.getBytes(StandardCharsets.ISO_8859_1), "f.npy"))
        .hasMessageContaining("Fortran-order");
    assertThatThrownBy(() -> NpyArray.parse(npy(1, "<f4", "(2, 2)", floats(1, 2, 3)), "t.npy"))
        .hasMessageContaining("truncated .npy data, 12 of 16 bytes");
    assertThatThrownBy(() -> NpyArray.parse("P5 1 1 255\n".getBytes(StandardCharsets.US_ASCII), "x.pgm"))
        .hasMessageContaining("not a NumPy .npy file");
  }
}
