package io.depthstream.depth.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import io.depthstream.depth.image.ImageFileException;
import io.depthstream.depth.image.Png;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A colour image as planar RGB floats in [0, 1] ({@code planes[c * width * height + y * width + x]}, c = R, G, B):
 * the layout the focal-stack estimators take per image.
 *
 * @param width pixels
 * @param height pixels
 * @param planes {@code 3 * width * height} values in [0, 1]
 */
public record RgbImage(int width, int height, float[] planes) {
  public RgbImage {
    if (planes.length != 3 * width * height) {
      throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " needs " + 3 * width * height
          + " values, got " + planes.length);
    }
  }

  /**
   * Reads a colour image: a PNG of any colour type and bit depth through depth-core's {@link Png} (the project's one
   * PNG reader; values sample / max, no colour-space conversion), anything else (JPEG, BMP) through
   * {@code javax.imageio} ({@link OtherFormats}). Grey images give three equal planes, alpha is dropped.
   *
   * @throws IOException if the file cannot be read or is no image either decoder knows
   */
  public static RgbImage read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (Png.isPng(bytes)) {
      Png.Decoder decoder = new Png.Decoder();
      try {
        Png.Header h = decoder.decodeSamples(bytes, file);
        float[] planes = new float[3 * h.width() * h.height()];
        Png.toRgbPlanes(h, decoder.samples(), planes, 0);
        return new RgbImage(h.width(), h.height(), planes);
      } catch (ImageFileException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return OtherFormats.read(file);
  }

  /**
   * JPEG, BMP and the other formats the JDK decodes; the one place outside the picture writers that uses
   * {@code javax.imageio}, and never for a PNG (ArchitectureTest allows exactly this class).
   */
  static final class OtherFormats {
    private OtherFormats() {}

    static RgbImage read(Path file) throws IOException {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new IOException(file + ": not an image javax.imageio can decode (PNG, JPEG, BMP)");
      }
      int w = image.getWidth();
      int h = image.getHeight();
      int plane = w * h;
      int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
      float[] planes = new float[3 * plane];
      for (int p = 0; p < plane; p++) {
        planes[p] = ((argb[p] >> 16) & 0xFF) / 255f;
        planes[plane + p] = ((argb[p] >> 8) & 0xFF) / 255f;
        planes[2 * plane + p] = (argb[p] & 0xFF) / 255f;
      }
      return new RgbImage(w, h, planes);
    }
  }
}
