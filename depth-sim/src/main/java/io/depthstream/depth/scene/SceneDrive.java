package io.depthstream.depth.scene;

import io.depthstream.depth.DepthMap;

/**
 * A synthetic drive: a procedural scene and a camera path through it, rendered frame by frame into dense
 * ground-truth depth and RGB. Deterministic: the same kind, seed and camera give bit-identical frames on any
 * platform, and frame {@code i} does not depend on which frames were rendered before it.
 *
 * <ul>
 *   <li>{@link #indoor}: a room with furniture; a handheld-like camera (30 Hz) loops through it; 10 m range.
 *   <li>{@link #road}: a street; a car-mounted camera (10 Hz, 1.65 m high) drives the right lane at 8 to 14 m/s;
 *       80 m range.
 * </ul>
 *
 * <p>Depth is z-depth in metres (along the optical axis, not the ray length), 0 = no measurement: sky,
 * surfaces beyond the range, or nearer than the near clip. See {@link SceneRenderer} and {@link RenderSettings}.
 *
 * <p>Not thread-safe (it owns the renderer's scratch buffers). For a parallel frame loop, give each thread its
 * own instance built from the same seed; they produce the same frames.
 */
public final class SceneDrive {

  /** Scene families; {@link #code()} is the value stored in training shards. */
  public enum Kind {
    INDOOR(0),
    ROAD(1);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** 0 = indoor, 1 = road. */
    public int code() {
      return code;
    }
  }

  /** A scene and its camera path; implementations are deterministic functions of their seed. */
  interface World {
    RenderSettings settings();

    double frameRateHz();

    CameraPose pose(int frame);

    /** Adds the primitives that may be visible from {@code pose} at {@code frame}. */
    void collect(int frame, CameraPose pose, PrimitiveList out);
  }

  private final Kind kind;
  private final long seed;
  private final World world;
  private final SceneRenderer renderer;
  private final PrimitiveList visible = new PrimitiveList();

  private SceneDrive(Kind kind, long seed, World world, PinholeCamera camera) {
    this.kind = kind;
    this.seed = seed;
    this.world = world;
    this.renderer = new SceneRenderer(camera);
  }

  /** An indoor drive: a room generated from {@code seed}, seen through {@code camera}. */
  public static SceneDrive indoor(long seed, PinholeCamera camera) {
    return of(Kind.INDOOR, seed, camera);
  }

  /** A road drive: a street generated from {@code seed}, seen through {@code camera}. */
  public static SceneDrive road(long seed, PinholeCamera camera) {
    return of(Kind.ROAD, seed, camera);
  }

  /** A drive of the given kind. */
  public static SceneDrive of(Kind kind, long seed, PinholeCamera camera) {
    if (kind == null || camera == null) {
      throw new IllegalArgumentException("kind and camera must not be null");
    }
    World world = kind == Kind.INDOOR ? new IndoorWorld(seed) : new RoadWorld(seed);
    return new SceneDrive(kind, seed, world, camera);
  }

  /**
   * The default camera for a kind at a given image size: square pixels, centred principal point, 60 degrees
   * horizontal field of view indoors (Kinect-like), 80 degrees on the road (KITTI-like).
   */
  public static PinholeCamera defaultCamera(Kind kind, int width, int height) {
    return PinholeCamera.fromHorizontalFov(width, height, kind == Kind.INDOOR ? 60 : 80);
  }

  /**
   * Renders frame {@code frameIndex} of the drive.
   *
   * @param depthOut receives z-depth in metres, 0 = no measurement; must be the camera's size
   * @param rgbOut receives interleaved RGB bytes ({@code 3 * width * height}), or {@code null} for depth only
   * @throws IllegalArgumentException if {@code frameIndex} is negative or an output does not match the camera
   */
  public void render(int frameIndex, DepthMap depthOut, byte[] rgbOut) {
    CameraPose pose = pose(frameIndex);
    visible.clear();
    world.collect(frameIndex, pose, visible);
    renderer.render(visible.items(), visible.size(), pose, world.settings(), depthOut, rgbOut);
  }

  /**
   * The camera pose at frame {@code frameIndex} (world frame of {@link CameraPose}).
   *
   * @throws IllegalArgumentException if {@code frameIndex} is negative
   */
  public CameraPose pose(int frameIndex) {
    if (frameIndex < 0) {
      throw new IllegalArgumentException("frame index must be >= 0, got " + frameIndex);
    }
    return world.pose(frameIndex);
  }

  public Kind kind() {
    return kind;
  }

  public long seed() {
    return seed;
  }

  public PinholeCamera camera() {
    return renderer.camera();
  }

  /** Sensor range, lighting and sky of this drive. */
  public RenderSettings settings() {
    return world.settings();
  }

  /** Frames per second of the drive's timeline (indoor 30, road 10). */
  public double frameRateHz() {
    return world.frameRateHz();
  }
}
