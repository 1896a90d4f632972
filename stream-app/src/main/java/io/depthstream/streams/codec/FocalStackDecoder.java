package io.depthstream.streams.codec;

import com.google.protobuf.ByteString;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.image.Png;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FocalSlice;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes and validates raw {@link FocalStack} bytes into the focal-stack model's input: a planar
 * {@code [T][3][H][W]} float array of colours in [0, 1] and the {@code T} focus distances in metres, near to far.
 *
 * <p>Slices are sorted by focus distance (the model wants near to far; the wire order is capture order). GRAY8
 * slices, and grey PNGs, are replicated to the three channels; RGB8 is interleaved R, G, B; PNG slices are decoded
 * by the project's one PNG decoder (depth-core's {@link Png}: every colour type and bit depth, interlaced or not;
 * samples scaled by {@code 1 / (2^bits - 1)}, alpha ignored, palette colours looked up) and must have the stack's
 * size. Anything that cannot be trusted (no slices, a focus distance that is not finite and &gt; 0, a pixel
 * payload whose size disagrees with width * height, absurd sizes,
 * an unknown pixel format, an undecodable PNG, missing identity or intrinsics) is rejected with an
 * {@link InvalidFrameException} naming the problem. Chunked stacks ({@code chunk_count > 1}) are rejected with
 * {@link DeadLetterReason#CHUNKED_STACK_UNSUPPORTED}: this node does not join chunks (raise the source connector's
 * message limit so stacks arrive whole).
 *
 * <p>Not thread-safe: one decoder per stream task; the stack and focus arrays are reused while the stack's
 * {@code (T, H, W)} stays the same.
 */
public final class FocalStackDecoder {
  /** Most slices accepted in one stack. */
  public static final int MAX_SLICES = 64;

  /** Most model input values (T * 3 * H * W) accepted: 256 MiB of floats. */
  public static final long MAX_STACK_VALUES = 64L * 1024 * 1024;

  private final int maxPixels;
  private float[] stack = new float[0];
  private float[] focus = new float[0];
  private int[] order = new int[0];
  private final Png.Decoder pngDecoder = new Png.Decoder();

  /** @param maxPixels largest accepted width * height of one slice */
  public FocalStackDecoder(int maxPixels) {
    this.maxPixels = maxPixels;
  }

  /**
   * A validated stack: its identity (kind focal stack), intrinsics and size; {@code stackRgb} and
   * {@code focusMetres} are this decoder's buffers, valid until the next decode.
   */
  public record Decoded(FrameId id, CameraIntrinsics intrinsics, float[] stackRgb, float[] focusMetres, int slices,
      int height, int width) implements DecodedFrame {}

