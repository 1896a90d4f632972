package io.depthstream.streams.codec;

import com.google.protobuf.ByteString;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.MeasuredBits;
import io.depthstream.depth.support.SpecialPixels;
import io.depthstream.depth.wire.DepthWire;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes and validates raw {@link DepthFrame} bytes into a reused {@link DepthMap}.
 *
 * <p>Wire to memory conventions (see the .proto files): uint16 millimetres with 0 = no measurement become
 * metres with 0; float32 metres with NaN (or 0) = no measurement become 0; sparse samples are scattered into a
 * zeroed map, the nearest depth winning on repeated indices. +Inf and -Inf (REP-117: no return within range,
 * nearer than the minimum range) become 0 in the map, which is what reconstruction sees, and are listed in the
 * frame's {@link SpecialPixels} for the guidance. Anything else that cannot be trusted (negative or NaN sparse depth,
 * finite depth beyond the configured maximum, sizes that disagree with the payload, absurd dimensions, missing
 * identity or intrinsics, a kind that disagrees with the topic's, a negative
 * capture time) is rejected with an {@link InvalidFrameException}
 * naming the problem. Each pixel is read and validated once.
 *
 * <p>Not thread-safe: one decoder per stream task, which keeps one buffer per frame size.
 */
public final class FrameDecoder {
  private final SensorKind topicKind;
  private final int maxPixels;
  private final float maxDepthMetres;
  private final SpecialPixels specials = new SpecialPixels();
  private DepthMap buffer;
  /** The last sparse frame's samples. */
  private final SparseWire sparse = new SparseWire();
  /** The last frame's pixels with depth > 0, marked while decoding (per sample for sparse frames). */
  private final MeasuredBits measured = new MeasuredBits();

  /**
   * A decoder for one raw topic: the topic decides the sensor kind. A frame whose id.kind is unset gets the topic's
   * kind; one whose id.kind names another kind is rejected with {@link DeadLetterReason#KIND_MISMATCH}.
   *
   * @param topicKind the sensor kind of the topic this decoder reads
   * @param maxPixels largest accepted width * height
   * @param maxDepthMetres largest plausible finite depth, metres
   */
  public FrameDecoder(SensorKind topicKind, int maxPixels, double maxDepthMetres) {
    this.topicKind = topicKind;
    this.maxPixels = maxPixels;
    this.maxDepthMetres = (float) maxDepthMetres;
  }

  /** A decoder for tools that read frames of any kind: the frame's own id.kind must be set. */
  public FrameDecoder(int maxPixels, double maxDepthMetres) {
    this(null, maxPixels, maxDepthMetres);
  }

  /**
   * A validated frame: its identity (with the topic's kind), its intrinsics, the depth and its ±Inf pixels, the last
   * two valid until the next decode.
   */
  public record Decoded(FrameId id, CameraIntrinsics intrinsics, DepthMap depth, SpecialPixels specials,
      MeasuredBits measured)
      implements
        DecodedFrame {}

