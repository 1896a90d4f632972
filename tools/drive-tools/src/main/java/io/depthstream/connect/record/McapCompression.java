package io.depthstream.connect.record;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.IOException;
import java.util.Locale;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * MCAP's chunk compressions (https://mcap.dev/spec/registry#compression-formats): {@code zstd} is one standard
 * Zstandard frame, {@code lz4} one LZ4 frame (the frame format, not a bare block), {@code ""} none. The codecs
 * are the libraries kafka-clients already brings (zstd-jni, lz4-java); LZ4 frames are decoded by
 * {@link Lz4FrameDecoder}, which also takes the linked blocks other writers produce.
 */
public enum McapCompression {
  NONE(""),
  ZSTD("zstd"),
  LZ4("lz4");

  /** Zstandard's own default level: about 3x on depth frames at a few hundred MB/s per core. */
  static final int ZSTD_LEVEL = 3;

  private final String wireName;

  McapCompression(String wireName) {
    this.wireName = wireName;
  }

  /** The name in a Chunk record's {@code compression} field. */
  public String wireName() {
    return wireName;
  }

  /** Accepts {@code zstd}, {@code lz4}, {@code none} (any case). */
  public static McapCompression parse(String s) {
    String n = s.trim().toLowerCase(Locale.ROOT);
    for (McapCompression c : values()) {
      if (c.wireName.equals(n) || c.name().toLowerCase(Locale.ROOT).equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown MCAP compression '" + s + "': use zstd, lz4 or none");
  }

  /** The compression of a Chunk record's {@code compression} field, or null for one this reader cannot undo. */
  static McapCompression ofWireName(String s) {
    for (McapCompression c : values()) {
      if (c.wireName.equals(s)) {
        return c;
      }
    }
    return null;
  }

  /** Compresses with one codec instance per writer: the zstd context is native and reused for every chunk. */
  static final class Compressor implements AutoCloseable {
    private final McapCompression compression;
    private final ZstdCompressCtx zstd;
    private final McapBuffer out = new McapBuffer(1 << 16);

    Compressor(McapCompression compression) {
      this.compression = compression;
      this.zstd = compression == ZSTD ? new ZstdCompressCtx().setLevel(ZSTD_LEVEL).setContentSize(true) : null;
    }

    /** Compresses {@code src[0, length)}; the result is {@link #output()} up to its size, valid until the next call. */
    McapBuffer compress(byte[] src, int length) throws IOException {
      out.reset();
      switch (compression) {
        case NONE -> out.raw(src, 0, length);
        case ZSTD -> {
          int bound = (int) Zstd.compressBound(length);
          out.ensureCapacity(bound);
          int n = zstd.compressByteArray(out.array(), 0, bound, src, 0, length);
          out.setSize(n);
        }
        case LZ4 -> {
          // LZ4FrameOutputStream allocates its block buffers per frame, i.e. per chunk: a few MiB per 4 MiB chunk.
          try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB,
              length, LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE,
              LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM)) {
            lz4.write(src, 0, length);
          }
        }
        default -> throw new IllegalStateException(compression.name());
      }
      return out;
    }

    @Override
    public void close() {
      if (zstd != null) {
        zstd.close();
      }
    }
  }

  /** Decompresses chunks for one reader; the zstd context is native and reused. */
  static final class Decompressor implements AutoCloseable {
    private ZstdDecompressCtx zstd;

    /**
     * Decompresses {@code src[off, off + length)} into {@code dst[0, uncompressedSize)}.
     *
     * @throws IOException when the data does not decompress to exactly {@code uncompressedSize} bytes
     */
    void decompress(McapCompression c, byte[] src, int off, int length, byte[] dst, int uncompressedSize)
        throws IOException {
      switch (c) {
        case NONE -> {
          if (length != uncompressedSize) {
            throw new IOException("uncompressed chunk of " + length + " bytes declares " + uncompressedSize);
          }
          System.arraycopy(src, off, dst, 0, length);
        }
        case ZSTD -> {
          if (zstd == null) {
            zstd = new ZstdDecompressCtx();
          }
          int n;
          try {
            n = zstd.decompressByteArray(dst, 0, uncompressedSize, src, off, length);
          } catch (RuntimeException e) {
            throw new IOException("bad zstd data: " + e.getMessage(), e);
          }
          if (n != uncompressedSize) {
            throw new IOException("zstd data gave " + n + " bytes, the chunk declares " + uncompressedSize);
          }
        }
        case LZ4 -> {
          int n = Lz4FrameDecoder.decode(src, off, length, dst, uncompressedSize);
          if (n != uncompressedSize) {
            throw new IOException("lz4 data gave " + n + " bytes, the chunk declares " + uncompressedSize);
          }
        }
        default -> throw new IllegalStateException(c.name());
      }
    }

    @Override
    public void close() {
      if (zstd != null) {
        zstd.close();
        zstd = null;
      }
    }
  }
}
