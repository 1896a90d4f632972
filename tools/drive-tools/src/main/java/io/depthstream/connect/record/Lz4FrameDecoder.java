package io.depthstream.connect.record;

import java.io.IOException;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decodes LZ4 frames (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md) into one array, with linked
 * blocks as well as independent ones. lz4-java's {@code LZ4FrameInputStream} refuses linked blocks, which are the
 * default of the reference library's frame API and so of MCAP's C++ and TypeScript writers; its block
 * decompressors cannot look back into earlier blocks. Decoding a whole chunk into one array makes linked blocks
 * simple: a match may reach back into everything decoded so far (LZ4 block format: a token with literal and
 * match lengths, the literals, a 2-byte little-endian offset). Content checksums (xxHash32) are checked with
 * lz4-java's xxHash; block checksums are skipped (the chunk's CRC32 covers the result).
 */
final class Lz4FrameDecoder {
  private static final int FRAME_MAGIC = 0x184D2204;
  private static final int SKIPPABLE_MAGIC = 0x184D2A50; // low 4 bits free
  private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

  private Lz4FrameDecoder() {}

  /**
   * Decodes the frames in {@code src[off, off + length)} into {@code dst} from 0.
   *
   * @return the number of bytes decoded
   * @throws IOException on a malformed frame or when the output would exceed {@code dst.length}
   */
  static int decode(byte[] src, int off, int length, byte[] dst, int dstLimit) throws IOException {
    int pos = off;
    int end = off + length;
    int out = 0;
    while (pos < end) {
      int magic = u32(src, pos);
      pos += 4;
      if ((magic & 0xFFFFFFF0) == SKIPPABLE_MAGIC) {
        pos += 4 + u32(src, pos);
        continue;
      }
      if (magic != FRAME_MAGIC) {
        throw new IOException(String.format("not an LZ4 frame (magic 0x%08x)", magic));
      }
      int flags = src[pos++] & 0xff;
      pos++; // BD: the maximum block size, not needed when decoding into one array
      if ((flags >>> 6) != 1) {
        throw new IOException("LZ4 frame version " + (flags >>> 6) + " (only 1 exists)");
      }
      boolean blockChecksums = (flags & 0x10) != 0;
      boolean contentChecksum = (flags & 0x04) != 0;
      if ((flags & 0x01) != 0) {
        throw new IOException("LZ4 frame needs a dictionary");
      }
      pos += (flags & 0x08) != 0 ? 8 : 0; // content size
      pos++; // header checksum
      int frameStart = out;
      while (true) {
        int blockSize = u32(src, pos);
        pos += 4;
        if (blockSize == 0) {
          break;
        }
        int size = blockSize & 0x7fffffff;
        if (size > end - pos) {
          throw new IOException("LZ4 block of " + size + " bytes runs past the data");
        }
        if ((blockSize & 0x80000000) != 0) {
          if (size > dstLimit - out) {
            throw new IOException("LZ4 data is larger than declared (" + dstLimit + " bytes)");
          }
          System.arraycopy(src, pos, dst, out, size);
          out += size;
        } else {
          out = decodeBlock(src, pos, pos + size, dst, out, dstLimit);
        }
        pos += size + (blockChecksums ? 4 : 0);
      }
      if (contentChecksum) {
        int expected = u32(src, pos);
        pos += 4;
        if (XXHASH.hash(dst, frameStart, out - frameStart, 0) != expected) {
          throw new IOException("LZ4 content checksum mismatch");
        }
      }
    }
    return out;
  }

  /** One LZ4 block into {@code dst} at {@code out}; matches may reach back before {@code out} (linked blocks). */
  private static int decodeBlock(byte[] src, int pos, int end, byte[] dst, int out, int limit) throws IOException {
    while (true) {
      int token = src[pos++] & 0xff;
      int literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          b = src[pos++] & 0xff;
          literals += b;
        } while (b == 255);
      }
      if (literals > end - pos || literals > limit - out) {
        throw new IOException("LZ4 literals run past the block or the declared size");
      }
      System.arraycopy(src, pos, dst, out, literals);
      pos += literals;
      out += literals;
      if (pos >= end) {
        return out; // the last sequence has literals only
      }
      int offset = (src[pos] & 0xff) | (src[pos + 1] & 0xff) << 8;
      pos += 2;
      int match = token & 15;
      if (match == 15) {
        int b;
        do {
          b = src[pos++] & 0xff;
          match += b;
        } while (b == 255);
      }
      match += 4; // LZ4's minimum match
      if (offset == 0 || offset > out || match > limit - out) {
        throw new IOException("LZ4 match (offset " + offset + ", " + match + " bytes) outside the data");
      }
      int from = out - offset;
      if (offset >= match) {
        System.arraycopy(dst, from, dst, out, match);
        out += match;
      } else {
        for (int i = 0; i < match; i++) { // overlapping: repeats the last `offset` bytes
          dst[out++] = dst[from + i];
        }
      }
    }
  }

  private static int u32(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }
}
