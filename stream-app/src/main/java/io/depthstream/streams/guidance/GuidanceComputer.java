package io.depthstream.streams.guidance;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.support.SupportMap;
import io.depthstream.proto.frames.RosConventions;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.ProximityAlert;
import java.util.Arrays;

/**
 * Derives navigation guidance from a dense depth frame and its {@link SupportMap}: a laser-scan-like nearest range
 * per angular sector over a band of rows, and a proximity alert for a straight corridor ahead.
 *
 * <p>Only depth that rests on a measurement counts: a dense pixel is used when its support distance is at most
 * {@link GuidanceSettings#supportMaxPixels()}; depth a method invented further from any measurement is unknown
 * (NaN in the scan, REP-117), never free space. Pixels whose sensor reported {@code +Inf} (no return within range)
 * make their sector {@code +Inf} unless it holds a nearer supported return; pixels that reported {@code -Inf}
 * (nearer than the sensor's minimum range) make their sector {@code -Inf} and, in the corridor, raise the alert.
 *
 * <p>Geometry (pinhole, camera frame x right, y down, z forward): pixel (u, v) with depth z is the point
 * x = (u - cx) z / fx, y = (v - cy) z / fy. Its bearing is theta = atan2(-x, z) (positive to the left, as in ROS),
 * its horizontal range r = sqrt(x^2 + z^2) = z sqrt(1 + ((u - cx) / fx)^2). Columns map to sectors by their
 * bearing; the scan spans the bearings of the image's left and right edges. Range conventions follow REP-117 (see
 * guidance.proto).
 *
 * <p>Not thread-safe; keeps per-column and per-row tables and per-sector accumulators between frames.
 */
public final class GuidanceComputer {
  /** Sector state bits. */
  private static final byte SUPPORTED = 1;
  private static final byte NO_RETURN = 2;
  private static final byte TOO_CLOSE = 4;

  private final GuidanceSettings settings;
  private int tableWidth = -1;
  private int tableHeight = -1;
  private CameraIntrinsics tableIntrinsics;
  private float[] rangeFactor; // sqrt(1 + ((u - cx)/fx)^2) per column
  private float[] lateralFactor; // (u - cx)/fx per column, so x = z * lateralFactor
  private float[] corridorMaxDepth; // per column, the largest z with |x| <= half width: halfWidth / |lateral|
  /** Per column: a -Inf pixel there lies in the corridor for sure (|lateral| * range_min <= half width). */
  private boolean[] tooCloseInCorridor;
  /** Per column: the ray stays inside the corridor up to the alert distance, so +Inf there clears the corridor. */
  private boolean[] noReturnClearsCorridor;
  private float[] dropFactor; // per row: (v - cy)/fy cos(pitch) + sin(pitch); height above floor = H - z * drop
  private int[] sectorOfColumn;
  private float angleMin;
  private float angleIncrement;
  private float[] nearest;
  private byte[] sectorState;
  /** Obstacle points have floorLimit > z * drop >= robotLimit (see {@link #alert}); +/-Inf with no ground plane. */
  private final float floorLimit;
  private final float robotLimit;

  public GuidanceComputer(GuidanceSettings settings) {
    this.settings = settings;
    GuidanceSettings.GroundPlane g = settings.groundPlane();
    if (g.enabled()) {
      floorLimit = (float) (g.cameraHeightMetres() - g.floorClearanceMetres());
      robotLimit = g.robotHeightMetres() > 0
          ? (float) (g.cameraHeightMetres() - g.robotHeightMetres())
          : Float.NEGATIVE_INFINITY;
    } else {
      floorLimit = Float.POSITIVE_INFINITY;
      robotLimit = Float.NEGATIVE_INFINITY;
    }
  }

