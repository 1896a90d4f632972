package io.depthstream.streams.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.proto.v1.FocalStack;
import io.depthstream.streams.TestStacks;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FocalStackDecoderTest {
  private final FocalStackDecoder decoder = new FocalStackDecoder(1_000_000);

  @Test
  void grayIsReplicatedRgbIsPlanarAndSlicesAreSortedNearToFar() throws Exception {
    // 2x1 stack: the far RGB slice arrives first, the near grey slice second.
    byte[] rgb = {(byte) 255, 0, 51, 102, (byte) 204, 0}; // pixel 0 = (255, 0, 51), pixel 1 = (102, 204, 0)
    byte[] gray = {51, (byte) 255};
    FocalStack stack = TestStacks.header("cam", 1, 2, 1)
        .addSlices(TestStacks.rgb(3.0f, rgb))
        .addSlices(TestStacks.gray(0.5f, gray))
        .build();

    FocalStackDecoder.Decoded d = decoder.decode("cam", stack.toByteArray());

    assertThat(d.slices()).isEqualTo(2);
    assertThat(d.width()).isEqualTo(2);
    assertThat(d.height()).isEqualTo(1);
    assertThat(d.focusMetres()).containsExactly(0.5f, 3.0f);
    // [T][3][H][W]: slice 0 (grey, 0.5 m) R, G, B planes then slice 1 (RGB, 3 m) R, G, B planes; x / 255.
    assertThat(d.stackRgb()).containsExactly(
        0.2f, 1f, 0.2f, 1f, 0.2f, 1f,
        1f, 0.4f, 0f, 0.8f, 0.2f, 0f);
    assertThat(d.id()).isEqualTo(stack.getId());
    assertThat(d.intrinsics()).isEqualTo(stack.getIntrinsics());
  }

  @Test
  void pngSlicesDecodeToTheSameValuesAsRawPixels() throws Exception {
    int w = 5;
    int h = 3;
    byte[] rgb = TestStacks.texture(w, h, 1);
    byte[] gray = new byte[w * h];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = (byte) (i * 17);
    }
    FocalStack raw = TestStacks.header("cam", 1, w, h)
        .addSlices(TestStacks.rgb(1f, rgb)).addSlices(TestStacks.gray(2f, gray)).build();
    FocalStack png = TestStacks.header("cam", 1, w, h)
        .addSlices(TestStacks.png(1f, TestStacks.rgbPng(w, h, rgb)))
        .addSlices(TestStacks.png(2f, TestStacks.grayPng(w, h, gray))).build();

    float[] fromRaw = decoder.decode("cam", raw.toByteArray()).stackRgb().clone();
    float[] fromPng = decoder.decode("cam", png.toByteArray()).stackRgb();

    assertThat(fromPng).containsExactly(fromRaw);
    // Spot check by hand: grey pixel 2 is 34/255 in all three planes of slice 1.
    int plane = w * h;
    assertThat(fromPng[3 * plane + 2]).isEqualTo(34f / 255f);
    assertThat(fromPng[4 * plane + 2]).isEqualTo(34f / 255f);
    assertThat(fromPng[5 * plane + 2]).isEqualTo(34f / 255f);
  }

  @Test
  void rgbaAndSixteenBitPngSlicesIgnoreAlphaAndScaleToTheUnitRange() throws Exception {
    BufferedImage rgba = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0x10FF0033);
    rgba.setRGB(1, 0, 0xFF102030);
    rgba.setRGB(2, 0, 0x00FFFFFF); // fully transparent: the colour still counts
    BufferedImage grey16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 65535, 32768});
    FocalStack stack = TestStacks.header("cam", 1, 3, 1)
        .addSlices(TestStacks.png(1f, encode(rgba))).addSlices(TestStacks.png(2f, encode(grey16))).build();

    float[] s = decoder.decode("cam", stack.toByteArray()).stackRgb();

    float half = 32768 / 65535f;
    assertThat(s).containsExactly(
        1f, 16 / 255f, 1f, 0f, 32 / 255f, 1f, 51 / 255f, 48 / 255f, 1f, // RGBA slice: R, G, B planes
        0f, 1f, half, 0f, 1f, half, 0f, 1f, half); // 16-bit grey slice: v / 65535 in all three
  }

  private static byte[] encode(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "png", out)).isTrue();
    return out.toByteArray();
  }

  @Test
  void buffersAreReusedForTheSameStackSize() throws Exception {
    byte[] gray = {1, 2};
    byte[] value = TestStacks.header("cam", 1, 2, 1).addSlices(TestStacks.gray(1f, gray)).build().toByteArray();
    float[] first = decoder.decode("cam", value).stackRgb();
    assertThat(decoder.decode("cam", value).stackRgb()).isSameAs(first);
  }

  @Test
  void badStacksNameTheirProblem() {
    byte[] gray = {1, 2};
    FocalStack.Builder good = TestStacks.header("cam", 1, 2, 1).addSlices(TestStacks.gray(1f, gray));
    assertReason(good.clone().clearSlices().build(), DeadLetterReason.MISSING_FIELD, "no slices");
    assertReason(good.clone().addSlices(TestStacks.gray(-1f, gray)).build(), DeadLetterReason.INVALID_FOCUS_DISTANCE,
        "slice 1");
    assertReason(good.clone().addSlices(TestStacks.gray(Float.POSITIVE_INFINITY, gray)).build(),
        DeadLetterReason.INVALID_FOCUS_DISTANCE, "Infinity");
    assertReason(good.clone().addSlices(TestStacks.rgb(2f, gray)).build(), DeadLetterReason.PAYLOAD_SIZE_MISMATCH,
        "2x1x3 = 6");
    assertReason(good.clone().setChunkIndex(0).setChunkCount(2).build(), DeadLetterReason.CHUNKED_STACK_UNSUPPORTED,
        "chunk 0 of 2");
    assertReason(good.clone().setWidth(0).build(), DeadLetterReason.ABSURD_DIMENSIONS, "0x1");
    assertReason(good.clone().addSlices(TestStacks.png(2f, TestStacks.grayPng(3, 1, new byte[3]))).build(),
        DeadLetterReason.PAYLOAD_SIZE_MISMATCH, "3x1 PNG");
  }

  @Test
  void tooManyValuesAreAbsurdBeforeAnyAllocation() {
    FocalStackDecoder big = new FocalStackDecoder(67_108_864);
    FocalStack.Builder stack = TestStacks.header("cam", 1, 8192, 8192).clearIntrinsics()
        .setIntrinsics(io.depthstream.streams.TestFrames.intrinsics(8192, 8192));
    stack.addSlices(TestStacks.gray(1f, new byte[0]));
    assertThatThrownBy(() -> big.decode("cam", stack.build().toByteArray()))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.ABSURD_DIMENSIONS))
        .hasMessageContaining("input values");
  }

  private void assertReason(FocalStack stack, DeadLetterReason reason, String messagePart) {
    assertThatThrownBy(() -> decoder.decode("cam", stack.toByteArray()))
        .isInstanceOfSatisfying(InvalidFrameException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }

  @Test
  void aPngSliceDeclaringAHugeSizeIsRejectedFromItsHeaderWithoutDecoding() {
    // Found by FrameCorpusTest: ImageIO allocated the declared 30000x30000 (900 MB) before failing on the data.
    byte[] bytes = TestStacks.header("cam", 1, 4, 3)
        .addSlices(TestStacks.png(1f, TestStacks.pngDeclaring(30_000, 30_000))).build().toByteArray();
    long before = FrameDecoderTest.allocatedBytes();
    assertThatThrownBy(() -> decoder.decode("cam", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.PAYLOAD_SIZE_MISMATCH))
        .hasMessageContaining("30000x30000");
    assertThat(FrameDecoderTest.allocatedBytes() - before).as("bytes allocated while rejecting")
        .isLessThan(4 << 20);
  }

  @Test
  void slicesOfTheWrongSizeAreRejectedBeforeTheStackBufferIsAllocated() {
    // Five one-byte slices declaring 1000x1000 would otherwise cost a 5 x 3 x 1000 x 1000 float buffer (60 MB).
    FocalStack.Builder stack = TestStacks.header("cam", 1, 1000, 1000);
    for (int i = 0; i < 5; i++) {
      stack.addSlices(TestStacks.gray(1f + i, new byte[1]));
    }
    byte[] bytes = stack.build().toByteArray();
    long before = FrameDecoderTest.allocatedBytes();
    assertThatThrownBy(() -> decoder.decode("cam", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.PAYLOAD_SIZE_MISMATCH));
    assertThat(FrameDecoderTest.allocatedBytes() - before).as("bytes allocated while rejecting")
        .isLessThan(1 << 20);
  }

  @Test
  void aNegativeCaptureTimeIsRejected() {
    FocalStack good = TestStacks.header("cam", 1, 1, 1).addSlices(TestStacks.gray(1f, new byte[1])).build();
    byte[] bytes = good.toBuilder().setId(good.getId().toBuilder().setCaptureTimeNs(-5_000_000_000L)).build()
        .toByteArray();
    assertThatThrownBy(() -> decoder.decode("cam", bytes))
        .isInstanceOfSatisfying(InvalidFrameException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.MISSING_FIELD))
        .hasMessageContaining("capture_time_ns");
  }
}
