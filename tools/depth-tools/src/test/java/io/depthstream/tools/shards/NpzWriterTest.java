package io.depthstream.tools.shards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.tools.shards.ExportShardsCommandTest.NpyArray;
import io.depthstream.tools.shards.Npy.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzWriterTest {

  private static Path write(Path dir, String name, long memoryLimit) throws IOException {
    Path file = dir.resolve(name);
    try (NpzWriter npz = new NpzWriter(file);
        NpzWriter.Spool spool = new NpzWriter.Spool(dir.resolve(name + ".tmp"), memoryLimit, DType.FLOAT32, 2, 3)) {
      spool.writeFloats(new float[] {1.5f, -2f, 0f});
      spool.writeFloats(new float[] {3.25f, 1e-3f, 7f});
      npz.add("a", spool);
      npz.add("b", DType.INT8, new long[] {3}, new byte[] {0, 1, -1});
    }
    return file;
  }

  @Test
  void roundTripsValuesLittleEndianInMemoryAndSpooledAlike(@TempDir Path dir) throws IOException {
    Path inMemory = write(dir, "m.npz", Long.MAX_VALUE);
    Path spooled = write(dir, "s.npz", 0);
    assertThat(Files.readAllBytes(spooled)).isEqualTo(Files.readAllBytes(inMemory));
    assertThat(dir.resolve("s.npz.tmp")).doesNotExist();
    assertThat(dir.resolve("s.npz.part")).doesNotExist();

    Map<String, NpyArray> arrays = ExportShardsCommandTest.readNpz(inMemory);
    NpyArray a = arrays.get("a.npy");
    assertThat(a.shape()).containsExactly(2, 3);
    // 1.5f is 0x3FC00000: little-endian bytes 00 00 C0 3F.
    assertThat(a.data()).startsWith((byte) 0, (byte) 0, (byte) 0xC0, (byte) 0x3F);
    float[] f = new float[6];
    ByteBuffer.wrap(a.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    assertThat(f).containsExactly(1.5f, -2f, 0f, 3.25f, 1e-3f, 7f);
    assertThat(arrays.get("b.npy").data()).containsExactly(0, 1, -1);
  }

  @Test
  void incompleteOrOverfullArraysAreRejected(@TempDir Path dir) throws IOException {
    try (NpzWriter.Spool spool = new NpzWriter.Spool(dir.resolve("x.tmp"), 0, DType.UINT8, 4)) {
      spool.writeBytes(new byte[3], 0, 3);
      assertThatThrownBy(() -> spool.writeBytes(new byte[2], 0, 2)).hasMessageContaining("overflow");
      NpzWriter npz = new NpzWriter(dir.resolve("x.npz"));
      assertThatThrownBy(() -> npz.add("x", spool)).hasMessageContaining("expected 4");
      npz.abort();
    }
    assertThat(dir.resolve("x.npz.part")).doesNotExist();
    assertThat(dir.resolve("x.tmp")).doesNotExist();
    NpzWriter npz = new NpzWriter(dir.resolve("y.npz"));
    assertThatThrownBy(() -> npz.add("y", DType.FLOAT32, new long[] {2}, new byte[7])).hasMessageContaining("7 bytes");
    npz.abort();
  }
}