  /**
   * Computes guidance for one dense frame.
   *
   * @param k the camera model of {@code dense} (scaled with it by super-resolution)
   * @param dense the reconstructed depth, metres, 0 = no depth
   * @param support the support of {@code dense}, same size: which depth rests on a measurement
   * @throws IllegalArgumentException if {@code support} does not cover {@code dense}'s size
   */
  public NavigationGuidance compute(FrameId id, CameraIntrinsics k, DepthMap dense, SupportMap support) {
    if (!support.sameSizeAs(dense)) {
      throw new IllegalArgumentException("guidance: support map is " + support.width() + "x" + support.height()
          + " but the dense map is " + dense.width() + "x" + dense.height());
    }
    int w = dense.width();
    int h = dense.height();
    prepareTables(k, w, h);
    int rowBegin = Math.min(h - 1, (int) Math.floor(settings.rowBegin() * h));
    int rowEnd = Math.max(rowBegin + 1, Math.min(h, (int) Math.ceil(settings.rowEnd() * h)));
    long[] supported = support.within(settings.supportMaxPixels());
    Specials specials = support.hasSpecials()
        ? new Specials(support.noReturnBits(), support.tooCloseBits())
        : null;
    int words = support.wordsPerRow();
    LaserScan scan = scan(dense.data(), supported, specials, w, words, rowBegin, rowEnd);
    return NavigationGuidance.newBuilder().setId(id).setFrameId(RosConventions.bodyFrame(id.getSensorId()))
        .setScan(scan).setAlert(alert(dense, supported, specials, words)).build();
  }

  /** The support's {@code +Inf} and {@code -Inf} pixels, laid out as {@link SupportMap#within}. */
  private record Specials(long[] noReturn, long[] tooClose) {}

  private LaserScan scan(float[] d, long[] supported, Specials specials, int w, int words, int rowBegin,
      int rowEnd) {
    Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    Arrays.fill(sectorState, (byte) 0);
    for (int v = rowBegin; v < rowEnd; v++) {
      int row = v * w;
      int rowWord = v * words;
      for (int i = 0; i < words; i++) {
        int base = i << 6;
        // Runs of supported pixels (a whole word in most of a dense frame); the rest of the word skipped.
        for (long bits = supported[rowWord + i]; bits != 0; bits = afterRun(bits)) {
          for (int u = base + Long.numberOfTrailingZeros(bits), end = base + runEnd(bits); u < end; u++) {
            float z = d[row + u];
            if (z > 0f) {
              int s = sectorOfColumn[u];
              sectorState[s] |= SUPPORTED;
              float r = z * rangeFactor[u];
              if (r < nearest[s]) {
                nearest[s] = r;
              }
            }
          }
        }
        if (specials != null) {
          for (long bits = specials.noReturn()[rowWord + i]; bits != 0; bits &= bits - 1) {
            sectorState[sectorOfColumn[base + Long.numberOfTrailingZeros(bits)]] |= NO_RETURN;
          }
          for (long bits = specials.tooClose()[rowWord + i]; bits != 0; bits &= bits - 1) {
            sectorState[sectorOfColumn[base + Long.numberOfTrailingZeros(bits)]] |= TOO_CLOSE;
          }
        }
      }
    }
    float rangeMin = (float) settings.rangeMinMetres();
    float rangeMax = (float) settings.rangeMaxMetres();
    LaserScan.Builder scan = LaserScan.newBuilder()
        .setAngleMinRad(angleMin)
        .setAngleIncrementRad(angleIncrement)
        .setRangeMinM(rangeMin)
        .setRangeMaxM(rangeMax)
        .setRowBegin(rowBegin)
        .setRowEnd(rowEnd)
        .setAngleMaxRad(angleMin + angleIncrement * (nearest.length - 1))
        .setTimeIncrementS(0f); // every column of a depth image is captured at once; scan_time_s stays 0: the
                                                                                                                                                                                                                                                                                                   // node does not know the sensor's frame rate
    for (int s = 0; s < nearest.length; s++) {
      byte state = sectorState[s];
      float r = nearest[s];
      if ((state & TOO_CLOSE) != 0 || ((state & SUPPORTED) != 0 && r < rangeMin)) {
        r = Float.NEGATIVE_INFINITY;
      } else if ((state & SUPPORTED) != 0) {
        r = r > rangeMax ? Float.POSITIVE_INFINITY : r;
      } else if ((state & NO_RETURN) != 0) {
        r = Float.POSITIVE_INFINITY; // the sensor looked and nothing was within its range
      } else {
        r = Float.NaN; // nothing measured near this sector: unknown, not free
      }
      scan.addRangesM(r);
    }
    return scan.build();
  }