  /**
   * @param key the Kafka record key, expected to equal the sensor id (null is accepted)
   * @param bytes the record value
   */
  public Decoded decode(String key, byte[] bytes) throws InvalidFrameException {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidFrameException(DeadLetterReason.EMPTY_VALUE, "record value is empty (tombstone or zero bytes)");
    }
    // A sparse frame's samples are read straight from the bytes (SparseWire) and the rest of the frame parsed without
    // them; any other frame, or a sparse one in a form that reader leaves alone, is parsed whole.
    DepthFrame frame = sparse.read(bytes) ? sparse.frameWithoutSamples(bytes) : null;
    if (frame == null) {
      try {
        // Aliasing: the payload ByteString points into the record's array instead of copying it (0.6 MB a frame).
        frame = DepthFrame.parseFrom(AliasingInput.of(bytes));
      } catch (IOException e) { // InvalidProtocolBufferException: a byte array has no other I/O
        throw new InvalidFrameException(DeadLetterReason.CORRUPT_BYTES,
            "value is not a DepthFrame protobuf: " + e.getMessage(), e);
      }
      sparse.forget();
    }
    FrameId id = checkIdentity(key, frame);
    int width = frame.getWidth();
    int height = frame.getHeight();
    checkDimensions(width, height);
    Intrinsics.check(frame.getIntrinsics(), width, height, "frame");
    // Dense payload sizes are checked before the map is allocated: a tiny record declaring 2048x2048 must not
    // cost a 16 MB buffer.
    switch (frame.getPayloadCase()) {
      case DENSE_MM -> checkPayloadSize(frame.getDenseMm().getData(), width, height, 2, "dense_mm (uint16)");
      case DENSE_M -> checkPayloadSize(frame.getDenseM().getData(), width, height, 4, "dense_m (float32)");
      default -> {}
    }
    DepthMap depth = buffer(width, height);
    specials.clear();
    measured.reset(width, height);
    switch (frame.getPayloadCase()) {
      case DENSE_MM -> decodeMillimetres(frame.getDenseMm().getData(), depth);
      case DENSE_M -> decodeMetres(frame.getDenseM().getData(), depth);
      case SPARSE -> {
        sparse.copy(frame.getSparse());
        decodeSparse(depth);
      }
      case PAYLOAD_NOT_SET -> {
        if (!sparse.holdsSamples()) {
          throw new InvalidFrameException(DeadLetterReason.UNKNOWN_ENCODING,
              "frame has no payload this node understands (dense_mm, dense_m or sparse); unknown fields: "
                  + frame.getUnknownFields().asMap().keySet());
        }
        decodeSparse(depth);
      }
    }
    return new Decoded(id, frame.getIntrinsics(), depth, specials, measured);
  }

  /** Checks the identity and returns it with the topic's kind. */
  private FrameId checkIdentity(String key, DepthFrame frame) throws InvalidFrameException {
    FrameId id = frame.getId();
    if (!frame.hasId() || id.getSensorId().isEmpty()) {
      throw new InvalidFrameException(DeadLetterReason.MISSING_FIELD, "frame has no id.sensor_id");
    }
    if (key != null && !key.equals(id.getSensorId())) {
      throw new InvalidFrameException(DeadLetterReason.KEY_MISMATCH,
          "record key '" + key + "' differs from id.sensor_id '" + id.getSensorId()
              + "'; keys must be sensor ids so each sensor's frames stay ordered");
    }
    checkCaptureTime(id.getCaptureTimeNs(), "frame");
    return FrameIdentity.withTopicKind(id, topicKind, "frame");
  }

  /**
   * The capture time becomes the output records' Kafka timestamp, which may not be negative: a negative one
   * would make the forward throw inside the processor and stop the stream task.
   */
  static void checkCaptureTime(long captureTimeNs, String what) throws InvalidFrameException {
    if (captureTimeNs < 0) {
      throw new InvalidFrameException(DeadLetterReason.MISSING_FIELD, what + " has id.capture_time_ns " + captureTimeNs
          + "; a capture time is ns since the epoch, >= 0 (it becomes the Kafka record timestamp)");
    }
  }

  private void checkDimensions(int width, int height) throws InvalidFrameException {
    long pixels = Integer.toUnsignedLong(width) * Integer.toUnsignedLong(height);
    if (width <= 0 || height <= 0 || width > DepthMap.MAX_SIDE || height > DepthMap.MAX_SIDE || pixels > maxPixels) {
      throw new InvalidFrameException(DeadLetterReason.ABSURD_DIMENSIONS,
          "frame size " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height)
              + " is outside 1.." + DepthMap.MAX_SIDE + " per side and " + maxPixels + " pixels");
    }
  }

  private DepthMap buffer(int width, int height) {
    if (buffer == null || buffer.width() != width || buffer.height() != height) {
      buffer = DepthMap.allocate(width, height);
    }
    return buffer;
  }

  /** uint16 LE millimetres to metres, marking the measured pixels in the same pass. */
  private void decodeMillimetres(ByteString data, DepthMap depth) {
    DepthWire.fromUint16(data.asReadOnlyByteBuffer(), DepthWire.MILLIMETRES, depth, measured);
  }

  private void decodeMetres(ByteString data, DepthMap depth) throws InvalidFrameException {
    ByteBuffer bb = data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = depth.data();
    int width = depth.width();
    for (int y = 0; y < depth.height(); y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        float d = bb.getFloat();
        if (d >= 0f && d <= maxDepthMetres) {
          out[i] = d;
          if (d > 0f) {
            measured.set(x, y);
          }
        } else if (Float.isNaN(d)) {
          out[i] = 0f;
        } else if (d == Float.POSITIVE_INFINITY || d == Float.NEGATIVE_INFINITY) {
          out[i] = 0f;
          specials.add(i, d > 0f ? SpecialPixels.NO_RETURN : SpecialPixels.TOO_CLOSE);
        } else {
          throw new InvalidFrameException(DeadLetterReason.INVALID_DEPTH, "dense_m pixel " + i + " (x=" + x + ", y="
              + y + ") has depth " + d + " m, outside [0, " + maxDepthMetres
              + "] (NaN = no measurement; +Inf / -Inf per REP-117)");
        }
      }
    }
  }

  /** Scatters the samples {@link #sparse} holds (read from the wire or copied from a parsed frame). */
  private void decodeSparse(DepthMap depth) throws InvalidFrameException {
    int n = sparse.indexCount();
    if (n != sparse.depthCount()) {
      throw new InvalidFrameException(DeadLetterReason.PAYLOAD_SIZE_MISMATCH,
          "sparse has " + n + " indices but " + sparse.depthCount() + " depths");
    }
    depth.clear();
    float[] out = depth.data();
    int[] indices = sparse.indices();
    float[] depths = sparse.depths();
    for (int i = 0; i < n; i++) {
      long index = Integer.toUnsignedLong(indices[i]);
      float d = depths[i];
      if (index >= out.length) {
        throw new InvalidFrameException(DeadLetterReason.SPARSE_INDEX_OUT_OF_RANGE,
            "sparse sample " + i + " has pixel index " + index + " outside the " + depth.width() + "x"
                + depth.height() + " image");
      }
      if (!(d > 0f && d <= maxDepthMetres)) { // NaN fails too
        if (d == Float.POSITIVE_INFINITY || d == Float.NEGATIVE_INFINITY) {
          specials.add((int) index, d > 0f ? SpecialPixels.NO_RETURN : SpecialPixels.TOO_CLOSE);
          continue;
        }
        throw new InvalidFrameException(DeadLetterReason.INVALID_DEPTH, "sparse sample " + i + " has depth " + d
            + " m; sparse depths must be in (0, " + maxDepthMetres + "], +Inf or -Inf (REP-117)");
      }
      float prev = out[(int) index];
      out[(int) index] = prev > 0f ? Math.min(prev, d) : d;
      measured.set((int) index);
    }
  }

  private static void checkPayloadSize(ByteString data, int width, int height, int bytesPerPixel, String what)
      throws InvalidFrameException {
    long expected = (long) width * height * bytesPerPixel;
    if (data.size() != expected) {
      throw new InvalidFrameException(DeadLetterReason.PAYLOAD_SIZE_MISMATCH,
          what + " payload has " + data.size() + " bytes, but " + width + "x" + height + "x"
              + bytesPerPixel + " = " + expected + " are required");
    }
  }
}
