package io.depthstream.depth.sampling;

import io.depthstream.depth.DepthMap;
import java.util.SplittableRandom;

/**
 * LiDAR-like sampling ({@code lidar:lines=64}): {@code lines} beams at evenly spaced elevation angles from
 * {@code +up} to {@code -down} degrees (defaults: the Velodyne HDL-64E fan, +2 to -24.8 degrees, as in KITTI),
 * each swept horizontally and sampled every {@code hstep} pixels.
 *
 * <p>A beam of constant elevation {@code theta} is not an image row in a pinhole camera: the ray through pixel
 * {@code (x, y)} has elevation {@code atan(((cy - y) / fy) / sqrt(1 + ((x - cx) / fx)^2))}, so the beam lies on
 * {@code y = cy - fy * tan(theta) * sqrt(1 + ((x - cx) / fx)^2)} (bending away from the horizon towards the
 * image sides). Intrinsics {@code fx, fy, cx, cy} are in pixels; when {@code fy} is not given the fan is fitted
 * to the image: on the centre column the top beam lands on row 0 and the bottom beam on the last row, with
 * {@code fx = fy} and {@code cx = (width - 1) / 2}.
 *
 * <p>The seed sets each line's horizontal phase in {@code [0, hstep)} and which returns are dropped
 * (probability {@code drop}, modelling absorbed or specular returns). Beams or pixels outside the image, and
 * invalid ground truth, give no sample. Ignored: the LiDAR-camera baseline (parallax) and rolling shutter.
 */
public final class LidarSampling implements SamplingPattern {
  private final int lines;
  private final double up;
  private final double down;
  private final int hstep;
  private final double drop;
  private final double fx;
  private final double fy;
  private final double cx;
  private final double cy;

  /**
   * @param lines number of beams, {@code >= 1}
   * @param up elevation of the top beam, degrees above the optical axis
   * @param down depression of the bottom beam, degrees below the optical axis
   * @param hstep horizontal sampling step along each line, pixels, {@code >= 1}
   * @param drop probability of losing a return, in {@code [0, 1)}
   * @param fx focal length x in pixels, or 0 to use {@code fy}
   * @param fy focal length y in pixels, or 0 to fit the fan to the image height
   * @param cx principal point x in pixels, or NaN for the image centre
   * @param cy principal point y in pixels, or NaN (centre when {@code fy} is given, fitted otherwise)
   */
  public LidarSampling(
      int lines, double up, double down, int hstep, double drop, double fx, double fy, double cx, double cy) {
    if (lines < 1) {
      throw new IllegalArgumentException("lidar: lines=" + lines + " must be >= 1");
    }
    if (!(up + down > 0) || !(Math.abs(up) < 89) || !(Math.abs(down) < 89)) {
      throw new IllegalArgumentException(
          "lidar: up=" + up + ", down=" + down + " must span a positive range within (-89, 89) degrees");
    }
    if (hstep < 1) {
      throw new IllegalArgumentException("lidar: hstep=" + hstep + " must be >= 1");
    }
    if (!(drop >= 0 && drop < 1)) {
      throw new IllegalArgumentException("lidar: drop=" + drop + " must be in [0, 1)");
    }
    if (!(fx >= 0) || !(fy >= 0) || Double.isInfinite(fx) || Double.isInfinite(fy)) {
      throw new IllegalArgumentException("lidar: fx=" + fx + ", fy=" + fy + " must be finite and >= 0 (0 = auto)");
    }
    this.lines = lines;
    this.up = up;
    this.down = down;
    this.hstep = hstep;
    this.drop = drop;
    this.fx = fx;
    this.fy = fy;
    this.cx = cx;
    this.cy = cy;
  }

  /** The HDL-64E-like default fan with {@code lines} beams, fitted to the image. */
  public LidarSampling(int lines) {
    this(lines, 2.0, 24.8, 2, 0.0, 0, 0, Double.NaN, Double.NaN);
  }

  @Override
  public void sample(DepthMap dense, DepthMap sparseOut, long seed) {
    SampleChecks.begin("lidar", dense, sparseOut);
    int w = dense.width();
    int h = dense.height();
    double tanUp = Math.tan(Math.toRadians(up));
    double tanDown = Math.tan(Math.toRadians(down));
    double fyUse;
    double cyUse;
    if (fy > 0) {
      fyUse = fy;
      cyUse = Double.isNaN(cy) ? (h - 1) / 2.0 : cy;
    } else {
      fyUse = (h - 1) / (tanUp + tanDown);
      cyUse = Double.isNaN(cy) ? fyUse * tanUp : cy;
    }
    double fxUse = fx > 0 ? fx : fyUse;
    double cxUse = Double.isNaN(cx) ? (w - 1) / 2.0 : cx;
    float[] in = dense.data();
    float[] out = sparseOut.data();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int line = 0; line < lines; line++) {
      double theta = lines == 1 ? 0 : Math.toRadians(up - line * (up + down) / (lines - 1));
      double tanTheta = Math.tan(theta);
      int phase = hstep > 1 ? rnd.nextInt(hstep) : 0;
      for (int x = phase; x < w; x += hstep) {
        double ux = (x - cxUse) / fxUse;
        long y = Math.round(cyUse - fyUse * tanTheta * Math.sqrt(1 + ux * ux));
        // Draw the dropout even off-image so the stream does not depend on which pixels are visible.
        boolean dropped = drop > 0 && rnd.nextDouble() < drop;
        if (y < 0 || y >= h || dropped) {
          continue;
        }
        int i = (int) y * w + x;
        out[i] = in[i];
      }
    }
  }

  @Override
  public String spec() {
    StringBuilder s = new StringBuilder("lidar:lines=").append(lines)
        .append(",up=").append(SpecParser.fmt(up))
        .append(",down=").append(SpecParser.fmt(down))
        .append(",hstep=").append(hstep)
        .append(",drop=").append(SpecParser.fmt(drop));
    if (fx > 0) {
      s.append(",fx=").append(SpecParser.fmt(fx));
    }
    if (fy > 0) {
      s.append(",fy=").append(SpecParser.fmt(fy));
    }
    if (!Double.isNaN(cx)) {
      s.append(",cx=").append(SpecParser.fmt(cx));
    }
    if (!Double.isNaN(cy)) {
      s.append(",cy=").append(SpecParser.fmt(cy));
    }
    return s.toString();
  }
}
