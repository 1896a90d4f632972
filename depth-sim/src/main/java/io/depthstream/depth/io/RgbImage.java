package io.depthstream.depth.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
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
   * Reads any image {@code javax.imageio} decodes (PNG, JPEG, BMP, ...); grey images give three equal planes, 16-bit
   * samples are reduced to 8 bits by the decoder's RGB conversion, alpha is dropped.
   *
   * @throws IOException if the file cannot be read or is no image the decoder knows
   */
  public static RgbImage read(Path file) throws IOException {
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