  /**
   * Nearest z of a supported obstacle point inside |x| <= half width, over all rows: an obstacle below the scan's
   * band (low, right in front) must alert too. The floor is kept out by the ground plane: with the camera
   * H = camera height above a flat floor and pitched down by p, the floor's up direction in camera coordinates is
   * (0, -cos p, -sin p), so point (x, y, z) is at height
   * {@code H - y cos p - z sin p = H - z ((v - cy)/fy cos p + sin p) = H - z drop(v)} above the floor. It is an
   * obstacle when that height exceeds the floor clearance c and, with a robot height R, does not exceed R:
   * {@code H - c > z drop(v) >= H - R}. With the ground plane off both limits are infinite and every supported
   * point counts.
   *
   * <p>{@code -Inf} pixels (nearer than the sensor's minimum range) raise the alert with nearest -Inf when their
   * column certainly puts them in the corridor: their z is below range_min, so |x| < range_min |lateral|. Their
   * height is unknown, so the ground plane does not filter them. {@code +Inf} pixels in columns whose ray stays in
   * the corridor up to the alert distance show the corridor clear: nearest +Inf rather than NaN (unknown) when
   * nothing else in the corridor is known.
   */
  private ProximityAlert alert(DepthMap dense, long[] supported, Specials specials, int words) {
    float[] d = dense.data();
    int w = dense.width();
    int h = dense.height();
    float best = Float.POSITIVE_INFINITY;
    int bestU = -1;
    int tooCloseU = -1;
    boolean known = false; // some supported or +Inf pixel in the corridor: the corridor is not wholly unknown
    // Without a ground plane every supported point in the corridor is an obstacle: the nearest is the smallest z,
    // and the corridor is known as soon as it has one (best < +Inf). The plain loop leaves out the height test.
    boolean heightFilter = floorLimit != Float.POSITIVE_INFINITY || robotLimit != Float.NEGATIVE_INFINITY;
    for (int v = 0; v < h; v++) {
      int row = v * w;
      int rowWord = v * words;
      float drop = dropFactor[v];
      for (int i = 0; i < words; i++) {
        int base = i << 6;
        for (long bits = supported[rowWord + i]; bits != 0; bits = afterRun(bits)) {
          int u = base + Long.numberOfTrailingZeros(bits);
          int end = base + runEnd(bits);
          if (!heightFilter) {
            for (; u < end; u++) {
              float z = d[row + u];
              if (z > 0f && z <= corridorMaxDepth[u] && z < best) {
                best = z;
                bestU = u;
              }
            }
            continue;
          }
          for (; u < end; u++) {
            float z = d[row + u];
            if (z > 0f && z <= corridorMaxDepth[u]) {
              known = true;
              float t = z * drop;
              if (z < best && t < floorLimit && t >= robotLimit) {
                best = z;
                bestU = u;
              }
            }
          }
        }
        if (specials == null) {
          continue;
        }
        for (long bits = specials.tooClose()[rowWord + i]; bits != 0; bits &= bits - 1) {
          int u = base + Long.numberOfTrailingZeros(bits);
          // Of several, report the bearing nearest the optical axis.
          if (tooCloseInCorridor[u]
              && (tooCloseU < 0 || Math.abs(lateralFactor[u]) < Math.abs(lateralFactor[tooCloseU]))) {
            tooCloseU = u;
          }
        }
        for (long bits = specials.noReturn()[rowWord + i]; bits != 0; bits &= bits - 1) {
          known |= noReturnClearsCorridor[base + Long.numberOfTrailingZeros(bits)];
        }
      }
    }
    known |= bestU >= 0;
    float nearestM;
    int atU;
    if (tooCloseU >= 0) {
      nearestM = Float.NEGATIVE_INFINITY;
      atU = tooCloseU;
    } else if (bestU >= 0) {
      nearestM = best;
      atU = bestU;
    } else {
      nearestM = known ? Float.POSITIVE_INFINITY : Float.NaN;
      atU = -1;
    }
    float bearing = atU < 0 ? Float.NaN : (float) Math.atan(-lateralFactor[atU]);
    return ProximityAlert.newBuilder()
        .setObstacle(nearestM < settings.alertDistanceMetres()) // false for NaN
        .setNearestM(nearestM)
        .setThresholdM((float) settings.alertDistanceMetres())
        .setCorridorHalfWidthM((float) settings.corridorHalfWidthMetres())
        .setBearingRad(bearing)
        .build();
  }

