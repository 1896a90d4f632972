package io.depthstream.depth.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.depthstream.depth.DepthMap;
import java.nio.file.Path;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real files of shared/data and checks the facts stated in its MANIFEST.md. */
class SharedDataTest {
  private static DatasetReader reader;

  @BeforeAll
  static void locate() {
    Optional<Path> dir = DatasetReader.locateSharedData();
    assumeThat(dir).as("shared/data not found (set -Ddepthstream.root); real-data tests skipped").isPresent();
    reader = new DatasetReader(dir.get());
  }

  private static double invalidFraction(DepthMap m) {
    return 1.0 - m.validCount() / (double) m.size();
  }

  private static float[] validMinMax(DepthMap m) {
    float lo = Float.MAX_VALUE;
    float hi = 0f;
    for (float v : m.data()) {
      if (v > 0f) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return new float[] {lo, hi};
  }

  @Test
  void tumIs640x480With19PercentMissingAnd1p46To9p33Metres() {
    DepthMap m = reader.load("tum").samples().get(0).depth();
    assertThat(m.width()).isEqualTo(640);
    assertThat(m.height()).isEqualTo(480);
    assertThat(invalidFraction(m)).isCloseTo(0.192, Offset.offset(0.0006));
    float[] r = validMinMax(m);
    assertThat(r[0]).isCloseTo(1.46f, Offset.offset(0.006f));
    assertThat(r[1]).isCloseTo(9.33f, Offset.offset(0.006f));
  }

  @Test
  void sunIsBitRotatedWith18PercentMissingAnd1p06To9p87Metres() {
    DepthMap m = reader.load("sun-rgbd").samples().get(0).depth();
    assertThat(m.width()).isEqualTo(640);
    assertThat(invalidFraction(m)).isCloseTo(0.182, Offset.offset(0.0006));
    float[] r = validMinMax(m);
    assertThat(r[0]).isCloseTo(1.06f, Offset.offset(0.006f));
    assertThat(r[1]).isCloseTo(9.87f, Offset.offset(0.006f));
  }

  @Test
  void nyuRawIsLittleEndianWith7PercentInvalidAnd1p39To6p69Metres() {
    DepthMap m = reader.load("nyu-raw").samples().get(0).depth();
    assertThat(m.height()).isEqualTo(480);
    assertThat(invalidFraction(m)).isCloseTo(0.072, Offset.offset(0.0006));
    float[] r = validMinMax(m);
    assertThat(r[0]).isCloseTo(1.39f, Offset.offset(0.006f));
    assertThat(r[1]).isCloseTo(6.69f, Offset.offset(0.006f));
  }

  @Test
  void kittiSparseHas17144PointsFrom2p61To76p6Metres() {
    DepthMap m = reader.load("kitti-000008").samples().get(0).depth();
    assertThat(m.width()).isEqualTo(1242);
    assertThat(m.height()).isEqualTo(375);
    assertThat(m.validCount()).isEqualTo(17_144);
    float[] r = validMinMax(m);
    assertThat(r[0]).isCloseTo(2.61f, Offset.offset(0.006f));
    assertThat(r[1]).isCloseTo(76.6f, Offset.offset(0.06f));
  }

  @Test
  void middleburyRawGtSizesScalesAndHoles() {
    DepthDataset ds = reader.load("middlebury");
    assertThat(ds.maxValue()).isEqualTo(255f);
    DepthSample cones = ds.sample("cones");
    assertThat(cones.depth().width()).isEqualTo(450);
    assertThat(cones.depth().height()).isEqualTo(375);
    assertThat(cones.valueScale()).isEqualTo(4);
    assertThat(cones.colorFile()).isPresent();
    assertThat(cones.depth().validCount()).isLessThan(cones.depth().size());
    DepthMap tsukuba = ds.sample("tsukuba").depth();
    assertThat(tsukuba.width()).isEqualTo(384);
    assertThat(tsukuba.height()).isEqualTo(288);
    // 18-px border of zeros: pixel (17, 100) is 0, interior pixel (18 + 50, 100) is valid
    assertThat(tsukuba.get(17, 100)).isZero();
    assertThat(tsukuba.get(68, 100)).isPositive();
    DepthMap venus = ds.sample("venus").depth();
    assertThat(venus.height()).isEqualTo(383);
    assertThat(venus.validCount()).isEqualTo(venus.size()); // Venus GT is complete
  }

  @Test
  void middleburySetCIsHoleFilledAndEqualsRawGtOnValidPixels() {
    DepthDataset setC = reader.load("middlebury-setc");
    DepthDataset raw = reader.load("middlebury");
    for (DepthSample s : setC.samples()) {
      assertThat(s.depth().validCount()).as(s.id()).isEqualTo(s.depth().size());
    }
    DepthMap c = setC.sample("cones").depth();
    DepthMap r = raw.sample("cones").depth();
    assertThat(c.height()).isEqualTo(374); // last row dropped
    int valid = 0;
    int equal = 0;
    for (int y = 0; y < c.height(); y++) {
      for (int x = 0; x < c.width(); x++) {
        float g = r.get(x, y);
        if (g > 0f) {
          valid++;
          if (g == c.get(x, y)) {
            equal++;
          }
        }
      }
    }
    assertThat(equal / (double) valid).isCloseTo(0.9994, Offset.offset(0.0006));
  }
}