  /**
   * @param key the Kafka record key, expected to equal the sensor id (null is accepted)
   * @param bytes the record value
   */
  public Decoded decode(String key, byte[] bytes) throws InvalidFrameException {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidFrameException(DeadLetterReason.EMPTY_VALUE, "record value is empty (tombstone or zero bytes)");
    }
    FocalStack msg;
    try {
      msg = FocalStack.parseFrom(AliasingInput.of(bytes)); // slices point into the record's array, not copied
    } catch (IOException e) { // InvalidProtocolBufferException: a byte array has no other I/O
      throw new InvalidFrameException(DeadLetterReason.CORRUPT_BYTES,
          "value is not a FocalStack protobuf: " + e.getMessage(), e);
    }
    FrameId id = checkIdentity(key, msg.getId());
    if (Integer.toUnsignedLong(msg.getChunkCount()) > 1) {
      throw new InvalidFrameException(DeadLetterReason.CHUNKED_STACK_UNSUPPORTED,
          "focal stack is chunk " + Integer.toUnsignedString(msg.getChunkIndex()) + " of "
              + Integer.toUnsignedString(msg.getChunkCount()) + "; this node does not join chunked stacks "
              + "(raise the source connector's max.message.bytes so stacks arrive whole)");
    }
    int width = msg.getWidth();
    int height = msg.getHeight();
    long pixels = Integer.toUnsignedLong(width) * Integer.toUnsignedLong(height);
    if (width <= 0 || height <= 0 || width > DepthMap.MAX_SIDE || height > DepthMap.MAX_SIDE || pixels > maxPixels) {
      throw new InvalidFrameException(DeadLetterReason.ABSURD_DIMENSIONS,
          "focal stack size " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height)
              + " is outside 1.." + DepthMap.MAX_SIDE + " per side and " + maxPixels + " pixels");
    }
    Intrinsics.check(msg.getIntrinsics(), width, height, "stack");
    int t = msg.getSlicesCount();
    if (t == 0) {
      throw new InvalidFrameException(DeadLetterReason.MISSING_FIELD, "focal stack has no slices");
    }
    if (t > MAX_SLICES) {
      throw new InvalidFrameException(DeadLetterReason.ABSURD_DIMENSIONS,
          "focal stack has " + t + " slices; at most " + MAX_SLICES + " are accepted");
    }
    if ((long) t * 3 * pixels > MAX_STACK_VALUES) {
      throw new InvalidFrameException(DeadLetterReason.ABSURD_DIMENSIONS,
          "focal stack of " + t + " slices of " + width + "x"
              + height + " is " + (long) t * 3 * pixels + " input values; at most " + MAX_STACK_VALUES
              + " are accepted");
    }
    for (int i = 0; i < t; i++) {
      float f = msg.getSlices(i).getFocusDistanceM();
      if (!(f > 0f && f <= Float.MAX_VALUE)) { // NaN, 0 (unset), negative and infinite all fail
        throw new InvalidFrameException(DeadLetterReason.INVALID_FOCUS_DISTANCE,
            "slice " + i + " has focus distance " + f + " m; every slice needs a finite focus_distance_m > 0");
      }
    }
    // Every slice's size is checked before the stack buffer (up to MAX_STACK_VALUES floats) is allocated and
    // before a PNG is decoded (the decoder allocates the size its header declares).
    for (int i = 0; i < t; i++) {
      checkSlice(msg.getSlices(i), i, width, height);
    }
    int plane = (int) pixels;
    buffers(t, plane);
    sortByFocus(msg, t);
    for (int s = 0; s < t; s++) {
      FocalSlice slice = msg.getSlices(order[s]);
      focus[s] = slice.getFocusDistanceM();
      fillSlice(slice, order[s], s * 3 * plane, width, height);
    }
    return new Decoded(id, msg.getIntrinsics(), stack, focus, t, height, width);
  }

  private static FrameId checkIdentity(String key, FrameId id) throws InvalidFrameException {
    if (id.getSensorId().isEmpty()) {
      throw new InvalidFrameException(DeadLetterReason.MISSING_FIELD, "focal stack has no id.sensor_id");
    }
    if (key != null && !key.equals(id.getSensorId())) {
      throw new InvalidFrameException(DeadLetterReason.KEY_MISMATCH,
          "record key '" + key + "' differs from id.sensor_id '"
              + id.getSensorId() + "'; keys must be sensor ids so each sensor's stacks stay ordered");
    }
    FrameDecoder.checkCaptureTime(id.getCaptureTimeNs(), "focal stack");
    return FrameIdentity.withTopicKind(id, SensorKind.SENSOR_KIND_FOCAL_STACK, "focal stack");
  }

  private void buffers(int t, int plane) {
    int values = t * 3 * plane; // <= MAX_STACK_VALUES: fits an int
    if (stack.length != values) {
      stack = new float[values];
    }
    if (focus.length != t) {
      focus = new float[t];
      order = new int[t];
    }
  }

  /** Insertion sort of slice indices by focus distance, stable (T is small). */
  private void sortByFocus(FocalStack msg, int t) {
    for (int i = 0; i < t; i++) {
      int j = i;
      float f = msg.getSlices(i).getFocusDistanceM();
      while (j > 0 && msg.getSlices(order[j - 1]).getFocusDistanceM() > f) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
  }

  /** Writes one slice's R, G and B planes, in [0, 1], at {@code base} of the stack. */
  private void fillSlice(FocalSlice slice, int index, int base, int width, int height) throws InvalidFrameException {
    int plane = width * height;
    ByteString px = slice.getPixels();
    switch (slice.getFormat()) {
      case PIXEL_FORMAT_GRAY8 -> {
        checkSize(px, plane, 1, index, "GRAY8", width, height);
        for (int i = 0; i < plane; i++) {
          float v = (px.byteAt(i) & 0xFF) / 255f;
          stack[base + i] = v;
          stack[base + plane + i] = v;
          stack[base + 2 * plane + i] = v;
        }
      }
      case PIXEL_FORMAT_RGB8 -> {
        checkSize(px, plane, 3, index, "RGB8", width, height);
        for (int i = 0; i < plane; i++) {
          stack[base + i] = (px.byteAt(3 * i) & 0xFF) / 255f;
          stack[base + plane + i] = (px.byteAt(3 * i + 1) & 0xFF) / 255f;
          stack[base + 2 * plane + i] = (px.byteAt(3 * i + 2) & 0xFF) / 255f;
        }
      }
      case PIXEL_FORMAT_PNG -> fillPng(px, index, base, width, height);
      default -> throw new InvalidFrameException(DeadLetterReason.UNKNOWN_ENCODING,
          "slice " + index + " has pixel format " + slice.getFormat() + "; expected GRAY8, RGB8 or PNG");
    }
  }

  private static void checkSlice(FocalSlice slice, int index, int width, int height) throws InvalidFrameException {
    ByteString px = slice.getPixels();
    switch (slice.getFormat()) {
      case PIXEL_FORMAT_GRAY8 -> checkSize(px, width * height, 1, index, "GRAY8", width, height);
      case PIXEL_FORMAT_RGB8 -> checkSize(px, width * height, 3, index, "RGB8", width, height);
      case PIXEL_FORMAT_PNG -> checkPngSize(px, index, width, height);
      default -> throw new InvalidFrameException(DeadLetterReason.UNKNOWN_ENCODING,
          "slice " + index + " has pixel format " + slice.getFormat() + "; expected GRAY8, RGB8 or PNG");
    }
  }

  /** Reads only the PNG's header (IHDR) and checks its size against the stack's. */
  private static void checkPngSize(ByteString png, int index, int width, int height) throws InvalidFrameException {
    Png.Header h;
    try {
      byte[] head = png.substring(0, Math.min(png.size(), Png.HEADER_BYTES)).toByteArray();
      h = Png.declaredHeader(head, slice(index)); // as declared: a size beyond the codec's limit is a mismatch too
    } catch (ImageFileException e) {
      throw notReadable(index, e);
    }
    if (h.width() != width || h.height() != height) {
      throw new InvalidFrameException(DeadLetterReason.PAYLOAD_SIZE_MISMATCH, "slice " + index + " is a " + h.width()
          + "x" + h.height() + " PNG but the stack is " + width + "x" + height);
    }
  }

  /** Decodes a PNG slice whose header {@link #checkPngSize} accepted into R, G, B planes in [0, 1]. */
  private void fillPng(ByteString png, int index, int base, int width, int height) throws InvalidFrameException {
    Png.Header h;
    try {
      h = pngDecoder.decodeSamples(png.toByteArray(), slice(index));
    } catch (ImageFileException e) {
      throw notReadable(index, e);
    }
    Png.toRgbPlanes(h, pngDecoder.samples(), stack, base);
  }

  /** The name a slice's PNG errors carry (the codec names a file; a slice has only its index). */
  private static Path slice(int index) {
    return Path.of("slice-" + index + ".png");
  }

  private static InvalidFrameException notReadable(int index, ImageFileException e) {
    return new InvalidFrameException(DeadLetterReason.CORRUPT_BYTES, "slice " + index + " is not a readable PNG: "
        + e.detail(), e);
  }

  private static void checkSize(ByteString px, int plane, int channels, int index, String format, int width,
      int height) throws InvalidFrameException {
    long expected = (long) plane * channels;
    if (px.size() != expected) {
      throw new InvalidFrameException(DeadLetterReason.PAYLOAD_SIZE_MISMATCH,
          "slice " + index + " (" + format + ") has "
              + px.size() + " bytes, but " + width + "x" + height + "x" + channels + " = " + expected
              + " are required");
    }
  }
}
