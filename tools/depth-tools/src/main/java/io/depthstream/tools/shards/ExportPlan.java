package io.depthstream.tools.shards;

import io.depthstream.depth.scene.SceneDrive.Kind;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * Which frame of which drive goes where in an export, decided up front from the seed alone.
 *
 * <p>{@code round(count * indoorFraction)} frames are indoor, the rest road. Each kind's frames come from drives of
 * {@code framesPerDrive} frames (the last one shorter), every {@code stride}-th frame of the drive from a
 * random start, each drive with its own seed. The drives are then interleaved by stratified random keys
 * ({@code (i + U[0,1)) / drivesOfKind} for the i-th drive of a kind), so every stretch of the output, and so
 * every shard, mixes the kinds in about the requested proportion while a drive's frames stay together
 * (consecutive frames of one drive are near duplicates; the stride thins them).
 */
final class ExportPlan {
  final int count;
  final int indoor;
  final int road;
  final int drives;
  /** Per frame, in output order. */
  final Kind[] kind;
  final long[] driveSeed;
  final int[] frameIndex;

  ExportPlan(int count, double indoorFraction, long seed, int framesPerDrive, int stride) {
    if (count <= 0) {
      throw new IllegalArgumentException("--count must be positive, got " + count);
    }
    if (!(indoorFraction >= 0 && indoorFraction <= 1)) {
      throw new IllegalArgumentException("--indoor-fraction must be in [0, 1], got " + indoorFraction);
    }
    if (framesPerDrive <= 0 || stride <= 0) {
      throw new IllegalArgumentException(
          "--frames-per-drive and --frame-stride must be positive, got " + framesPerDrive + " and " + stride);
    }
    this.count = count;
    this.indoor = (int) Math.round(count * indoorFraction);
    this.road = count - indoor;
    int indoorDrives = (indoor + framesPerDrive - 1) / framesPerDrive;
    int roadDrives = (road + framesPerDrive - 1) / framesPerDrive;
    this.drives = indoorDrives + roadDrives;
    SplittableRandom rng = new SplittableRandom(seed);
    Kind[] driveKind = new Kind[drives];
    int[] driveFrames = new int[drives];
    long[] seeds = new long[drives];
    int[] starts = new int[drives];
    double[] key = new double[drives];
    for (int d = 0; d < drives; d++) {
      boolean isIndoor = d < indoorDrives;
      int first = isIndoor ? d * framesPerDrive : (d - indoorDrives) * framesPerDrive;
      driveKind[d] = isIndoor ? Kind.INDOOR : Kind.ROAD;
      driveFrames[d] = Math.min(framesPerDrive, (isIndoor ? indoor : road) - first);
      seeds[d] = rng.nextLong();
      starts[d] = rng.nextInt(3600);
      key[d] = isIndoor ? (d + rng.nextDouble()) / indoorDrives
          : (d - indoorDrives + rng.nextDouble()) / roadDrives;
    }
    // Ties (equal keys) keep drive order, since the sort is stable.
    Integer[] order = new Integer[drives];
    for (int d = 0; d < drives; d++) {
      order[d] = d;
    }
    Arrays.sort(order, Comparator.comparingDouble(d -> key[d]));
    kind = new Kind[count];
    driveSeed = new long[count];
    frameIndex = new int[count];
    int f = 0;
    for (int d : order) {
      for (int j = 0; j < driveFrames[d]; j++, f++) {
        kind[f] = driveKind[d];
        driveSeed[f] = seeds[d];
        frameIndex[f] = starts[d] + j * stride;
      }
    }
  }
}
