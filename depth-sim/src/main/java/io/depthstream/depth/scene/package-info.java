/**
 * Procedural synthetic scenes for training data and demo drives: analytic ray casting of boxes, rotated boxes,
 * spheres, vertical cylinders, planes and rooms into dense ground-truth depth and a shaded RGB image.
 *
 * <p>Conventions: world frame in metres, x right, y up, z forward ({@link io.depthstream.depth.scene.CameraPose});
 * camera frame x right, y down, z forward with OpenCV pixel centres
 * ({@link io.depthstream.depth.scene.PinholeCamera}); depth is <b>z-depth</b> along the optical axis (what a
 * pinhole depth camera reports, not the ray length), float32 metres, {@code 0} = no measurement (sky, beyond the
 * sensor range, or nearer than the near clip; see {@link io.depthstream.depth.scene.RenderSettings}). Everything
 * is a deterministic function of the seed ({@link java.util.SplittableRandom}, {@link StrictMath}).
 * Entry point: {@link io.depthstream.depth.scene.SceneDrive}.
 */
package io.depthstream.depth.scene;
