package io.depthstream.streams;

import com.google.protobuf.ByteString;
import io.depthstream.depth.image.TestPngs;
import io.depthstream.proto.v1.FocalSlice;
import io.depthstream.proto.v1.FocalStack;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.PixelFormat;
import io.depthstream.proto.v1.SensorKind;
import java.awt.image.BufferedImage;

/** Builders of small focal stacks for tests. */
public final class TestStacks {
  private TestStacks() {}

  /** An empty stack of {@code width x height} with identity and intrinsics; add slices to it. */
  public static FocalStack.Builder header(String sensor, long sequence, int width, int height) {
    return FocalStack.newBuilder()
        .setId(FrameId.newBuilder().setSensorId(sensor).setKind(SensorKind.SENSOR_KIND_FOCAL_STACK)
            .setSequence(sequence).setCaptureTimeNs(TestFrames.CAPTURE_NS + sequence * 33_333_333L))
        .setWidth(width)
        .setHeight(height)
        .setIntrinsics(TestFrames.intrinsics(width, height));
  }

  public static FocalSlice gray(float focusM, byte[] pixels) {
    return FocalSlice.newBuilder().setFocusDistanceM(focusM).setFormat(PixelFormat.PIXEL_FORMAT_GRAY8)
        .setPixels(ByteString.copyFrom(pixels)).build();
  }

  /** {@code rgb} interleaved R, G, B. */
  public static FocalSlice rgb(float focusM, byte[] rgb) {
    return FocalSlice.newBuilder().setFocusDistanceM(focusM).setFormat(PixelFormat.PIXEL_FORMAT_RGB8)
        .setPixels(ByteString.copyFrom(rgb)).build();
  }

  public static FocalSlice png(float focusM, byte[] pngBytes) {
    return FocalSlice.newBuilder().setFocusDistanceM(focusM).setFormat(PixelFormat.PIXEL_FORMAT_PNG)
        .setPixels(ByteString.copyFrom(pngBytes)).build();
  }

  /** A deterministic RGB8 texture (interleaved), each byte a different function of x, y and channel. */
  public static byte[] texture(int width, int height, int seed) {
    byte[] out = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++) {
          out[(y * width + x) * 3 + c] = (byte) ((x * 37 + y * 11 + c * 80 + seed * 53) & 0xFF);
        }
      }
    }
    return out;
  }

  /** {@code rgb} (interleaved R, G, B) written as an RGB PNG. */
  public static byte[] rgbPng(int width, int height, byte[] rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < width * height; i++) {
      int r = rgb[3 * i] & 0xFF;
      int g = rgb[3 * i + 1] & 0xFF;
      int b = rgb[3 * i + 2] & 0xFF;
      image.setRGB(i % width, i / width, (r << 16) | (g << 8) | b);
    }
    return write(image);
  }

  /** {@code gray} written as an 8-bit grey PNG. */
  public static byte[] grayPng(int width, int height, byte[] gray) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, width, height, gray);
    return write(image);
  }

  /** A 16-bit grey PNG (all zero). */
  public static byte[] gray16Png(int width, int height) {
    return write(new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY));
  }

  /**
   * A PNG whose header (IHDR, CRC-correct) declares {@code width x height} 8-bit grey while its image data holds
   * a few bytes only: a decoder that trusts the header allocates the declared size before finding out.
   */
  public static byte[] pngDeclaring(int width, int height) {
    return TestPngs.assemble(width, height, 8, 0, false, new byte[64], null);
  }

  private static byte[] write(BufferedImage image) {
    return TestPngs.write(image, false);
  }

}
