package io.depthstream.depth.support;

import io.depthstream.depth.DepthMap;

/** Placeholder until the support-distance transform lands: every output pixel counts as measured. */
public final class SupportMap {
  public static final int MAX_DISTANCE = 250;
  public static final byte NO_RETURN_CODE = (byte) 254;
  public static final byte TOO_CLOSE_CODE = (byte) 255;

  private byte[] data = new byte[0];
  private int width;
  private int height;

  public void compute(DepthMap input, SpecialPixels specials, int scaleFactor) {
    resize(input.width() * scaleFactor, input.height() * scaleFactor);
  }

  public void allMeasured(DepthMap estimate) {
    resize(estimate.width(), estimate.height());
  }

  private void resize(int w, int h) {
    width = w;
    height = h;
    if (data.length != w * h) {
      data = new byte[w * h];
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public byte[] data() {
    return data;
  }

  public int distance(int index) {
    return data[index] & 0xFF;
  }
}
