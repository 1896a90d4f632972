package io.depthstream.tools.shards;

import io.depthstream.tools.shards.Npy.DType;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a {@code .npz} file: a plain zip archive of {@code <name>.npy} entries, each STORED (uncompressed), as
 * {@code numpy.savez} does. A stored zip entry needs its size and CRC-32 before its data, so arrays are first
 * collected ({@link Spool}, in memory or in a temporary file) while the CRC is computed, then copied in; the archive is
 * written to {@code <file>.part} and renamed on {@link #close()} so readers never see half a shard.
 * Entry times are fixed, so equal arrays give byte-identical files.
 */
final class NpzWriter implements Closeable {
  /** 2026-01-01T00:00:00Z, the project's reproducible-build timestamp, in ms since the epoch. */
  private static final long ENTRY_TIME = 1767225600000L;

  private final Path file;
  private final Path part;
  private final ZipOutputStream zip;
  private final byte[] copyBuffer = new byte[1 << 16];
  private boolean closed;

  NpzWriter(Path file) throws IOException {
    this.file = file;
    this.part = file.resolveSibling(file.getFileName() + ".part");
    this.zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(part), 1 << 16));
    zip.setMethod(ZipOutputStream.STORED);
  }

  /** Adds a small array held in memory; {@code data} is little-endian, C order. */
  void add(String name, DType dtype, long[] shape, byte[] data) throws IOException {
    if (data.length != Npy.dataBytes(dtype, shape)) {
      throw new IllegalArgumentException(name + ": " + data.length + " bytes for shape " + Arrays.toString(shape)
          + " of " + dtype.descr() + ", expected " + Npy.dataBytes(dtype, shape));
    }
    byte[] header = Npy.header(dtype, shape);
    CRC32 crc = new CRC32();
    crc.update(header);
    crc.update(data);
    putEntry(name, header.length + (long) data.length, crc.getValue());
    zip.write(header);
    zip.write(data);
    zip.closeEntry();
  }

  /** Adds a spooled array (which must be complete) and deletes its temporary file, if it had one. */
  void add(String name, Spool spool) throws IOException {
    spool.finish();
    putEntry(name, spool.header.length + spool.expected, spool.crc.getValue());
    zip.write(spool.header);
    if (spool.memory != null) {
      zip.write(spool.memory);
    } else {
      try (InputStream in = Files.newInputStream(spool.tmp)) {
        for (int n; (n = in.read(copyBuffer)) > 0;) {
          zip.write(copyBuffer, 0, n);
        }
      }
      Files.delete(spool.tmp);
    }
    zip.closeEntry();
  }

  private void putEntry(String name, long size, long crc) throws IOException {
    ZipEntry entry = new ZipEntry(name + ".npy");
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(size);
    entry.setCompressedSize(size);
    entry.setCrc(crc);
    entry.setTime(ENTRY_TIME);
    zip.putNextEntry(entry);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    zip.close();
    Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes the partial file after a failure; safe to call after {@link #close()}. */
  void abort() {
    try {
      if (!closed) {
        closed = true;
        zip.close();
      }
      Files.deleteIfExists(part);
    } catch (IOException ignored) {
      // Best effort: the export already failed with the original exception.
    }
  }

  /**
   * An array of known shape written element by element (frames in order), with the CRC-32 of header plus data
   * kept up to date. Arrays up to {@code memoryLimit} bytes are held in memory, larger ones go to the temporary
   * file {@code tmp} (so a shard of 256 frames at 1280x960 does not need 2 GB of heap). Floats are written
   * little-endian.
   */
  static final class Spool implements Closeable {
    private final Path tmp;
    private final byte[] header;
    private final long expected;
    private final CRC32 crc = new CRC32();
    private final byte[] memory;
    private final OutputStream out;
    private ByteBuffer floatBytes = ByteBuffer.allocate(0);
    private long written;

    Spool(Path tmp, long memoryLimit, DType dtype, long... shape) throws IOException {
      this.tmp = tmp;
      this.header = Npy.header(dtype, shape);
      this.expected = Npy.dataBytes(dtype, shape);
      boolean inMemory = expected <= Math.min(memoryLimit, Integer.MAX_VALUE - 16);
      this.memory = inMemory ? new byte[(int) expected] : null;
      this.out = inMemory ? null : new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
      crc.update(header);
    }

    void writeFloats(float[] values) throws IOException {
      if (floatBytes.capacity() < 4 * values.length) {
        floatBytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      }
      floatBytes.clear();
      floatBytes.asFloatBuffer().put(values);
      writeBytes(floatBytes.array(), 0, 4 * values.length);
    }

    void writeBytes(byte[] b, int off, int len) throws IOException {
      if (written + len > expected) {
        throw new IllegalStateException("array spool overflow: " + (written + len) + " > " + expected + " bytes");
      }
      if (memory != null) {
        System.arraycopy(b, off, memory, (int) written, len);
      } else {
        out.write(b, off, len);
      }
      crc.update(b, off, len);
      written += len;
    }

    private void finish() throws IOException {
      if (out != null) {
        out.close();
      }
      if (written != expected) {
        throw new IllegalStateException("array spool holds " + written + " bytes, expected " + expected);
      }
    }

    @Override
    public void close() throws IOException {
      if (out != null) {
        out.close();
        Files.deleteIfExists(tmp);
      }
    }
  }
}
