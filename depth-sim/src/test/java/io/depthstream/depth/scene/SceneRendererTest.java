package io.depthstream.depth.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.depthstream.depth.DepthMap;
import org.junit.jupiter.api.Test;

class SceneRendererTest {
  private static final Material GREY = Material.plain(0x808080);
  /** Indoor settings (10 m range) without fog, so hand-computed depths are exact. */
  private static final RenderSettings SETTINGS = RenderSettings.indoor();

  private static DepthMap render(PinholeCamera camera, CameraPose pose, Primitive... primitives) {
    DepthMap depth = DepthMap.allocate(camera.width(), camera.height());
    new SceneRenderer(camera).render(primitives, primitives.length, pose, SETTINGS, depth,
        new byte[3 * camera.pixelCount()]);
    return depth;
  }

  @Test
  void wallFacingTheCameraHasItsDistanceAsDepthAtEveryPixel() {
    PinholeCamera camera = new PinholeCamera(30, 30, 19.5, 14.5, 40, 30);
    // Wall front face at z = 5 m, camera at the origin looking along +z: z-depth is 5 everywhere, also in corners.
    DepthMap depth = render(camera, CameraPose.lookingForward(0, 0, 0), Primitive.box(-50, -50, 5, 50, 50, 6, GREY));
    for (float d : depth.data()) {
      assertThat(d).isEqualTo(5f);
    }
    // The corner pixel's ray is longer: 5 * sqrt(1 + 0.65^2 + (14.5/30)^2) = 5 * sqrt(1.656111) = 6.43450 m.
    assertThat(camera.rayLength(0, 0, depth.get(0, 0))).isCloseTo(6.43450, within(1e-4));
  }

  @Test
  void planeAndNearerSphereOcclusion() {
    PinholeCamera camera = new PinholeCamera(20, 20, 20, 15, 41, 31);
    DepthMap depth = render(camera, CameraPose.lookingForward(0, 0, 0), Primitive.plane(0, 0, -1, -7, GREY),
        Primitive.sphere(0, 0, 4, 1, GREY));
    assertThat(depth.get(20, 15)).isEqualTo(3f);
    assertThat(depth.get(0, 0)).isEqualTo(7f);
  }

  @Test
  void floorDepthIsZDepthNotRayLength() {
    // Level camera 1.5 m above a floor. Row 25 looks down by b = (25 - 15) / 20 = 0.5, so the floor is met at
    // z = 1.5 / 0.5 = 3 m at every column of that row; the ray length at column 30 (a = 0.5) would be
    // 3 * sqrt(1 + 0.25 + 0.25) = 3.674235 m.
    PinholeCamera camera = new PinholeCamera(20, 20, 20, 15, 41, 31);
    DepthMap depth = render(camera, CameraPose.lookingForward(0, 1.5, 0), Primitive.plane(0, 1, 0, 0, GREY));
    for (int x = 0; x < camera.width(); x++) {
      assertThat(depth.get(x, 25)).isEqualTo(3f);
    }
    assertThat(camera.rayLength(30, 25, depth.get(30, 25))).isCloseTo(3.674235, within(1e-6));
    // Rows at or above the horizon never meet the floor.
    assertThat(depth.get(20, 15)).isZero();
    assertThat(depth.get(20, 0)).isZero();
  }

  @Test
  void sphereNearestDepthIsDistanceMinusRadius() {
    PinholeCamera camera = new PinholeCamera(40, 40, 20, 20, 41, 41);
    DepthMap depth = render(camera, CameraPose.lookingForward(0, 0, 0), Primitive.sphere(0, 0, 6, 1.5, GREY));
    assertThat(depth.get(20, 20)).isEqualTo(4.5f);
    float min = Float.MAX_VALUE;
    for (float d : depth.data()) {
      if (d > 0) {
        min = Math.min(min, d);
      }
    }
    assertThat(min).isEqualTo(4.5f);
    // Off-centre pixel (25, 20), a = 0.125: (0.125 z)^2 + (z - 6)^2 = 1.5^2 gives z = 9.375 / 2.03125 = 60/13.
    // Had the renderer stored ray length, this pixel would read 60/13 * sqrt(1 + 0.125^2) = 4.6513 instead.
    assertThat((double) depth.get(25, 20)).isCloseTo(60.0 / 13, within(1e-5));
    // Silhouette: angular radius asin(1.5/6), tan = 0.258199, i.e. 10.33 pixels from the centre.
    assertThat(depth.get(30, 20)).isPositive();
    assertThat(depth.get(31, 20)).isZero();
  }

