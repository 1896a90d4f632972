package io.depthstream.streams.guidance;

import io.depthstream.depth.DepthMap;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.ProximityAlert;
import java.util.Arrays;

/**
 * Derives navigation guidance from a dense depth frame: a laser-scan-like nearest range per angular sector over a
 * band of rows, and a proximity alert for a straight corridor ahead.
 *
 * <p>Geometry (pinhole, camera frame x right, y down, z forward): pixel (u, v) with depth z is the point
 * x = (u - cx) z / fx. Its bearing is theta = atan2(-x, z) (positive to the left, as in ROS), its horizontal
 * range r = sqrt(x^2 + z^2) = z sqrt(1 + ((u - cx) / fx)^2). Columns map to sectors by their bearing; the scan
 * spans the bearings of the image's left and right edges. Range conventions follow REP-117 (see guidance.proto).
 *
 * <p>Not thread-safe; keeps per-column tables and per-sector accumulators between frames.
 */
public final class GuidanceComputer {
  private final GuidanceSettings settings;
  private int tableWidth = -1;
  private CameraIntrinsics tableIntrinsics;
  private float[] rangeFactor; // sqrt(1 + ((u - cx)/fx)^2) per column
  private float[] lateralFactor; // (u - cx)/fx per column, so x = z * lateralFactor
  private int[] sectorOfColumn;
  private float angleMin;
  private float angleIncrement;
  private float[] nearest;
  private boolean[] seen;

  public GuidanceComputer(GuidanceSettings settings) {
    this.settings = settings;
  }

  /** Computes guidance for one dense frame; the support map is not used yet (see the guidance branch). */
  public NavigationGuidance compute(FrameId id, CameraIntrinsics k, DepthMap depth,
      io.depthstream.depth.support.SupportMap support) {
    return compute(id, k, depth);
  }

  /** Computes guidance for one dense frame (metres, 0 = no measurement). */
  public NavigationGuidance compute(FrameId id, CameraIntrinsics k, DepthMap depth) {
    prepareTables(k, depth.width());
    int w = depth.width();
    int h = depth.height();
    int rowBegin = Math.min(h - 1, (int) Math.floor(settings.rowBegin() * h));
    int rowEnd = Math.max(rowBegin + 1, Math.min(h, (int) Math.ceil(settings.rowEnd() * h)));
    Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    Arrays.fill(seen, false);
    float[] d = depth.data();
    for (int v = rowBegin; v < rowEnd; v++) {
      int row = v * w;
      for (int u = 0; u < w; u++) {
        float z = d[row + u];
        if (z > 0f) {
          int s = sectorOfColumn[u];
          seen[s] = true;
          float r = z * rangeFactor[u];
          if (r < nearest[s]) {
            nearest[s] = r;
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
        .setRowEnd(rowEnd);
    for (int s = 0; s < nearest.length; s++) {
      float r = nearest[s];
      if (!seen[s]) {
        r = Float.NaN;
      } else if (r < rangeMin) {
        r = Float.NEGATIVE_INFINITY;
      } else if (r > rangeMax) {
        r = Float.POSITIVE_INFINITY;
      }
      scan.addRangesM(r);
    }
    return NavigationGuidance.newBuilder().setId(id).setScan(scan).setAlert(alert(depth, rowBegin, rowEnd)).build();
  }

  /**
   * Nearest z inside |x| <= half width, over the same band of rows as the scan. Rows below the band would see the
   * floor right in front of a low-mounted camera and raise an alert on every frame.
   */
  private ProximityAlert alert(DepthMap depth, int rowBegin, int rowEnd) {
    float halfWidth = (float) settings.corridorHalfWidthMetres();
    float best = Float.POSITIVE_INFINITY;
    int bestU = -1;
    float[] d = depth.data();
    int w = depth.width();
    for (int v = rowBegin; v < rowEnd; v++) {
      int row = v * w;
      for (int u = 0; u < w; u++) {
        float z = d[row + u];
        if (z > 0f && z < best && Math.abs(z * lateralFactor[u]) <= halfWidth) {
          best = z;
          bestU = u;
        }
      }
    }
    float bearing = bestU < 0 ? Float.NaN : (float) Math.atan(-lateralFactor[bestU]);
    return ProximityAlert.newBuilder()
        .setObstacle(best < settings.alertDistanceMetres())
        .setNearestM(best)
        .setThresholdM((float) settings.alertDistanceMetres())
        .setCorridorHalfWidthM(halfWidth)
        .setBearingRad(bearing)
        .build();
  }

  private void prepareTables(CameraIntrinsics k, int width) {
    if (width == tableWidth && k.equals(tableIntrinsics)) {
      return;
    }
    tableWidth = width;
    tableIntrinsics = k;
    int sectors = settings.sectors();
    rangeFactor = new float[width];
    lateralFactor = new float[width];
    sectorOfColumn = new int[width];
    nearest = new float[sectors];
    seen = new boolean[sectors];
    // Bearings of the outer edges of the first and last columns; the left edge has the largest bearing.
    double thetaLeft = Math.atan((k.getCx() + 0.5) / k.getFx());
    double thetaRight = Math.atan((k.getCx() - (width - 0.5)) / k.getFx());
    double increment = (thetaLeft - thetaRight) / sectors;
    angleMin = (float) (thetaRight + increment / 2); // centre of the rightmost sector
    angleIncrement = (float) increment;
    for (int u = 0; u < width; u++) {
      double lateral = (u - k.getCx()) / k.getFx();
      lateralFactor[u] = (float) lateral;
      rangeFactor[u] = (float) Math.sqrt(1.0 + lateral * lateral);
      double theta = Math.atan(-lateral);
      int s = (int) Math.floor((theta - thetaRight) / increment);
      sectorOfColumn[u] = Math.max(0, Math.min(sectors - 1, s));
    }
  }
}
