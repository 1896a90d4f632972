package io.depthstream.streams.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.depth.DepthMap;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.LaserScan;
import io.depthstream.proto.v1.NavigationGuidance;
import io.depthstream.proto.v1.SensorKind;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the live view copies a frame, and what the copy holds. */
class LiveViewTest {
  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  private final LiveView view = LiveView.create(10, clock::get);

  private static FrameId id(String sensor, long sequence) {
    return FrameId.newBuilder().setSensorId(sensor).setKind(SensorKind.SENSOR_KIND_LIDAR).setSequence(sequence)
        .setCaptureTimeNs(1_700_000_000_000_000_000L + sequence).build();
  }

  private static final NavigationGuidance NAV = NavigationGuidance.newBuilder()
      .setScan(LaserScan.newBuilder().setAngleMinRad(-0.5f).setAngleIncrementRad(0.5f).addRangesM(1f)
          .addRangesM(Float.NaN).addRangesM(Float.POSITIVE_INFINITY))
      .build();

  private void offer(String sensor, long sequence, DepthMap input, DepthMap dense) {
    view.offer(id(sensor, sequence), "nearest-fill", input, dense, NAV, 12 * MS);
  }

  @Test
  void nothingIsCopiedWhileNoPageIsOpen() {
    offer("velo", 1, DepthMap.allocate(8, 4), DepthMap.allocate(8, 4));
    assertThat(view.watched()).isFalse();
    assertThat(view.snapshots()).isEmpty();
    assertThat(LiveView.OFF.enabled()).isFalse();
  }

  @Test
  void withAPageOpenEachSensorIsCopiedAtMostAtTheViewRateUntilThePageGoesAway() {
    view.viewerActive();
    DepthMap dense = DepthMap.allocate(8, 4);
    offer("velo", 1, null, dense);
    Snapshot first = view.snapshot("velo");
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.kind()).isEqualTo("lidar");
    assertThat(first.latencyNanos()).isEqualTo(12 * MS);
    assertThat(first.input()).isSameAs(Preview.NONE);

    clock.addAndGet(50 * MS); // half of 1/10 s: too soon
    offer("velo", 2, null, dense);
    offer("kinect", 1, null, dense); // another sensor has its own rate
    assertThat(view.snapshot("velo").sequence()).isEqualTo(1);
    assertThat(view.snapshots()).extracting(Snapshot::sensor).containsExactly("kinect", "velo");

    clock.addAndGet(50 * MS);
    offer("velo", 3, null, dense);
    assertThat(view.snapshot("velo").sequence()).isEqualTo(3);
    assertThat(view.snapshot("velo").version()).isGreaterThan(first.version());

    clock.addAndGet((LiveView.VIEWER_TIMEOUT_SECONDS * 1000 + 1) * MS); // the page was closed
    offer("velo", 4, null, dense);
    assertThat(view.watched()).isFalse();
    assertThat(view.snapshot("velo").sequence()).isEqualTo(3);
  }

  @Test
  void aSnapshotIsACopyThatTheNextFrameCannotChange() {
    view.viewerActive();
    DepthMap input = DepthMap.allocate(4, 2);
    input.set(1, 1, 2f);
    DepthMap dense = DepthMap.allocate(4, 2);
    java.util.Arrays.fill(dense.data(), 3f);
    offer("velo", 1, input, dense);
    dense.clear(); // the frame path reuses its buffers
    input.clear();
    Snapshot s = view.snapshot("velo");
    assertThat(s.dense().samples()).containsOnly((short) (3 * 256));
    assertThat(s.input().samples()[4 + 1]).isEqualTo((short) (2 * 256));
    assertThat(s.scan()).isEqualTo(NAV.getScan());
    assertThat(s.denseWidth()).isEqualTo(4);
  }

  @Test
  void previewsKeepTheNearestReturnOfEachBlockSoSparseInputSurvivesDownscaling() {
    // 1280x480 -> step 4 (1280 / 320) -> 320x120.
    DepthMap sparse = DepthMap.allocate(1280, 480);
    sparse.set(5, 2, 10f);   // block (1, 0) holds two returns: the nearer one wins
    sparse.set(6, 3, 4f);
    sparse.set(1279, 479, 300f); // beyond the 1/256 m range: saturates, never turns into "none"
    Preview p = Preview.nearestOf(sparse);
    assertThat(p.width()).isEqualTo(320);
    assertThat(p.height()).isEqualTo(120);
    assertThat(p.samples()[1] & 0xFFFF).isEqualTo(4 * 256);
    assertThat(p.samples()[0]).isZero();
    assertThat(p.samples()[320 * 120 - 1] & 0xFFFF).isEqualTo(65535);
    int nonZero = 0;
    for (short v : p.samples()) {
      nonZero += v != 0 ? 1 : 0;
    }
    assertThat(nonZero).isEqualTo(2);
    // A small map is copied as it is; an odd size rounds its last block up.
    assertThat(Preview.step(640, 480)).isEqualTo(2);
    assertThat(Preview.step(320, 240)).isEqualTo(1);
    Preview odd = Preview.nearestOf(DepthMap.allocate(641, 10));
    assertThat(odd.width()).isEqualTo(214); // step 3
    assertThat(Preview.encode(0.001f)).as("a tiny depth is still depth").isEqualTo((short) 1);
  }

  @Test
  void denseMapsAreSampledAtEachBlocksCentre() {
    // 960x480 -> step 3 -> 320x160; block (ox, oy) is sampled at pixel (3 ox + 1, 3 oy + 1).
    DepthMap dense = DepthMap.allocate(960, 480);
    for (int y = 0; y < 480; y++) {
      for (int x = 0; x < 960; x++) {
        dense.set(x, y, 1 + x / 256f);
      }
    }
    dense.set(4, 1, 0f); // the centre of block (1, 0) has no depth: so has the sample
    Preview p = Preview.sampledOf(dense);
    assertThat(p.width()).isEqualTo(320);
    assertThat(p.height()).isEqualTo(160);
    assertThat(p.samples()[0] & 0xFFFF).isEqualTo(256 + 1);          // pixel (1, 1): 1 + 1/256 m
    assertThat(p.samples()[1]).isZero();
    assertThat(p.samples()[320 + 2] & 0xFFFF).isEqualTo(256 + 7);    // pixel (7, 4)
  }
}