  /**
   * The end (exclusive bit index, up to 64) of the lowest run of set bits in {@code bits}, which must not be 0.
   * Walking runs rather than single bits keeps a dense frame's loops plain: one run per fully supported word.
   */
  private static int runEnd(long bits) {
    long filled = bits | (bits - 1); // the bits below the run set as well
    return filled == -1L ? 64 : Long.numberOfTrailingZeros(~filled);
  }

  /** {@code bits} without its lowest run of set bits. */
  private static long afterRun(long bits) {
    long filled = bits | (bits - 1);
    return bits & (filled + 1); // + 1 carries through the run and clears it and everything below
  }

  private void prepareTables(CameraIntrinsics k, int width, int height) {
    if (width == tableWidth && height == tableHeight && k.equals(tableIntrinsics)) {
      return;
    }
    tableWidth = width;
    tableHeight = height;
    tableIntrinsics = k;
    int sectors = settings.sectors();
    rangeFactor = new float[width];
    lateralFactor = new float[width];
    corridorMaxDepth = new float[width];
    tooCloseInCorridor = new boolean[width];
    noReturnClearsCorridor = new boolean[width];
    sectorOfColumn = new int[width];
    nearest = new float[sectors];
    sectorState = new byte[sectors];
    double halfWidth = settings.corridorHalfWidthMetres();
    // Bearings of the outer edges of the first and last columns; the left edge has the largest bearing.
    double thetaLeft = Math.atan((k.getCx() + 0.5) / k.getFx());
    double thetaRight = Math.atan((k.getCx() - (width - 0.5)) / k.getFx());
    double increment = (thetaLeft - thetaRight) / sectors;
    angleMin = (float) (thetaRight + increment / 2); // centre of the rightmost sector
    angleIncrement = (float) increment;
    for (int u = 0; u < width; u++) {
      double lateral = (u - k.getCx()) / k.getFx();
      double absLateral = Math.abs(lateral);
      lateralFactor[u] = (float) lateral;
      rangeFactor[u] = (float) Math.sqrt(1.0 + lateral * lateral);
      corridorMaxDepth[u] = absLateral == 0 ? Float.POSITIVE_INFINITY : (float) (halfWidth / absLateral);
      tooCloseInCorridor[u] = absLateral * settings.rangeMinMetres() <= halfWidth;
      noReturnClearsCorridor[u] = absLateral * settings.alertDistanceMetres() <= halfWidth;
      double theta = Math.atan(-lateral);
      int s = (int) Math.floor((theta - thetaRight) / increment);
      sectorOfColumn[u] = Math.max(0, Math.min(sectors - 1, s));
    }
    dropFactor = new float[height];
    double pitch = Math.toRadians(settings.groundPlane().pitchDegrees());
    for (int v = 0; v < height; v++) {
      dropFactor[v] = (float) ((v - k.getCy()) / k.getFy() * Math.cos(pitch) + Math.sin(pitch));
    }
  }
}
