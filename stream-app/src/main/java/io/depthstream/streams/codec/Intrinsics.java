package io.depthstream.streams.codec;

import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.proto.v1.CameraIntrinsics;

/** Camera intrinsics: validation of incoming ones, and arithmetic. */
public final class Intrinsics {
  private Intrinsics() {}

  /**
   * The intrinsics of the same camera at {@code factor} times the resolution. With pixel centres at integer
   * coordinates (OpenCV), a point at u in the small image is at (u + 0.5) * factor - 0.5 in the large one, so
   * cx' = (cx + 0.5) * factor - 0.5 and fx' = fx * factor (likewise for y).
   */
  public static CameraIntrinsics scaled(CameraIntrinsics k, int factor) {
    if (factor == 1) {
      return k;
    }
    return k.toBuilder()
        .setFx(k.getFx() * factor)
        .setFy(k.getFy() * factor)
        .setCx((k.getCx() + 0.5) * factor - 0.5)
        .setCy((k.getCy() + 0.5) * factor - 0.5)
        .setWidth(k.getWidth() * factor)
        .setHeight(k.getHeight() * factor)
        .build();
  }

  /**
   * How far, as a fraction of the image's side, the principal point may lie outside the image: cropped or
   * off-axis cameras put it near an edge or slightly beyond, never a whole image away.
   */
  static final double PRINCIPAL_POINT_MARGIN = 0.5;

  /**
   * Checks the intrinsics of an incoming {@code width} x {@code height} image: focal lengths finite and &gt; 0,
   * principal point finite and within the image or at most {@link #PRINCIPAL_POINT_MARGIN} of its side beyond an
   * edge (a wild cx turned a wall into free space in the guidance), and the declared size (when set) equal to the
   * image's.
   *
   * @param what the image's name in messages ("frame", "stack")
   * @throws InvalidFrameException with {@link DeadLetterReason#INVALID_INTRINSICS}, naming the values
   */
  static void check(CameraIntrinsics k, int width, int height, String what) throws InvalidFrameException {
    if (!(k.getFx() > 0 && k.getFy() > 0 && Double.isFinite(k.getFx()) && Double.isFinite(k.getFy())
        && Double.isFinite(k.getCx()) && Double.isFinite(k.getCy()))) {
      throw new InvalidFrameException(DeadLetterReason.INVALID_INTRINSICS,
          "intrinsics missing or invalid: fx=" + k.getFx() + " fy=" + k.getFy() + " cx=" + k.getCx() + " cy="
              + k.getCy() + " (focal lengths must be finite and > 0)");
    }
    double mx = PRINCIPAL_POINT_MARGIN * width;
    double my = PRINCIPAL_POINT_MARGIN * height;
    if (k.getCx() < -0.5 - mx || k.getCx() > width - 0.5 + mx || k.getCy() < -0.5 - my
        || k.getCy() > height - 0.5 + my) {
      throw new InvalidFrameException(DeadLetterReason.INVALID_INTRINSICS,
          "principal point (cx=" + k.getCx() + ", cy=" + k.getCy() + ") lies far outside the " + width + "x"
              + height + " " + what + "; it must be within " + PRINCIPAL_POINT_MARGIN + " of a side beyond an edge");
    }
    if ((k.getWidth() != 0 && k.getWidth() != width) || (k.getHeight() != 0 && k.getHeight() != height)) {
      throw new InvalidFrameException(DeadLetterReason.INVALID_INTRINSICS,
          "intrinsics are for " + k.getWidth() + "x" + k.getHeight() + " but the " + what + " is " + width + "x"
              + height);
    }
  }
}
