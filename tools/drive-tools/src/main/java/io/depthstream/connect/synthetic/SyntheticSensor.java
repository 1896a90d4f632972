package io.depthstream.connect.synthetic;

import io.depthstream.connect.frames.DepthFrames;
import io.depthstream.depth.DepthMap;
import io.depthstream.depth.sampling.SamplingPattern;
import io.depthstream.depth.sampling.SamplingPatterns;
import io.depthstream.depth.scene.CameraPose;
import io.depthstream.depth.scene.PinholeCamera;
import io.depthstream.depth.scene.SceneDrive;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import java.util.SplittableRandom;

/**
 * A simulated depth sensor over a procedural drive of the depth library's scene generator: renders the
 * ground-truth depth of frame i, then degrades it the way the real sensor would.
 *
 * <ul>
 *   <li>LiDAR: a road drive seen through KITTI-like optics, sampled by the {@code lidar} pattern, sent sparse.
 *   <li>RGB-D: an indoor drive, Kinect-like: no return beyond the working range, and random blob-shaped
 *       dropouts (specular or absorbing surfaces), sent as dense uint16 millimetres with holes.
 *   <li>vSLAM: an indoor drive sampled at high-gradient pixels ({@code semidense}), sent sparse.
 * </ul>
 *
 * Deterministic from the seed: the same sensor renders the same frames.
 */
public final class SyntheticSensor {
  /** Kinect v1's reliable working range, metres. */
  static final float RGBD_MAX_RANGE_M = 6.0f;

  private final String sensorId;
  private final SensorKind kind;
  private final SceneDrive drive;
  private final SamplingPattern pattern;
  private final CameraIntrinsics intrinsics;
  private final long seed;
  private final DepthMap truth;
  private final DepthMap measured;

  private SyntheticSensor(String sensorId, SensorKind kind, SceneDrive drive, SamplingPattern pattern, long seed) {
    this.sensorId = sensorId;
    this.kind = kind;
    this.drive = drive;
    this.pattern = pattern;
    this.seed = seed;
    PinholeCamera c = drive.camera();
    this.intrinsics = DepthFrames.intrinsics(c.fx(), c.fy(), c.cx(), c.cy(), c.width(), c.height());
    this.truth = DepthMap.allocate(c.width(), c.height());
    this.measured = DepthMap.allocate(c.width(), c.height());
  }

  /** A 64-line LiDAR on a road drive. */
  public static SyntheticSensor lidar(String sensorId, long seed, int width, int height) {
    SceneDrive drive = SceneDrive.road(seed, SceneDrive.defaultCamera(SceneDrive.Kind.ROAD, width, height));
    return new SyntheticSensor(sensorId, SensorKind.SENSOR_KIND_LIDAR, drive, SamplingPatterns.parse("lidar:lines=64"),
        seed);
  }

  /** A Kinect-style RGB-D camera on an indoor drive. */
  public static SyntheticSensor rgbd(String sensorId, long seed, int width, int height) {
    SceneDrive drive = SceneDrive.indoor(seed, SceneDrive.defaultCamera(SceneDrive.Kind.INDOOR, width, height));
    return new SyntheticSensor(sensorId, SensorKind.SENSOR_KIND_RGBD, drive, null, seed);
  }

  /** A semi-dense vSLAM depth source on an indoor drive. */
  public static SyntheticSensor vslam(String sensorId, long seed, int width, int height) {
    SceneDrive drive = SceneDrive.indoor(seed, SceneDrive.defaultCamera(SceneDrive.Kind.INDOOR, width, height));
    return new SyntheticSensor(sensorId, SensorKind.SENSOR_KIND_VSLAM, drive,
        SamplingPatterns.parse("semidense:fraction=0.1"), seed);
  }

  public String sensorId() {
    return sensorId;
  }

  public SensorKind kind() {
    return kind;
  }

  /** The sensor's native frame rate, Hz (the drive's). */
  public double frameRateHz() {
    return drive.frameRateHz();
  }

  /**
   * Renders frame {@code index} and returns it as a wire frame.
   *
   * @param captureTimeNanos the capture time to stamp, ns since epoch
   */
  public DepthFrame frame(int index, long sequence, long captureTimeNanos) {
    DepthMap m = measure(index);
    FrameId id = FrameId.newBuilder().setSensorId(sensorId).setKind(kind).setSequence(sequence)
        .setCaptureTimeNs(captureTimeNanos).build();
    return kind == SensorKind.SENSOR_KIND_RGBD ? DepthFrames.denseMillimetres(id, intrinsics, m)
        : DepthFrames.sparse(id, intrinsics, m);
  }

  /**
   * Renders frame {@code index} and degrades it as the sensor would: what {@link #frame} sends, as a depth map
   * (metres, 0 = no measurement), for writers of sensor files. The map is reused by the next call.
   */
  public DepthMap measure(int index) {
    drive.render(index, truth, null);
    long frameSeed = seed * 1_000_003L + index;
    if (kind == SensorKind.SENSOR_KIND_RGBD) {
      kinectDropouts(truth, measured, frameSeed);
    } else {
      pattern.sample(truth, measured, frameSeed);
    }
    return measured;
  }

  /** The sensor's camera (pixels; OpenCV convention: integer coordinates are pixel centres). */
  public PinholeCamera camera() {
    return drive.camera();
  }

  /** The camera's pose at frame {@code index}, in the scene's world frame. */
  public CameraPose pose(int index) {
    return drive.pose(index);
  }

  /** The ground truth of the last rendered frame (metres, 0 = nothing within range, e.g. sky). */
  public DepthMap groundTruth() {
    return truth;
  }

  /**
   * Kinect-like degradation: no measurement beyond {@link #RGBD_MAX_RANGE_M} and a few elliptical dropouts.
   */
  static void kinectDropouts(DepthMap truth, DepthMap out, long seed) {
    float[] src = truth.data();
    float[] dst = out.data();
    for (int i = 0; i < src.length; i++) {
      dst[i] = src[i] <= RGBD_MAX_RANGE_M ? src[i] : 0f;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int w = truth.width();
    int h = truth.height();
    int blobs = 3 + rng.nextInt(4);
    for (int b = 0; b < blobs; b++) {
      int cx = rng.nextInt(w);
      int cy = rng.nextInt(h);
      int rx = 4 + rng.nextInt(Math.max(1, w / 16));
      int ry = 4 + rng.nextInt(Math.max(1, h / 16));
      for (int y = Math.max(0, cy - ry); y < Math.min(h, cy + ry + 1); y++) {
        double dy = (y - cy) / (double) ry;
        for (int x = Math.max(0, cx - rx); x < Math.min(w, cx + rx + 1); x++) {
          double dx = (x - cx) / (double) rx;
          if (dx * dx + dy * dy <= 1.0) {
            dst[y * w + x] = 0f;
          }
        }
      }
    }
  }
}
