package io.depthstream.connect.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depthstream.connect.testing.SharedData;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.image.DepthImages;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.io.DepthImageIO;
import io.depthstream.depth.io.RawImage;
import io.depthstream.proto.kafka.DeadLetterReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connectors' side of depth-core's image codec (its own tests are depth-core's {@code PngTest} and
 * {@code DepthImagesTest}): each kind of image error becomes a {@link BadFileException} with its dead-letter reason
 * and the file's name, and the real sample depth maps decode as their manifests say.
 */
class ImageFormatsTest {
  @TempDir
  Path dir;

  private Path png16(String name, int w, int h, int... samples) throws Exception {
    Path p = dir.resolve(name);
    DepthImageIO.writePng(p, new RawImage(w, h, samples, 65535));
    return p;
  }

  /** Runs {@code decode} as a source does: the codec's error becomes a bad file. */
  private static ThrowingCallable asSource(Runnable decode) {
    return () -> {
      try {
        decode.run();
      } catch (ImageFileException e) {
        throw BadFileException.of(e);
      }
    };
  }

  @Test
  void wrongBitDepthWrongSizeTruncationAndCorruptionAreBadFilesNamingTheFileAndReason() throws Exception {
    Path eight = dir.resolve("eight.png");
    DepthImageIO.writePng(eight, new RawImage(2, 2, new int[] {1, 2, 3, 4}, 255));
    byte[] eightBytes = Files.readAllBytes(eight);
    DepthMap m = DepthMap.allocate(2, 2);
    assertThatThrownBy(asSource(() -> DepthImages.decodeScaledPng(eightBytes, eight, 1000, new int[4], m)))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_BIT_DEPTH))
        .hasMessageContaining("eight.png")
        .hasMessageContaining("expected a 16-bit single-channel grey PNG, found 8-bit grey");
    Path p = png16("big.png", 3, 2, 1, 2, 3, 4, 5, 6);
    byte[] b = Files.readAllBytes(p);
    assertThatThrownBy(asSource(() -> DepthImages.decodeScaledPng(b, p, 1000, new int[6], m)))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.WRONG_IMAGE_SIZE))
        .hasMessageContaining("big.png: image is 3x2, the configured size is 2x2");
    DepthMap ok = DepthMap.allocate(3, 2);
    byte[] cut = Arrays.copyOf(b, b.length - 20);
    assertThatThrownBy(asSource(() -> DepthImages.decodeScaledPng(cut, p, 1000, new int[6], ok)))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TRUNCATED_FILE))
        .hasMessageContaining("big.png");
    byte[] flipped = b.clone();
    flipped[40] ^= 0x55; // inside IDAT: the CRC check catches it
    assertThatThrownBy(asSource(() -> DepthImages.decodeScaledPng(flipped, p, 1000, new int[6], ok)))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CORRUPT_FILE))
        .hasMessageContaining("CRC");
    byte[] pfm = DepthImages.encodePfm(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2);
    Path x = dir.resolve("x.pfm");
    assertThatThrownBy(asSource(() -> DepthImages.decodePfm(Arrays.copyOf(pfm, pfm.length - 1), x, new float[6], 3, 2)))
        .isInstanceOfSatisfying(BadFileException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TRUNCATED_FILE))
        .hasMessageContaining("x.pfm").hasMessageContaining("raster has");
  }

  @Test
  void realTumDepthHasTheManifestsHoles() throws Exception {
    Path p = SharedData.require("tum_rgbd/TUM_depth.png");
    DepthMap depth = DepthMap.allocate(640, 480);
    DepthImages.decodeScaledPng(Files.readAllBytes(p), p, 5000, new int[640 * 480], depth);
    // MANIFEST: 19.2% missing, 1.46-9.33 m.
    assertThat(1.0 - depth.validCount() / (640.0 * 480)).isBetween(0.19, 0.195);
    float max = 0f;
    float min = Float.MAX_VALUE;
    for (float v : depth.data()) {
      if (v > 0f) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
    }
    assertThat(min).isBetween(1.45f, 1.47f);
    assertThat(max).isBetween(9.32f, 9.34f);
  }

  @Test
  void realKittiDepthCompletionPngIsSparseInput() throws Exception {
    Path p = SharedData.require("kitti_object_000008/derived/000008_sparse_depth_x256.png");
    DepthMap m = DepthMap.allocate(1242, 375);
    DepthImages.decodeScaledPng(Files.readAllBytes(p), p, 256, new int[1242 * 375], m);
    assertThat(m.validCount()).isEqualTo(17_144);
  }
}
