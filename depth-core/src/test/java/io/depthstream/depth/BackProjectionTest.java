package io.depthstream.depth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class BackProjectionTest {
  @Test
  void pixelsBecomePointsAsPointCloudXyzComputesThem() {
    // fx 500, fy 400, cx 320, cy 240: pixel (420, 40) at 2 m is x = 100 * 2 / 500 = 0.4, y = -200 * 2 / 400 = -1.0
    BackProjection projection = new BackProjection().intrinsics(500, 400, 320, 240);
    byte[] out = new byte[2 * BackProjection.POINT_BYTES];
    assertThat(projection.write(420, 40, 2f, out, 0)).isTrue();
    ByteBuffer points = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(points.getFloat(0)).isEqualTo((420 - 320f) * 2f * (float) (1.0 / 500));
    assertThat(points.getFloat(0)).isCloseTo(0.4f, offset(1e-6f));
    assertThat(points.getFloat(4)).isCloseTo(-1.0f, offset(1e-6f));
    assertThat(points.getFloat(8)).isEqualTo(2f);

    assertThat(projection.write(0, 0, 0f, out, 12)).isFalse();
    assertThat(points.getFloat(12)).isNaN();
    assertThat(points.getFloat(16)).isNaN();
    assertThat(points.getFloat(20)).isNaN();
  }

  @Test
  void depthThatIsNoDistanceIsNoPoint() {
    BackProjection projection = new BackProjection().intrinsics(1, 1, 0, 0);
    byte[] out = new byte[BackProjection.POINT_BYTES];
    for (float z : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 0f}) {
      assertThat(projection.write(1, 1, z, out, 0)).as("depth %s", z).isFalse();
      assertThat(ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getFloat(8)).isNaN();
    }
  }

  @Test
  void focalLengthsMustBePositive() {
    assertThatThrownBy(() -> new BackProjection().intrinsics(0, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fx 0.0");
  }
}
