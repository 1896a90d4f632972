package io.depthstream.streams.codec;

import io.depthstream.proto.v1.CameraIntrinsics;

/** Camera intrinsics arithmetic. */
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
}