  @Test
  void rotatedBoxShowsItsEdgeAtCentreMinusHalfDiagonal() {
    PinholeCamera camera = new PinholeCamera(40, 40, 20, 20, 41, 41);
    DepthMap depth = render(camera, CameraPose.lookingForward(0, 0, 0),
        Primitive.rotatedBox(0, 0, 5, 1, 1, 1, Math.PI / 4, GREY));
    // A unit cube turned 45 degrees points a vertical edge at the camera: z = 5 - sqrt(2).
    assertThat((double) depth.get(20, 20)).isCloseTo(5 - Math.sqrt(2), within(1e-6));
    // One pixel right (a = 1/40) lies on the face through (0, 5 - sqrt 2) and (sqrt 2, 5), i.e. z - x = 5 - sqrt 2;
    // with x = z / 40 that gives z = (5 - sqrt 2) / 0.975.
    assertThat((double) depth.get(21, 20)).isCloseTo((5 - Math.sqrt(2)) / 0.975, within(1e-6));
  }

  @Test
  void cylinderSideAndTopCap() {
    PinholeCamera camera = new PinholeCamera(20, 20, 20, 15, 41, 31);
    DepthMap side = render(camera, CameraPose.lookingForward(0, 0, 0), Primitive.cylinder(0, 4, -1, 1, 0.5, GREY));
    assertThat(side.get(20, 15)).isEqualTo(3.5f);
    // Camera 3 m up, row 25 looks down by 0.5: the ray passes over the side (at z = 1 it is at y = 2.5 > 2) and
    // meets the top cap y = 2 at z = 1 / 0.5 = 2, inside the radius-3 disc around z = 4.
    DepthMap cap = render(camera, CameraPose.lookingForward(0, 3, 0), Primitive.cylinder(0, 4, -2, 2, 3, GREY));
    assertThat(cap.get(20, 25)).isEqualTo(2f);
  }

  @Test
  void roomFromInsideShowsFarWallAndFloor() {
    PinholeCamera camera = new PinholeCamera(20, 20, 20, 15, 41, 31);
    Material[] faces = {GREY, GREY, GREY, GREY, GREY, GREY};
    DepthMap depth = render(camera, CameraPose.lookingForward(0, 1.5, 0), Primitive.room(-2, 0, -3, 2, 3, 5, faces));
    assertThat(depth.get(20, 15)).isEqualTo(5f);
    // Bottom row b = 0.75: floor at z = 1.5 / 0.75 = 2 m.
    assertThat(depth.get(20, 30)).isEqualTo(2f);
    assertThat(depth.validCount()).isEqualTo(camera.pixelCount());
  }

  @Test
  void beyondRangeAndSkyAreNoMeasurementButStillColoured() {
    PinholeCamera camera = new PinholeCamera(20, 20, 20, 15, 41, 31);
    DepthMap depth = DepthMap.allocate(41, 31);
    byte[] rgb = new byte[3 * 41 * 31];
    Primitive wall = Primitive.box(-50, -50, 12, 50, 50, 13, Material.plain(0xff0000));
    new SceneRenderer(camera).render(new Primitive[] {wall}, 1, CameraPose.lookingForward(0, 0, 0), SETTINGS, depth,
        rgb);
    assertThat(depth.validCount()).isZero();
    // 12 m is past the 10 m range but within the 30 m render distance: red (with shading) but depth 0.
    assertThat(rgb[0] & 0xff).isGreaterThan(100);
    assertThat(rgb[1] & 0xff).isZero();

    new SceneRenderer(camera).render(new Primitive[0], 0, CameraPose.lookingForward(0, 0, 0), SETTINGS, depth, rgb);
    assertThat(depth.validCount()).isZero();
    // Indoor sky colour is grey 0xb0 at gamma 1 = linear 0.690, encoded 255 * sqrt(0.690) = 211.8.
    assertThat(rgb[0] & 0xff).isEqualTo(212);
  }

  @Test
  void tiledCullingMatchesBruteForceOnGeneratedScenes() {
    PinholeCamera camera = PinholeCamera.fromHorizontalFov(96, 72, 80);
    SceneRenderer renderer = new SceneRenderer(camera);
    DepthMap depth = DepthMap.allocate(96, 72);
    SceneDrive.World[] worlds = {new IndoorWorld(3), new RoadWorld(3)};
    for (SceneDrive.World world : worlds) {
      for (int frame = 0; frame < 200; frame += 37) {
        CameraPose pose = world.pose(frame);
        PrimitiveList list = new PrimitiveList();
        world.collect(frame, pose, list);
        renderer.render(list.items(), list.size(), pose, world.settings(), depth, null);
        float[] expected = bruteForce(camera, pose, world.settings(), list);
        assertThat(depth.data()).as("frame %d of %s", frame, world.getClass().getSimpleName()).isEqualTo(expected);
      }
    }
  }

  /** Every pixel against every primitive, with the camera basis written out independently. */
  private static float[] bruteForce(PinholeCamera c, CameraPose pose, RenderSettings s, PrimitiveList list) {
    double sy = StrictMath.sin(pose.yaw());
    double cy = StrictMath.cos(pose.yaw());
    double sp = StrictMath.sin(pose.pitch());
    double cp = StrictMath.cos(pose.pitch());
    float[] out = new float[c.pixelCount()];
    for (int y = 0; y < c.height(); y++) {
      for (int x = 0; x < c.width(); x++) {
        double a = (x - c.cx()) / c.fx();
        double b = (y - c.cy()) / c.fy();
        // d = forward + a * right + b * down
        double dx = Primitive.nonZero(sy * cp + b * sy * sp + a * cy);
        double dy = Primitive.nonZero(sp + b * -cp);
        double dz = Primitive.nonZero(cy * cp + b * cy * sp + a * -sy);
        double best = s.renderDistance();
        for (int i = 0; i < list.size(); i++) {
          best = Math.min(best, list.items()[i].intersect(pose.x(), pose.y(), pose.z(), dx, dy, dz, 1 / dx, 1 / dy,
              1 / dz, s.nearClip()));
        }
        out[y * c.width() + x] = best < s.renderDistance() && best <= s.maxRange() ? (float) best : 0f;
      }
    }
    return out;
  }

  @Test
  void rejectsOutputsOfTheWrongSize() {
    PinholeCamera camera = new PinholeCamera(20, 20, 20, 15, 41, 31);
    SceneRenderer renderer = new SceneRenderer(camera);
    CameraPose pose = CameraPose.lookingForward(0, 0, 0);
    assertThatThrownBy(() -> renderer.render(new Primitive[0], 0, pose, SETTINGS, DepthMap.allocate(40, 31), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("41x31");
    assertThatThrownBy(() -> renderer.render(new Primitive[0], 0, pose, SETTINGS, DepthMap.allocate(41, 31),
        new byte[10])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rgb");
  }

  @Test
  void rejectsDegenerateShapesAndCameras() {
    assertThatThrownBy(() -> Primitive.sphere(0, 0, 0, -1, GREY)).hasMessageContaining("radius");
    assertThatThrownBy(() -> Primitive.box(0, 0, 0, 0, 1, 1, GREY)).hasMessageContaining("width");
    assertThatThrownBy(() -> Primitive.sphere(Double.NaN, 0, 0, 1, GREY)).hasMessageContaining("finite");
    assertThatThrownBy(() -> new PinholeCamera(0, 1, 0, 0, 10, 10)).hasMessageContaining("focal");
    assertThatThrownBy(() -> new CameraPose(0, 0, 0, 0, Math.PI / 2)).hasMessageContaining("pitch");
  }
}
