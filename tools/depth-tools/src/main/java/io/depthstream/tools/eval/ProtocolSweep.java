package io.depthstream.tools.eval;

import io.depthstream.depth.DepthMap;
import io.depthstream.depth.io.DatasetReader;
import io.depthstream.depth.io.DepthDataset;
import io.depthstream.depth.resample.EdgeMode;
import io.depthstream.depth.resample.Interpolation;
import io.depthstream.depth.resample.Resampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Searches for the evaluation protocol behind published Middlebury x8 bicubic numbers: every combination of
 * ground-truth source, crop, downscaling, rounding and evaluated pixels, with the four RMSEs and PSNRs.
 */
public final class ProtocolSweep {
  /** Published x8 bicubic rows quoted by the seed study (Cones, Teddy, Tsukuba, Venus). */
  public static final double[] PUBLISHED_RMSE = {9.64, 5.33, 7.52, 2.65};
  public static final double[] PUBLISHED_PSNR = {19.52, 30.03, 23.92, 34.82};
  public static final String[] IMAGES = {"cones", "teddy", "tsukuba", "venus"};

  /** One protocol's settings. */
  public record Protocol(
      String gt,
      boolean modcrop,
      Degradation down,
      boolean zerosAreMissing,
      boolean roundInput,
      Interpolation up,
      EdgeMode edge,
      boolean roundOutput,
      boolean validOnly,
      int border,
      int valueScale) {
    public String describe() {
      return String.format(Locale.ROOT, "gt=%s%s down=%s%s%s up=%s/%s%s eval=%s%s", gt, modcrop ? "+modcrop" : "",
          down.label(), zerosAreMissing ? "" : "(holes-as-0)", roundInput ? " +u8in" : "",
          up.name().toLowerCase(Locale.ROOT),
          edge.name().toLowerCase(Locale.ROOT), roundOutput ? " +u8out" : "", validOnly ? "valid" : "all",
          border > 0 ? " crop" + border : "") + (valueScale == 0 ? "" : " values=disparity*" + valueScale);
    }
  }

  /** Per-image RMSE and PSNR (peak 255) of one protocol. */
  public record Row(Protocol protocol, double[] rmse, double[] psnr) {
    /** RMS of the relative RMSE error against the published row. */
    public double distance() {
      double s = 0;
      for (int i = 0; i < 4; i++) {
        double r = (rmse[i] - PUBLISHED_RMSE[i]) / PUBLISHED_RMSE[i];
        s += r * r;
      }
      return Math.sqrt(s / 4);
    }
  }

  private final DepthDataset raw;
  private final DepthDataset setC;

  public ProtocolSweep(DatasetReader reader) {
    this.raw = reader.load("middlebury");
    this.setC = reader.load("middlebury-setc");
  }

  /** Runs one protocol on the four images. */
  public Row run(Protocol p, int factor) {
    double[] rmse = new double[4];
    double[] psnr = new double[4];
    for (int i = 0; i < 4; i++) {
      DepthMap rawGt = raw.sample(IMAGES[i]).depth();
      DepthMap gt = p.gt.equals("raw") ? rawGt : setC.sample(IMAGES[i]).depth();
      if (p.modcrop) {
        gt = crop(gt, gt.width() - gt.width() % factor, gt.height() - gt.height() % factor);
      }
      // the raw GT's holes decide "valid" even for the filled set (set C drops the raw GT's last row)
      DepthMap validity = crop(rawGt, gt.width(), gt.height());
      DepthMap low = p.down.apply(gt, factor, p.edge, p.zerosAreMissing);
      if (p.roundInput) {
        Degradation.roundToUint8(low);
      }
      DepthMap out = new Resampler(p.up, true, p.edge).zerosAreMissing(p.zerosAreMissing).minCoverage(1e-6)
          .resize(low, gt.width(), gt.height());
      if (p.roundOutput) {
        Degradation.roundToUint8(out);
      }
      double se = 0;
      long n = 0;
      for (int y = p.border; y < gt.height() - p.border; y++) {
        for (int x = p.border; x < gt.width() - p.border; x++) {
          if (p.validOnly && validity.get(x, y) == 0f) {
            continue;
          }
          double e = out.get(x, y) - gt.get(x, y);
          se += e * e;
          n++;
        }
      }
      // valueScale 0: the files' own scaling (x4, x4, x16, x8); k > 0: rescaled to disparity * k (linear, so exact)
      double rescale = p.valueScale == 0 ? 1 : p.valueScale / (double) raw.sample(IMAGES[i]).valueScale();
      rmse[i] = rescale * Math.sqrt(se / n);
      psnr[i] = 20 * Math.log10(255 / rmse[i]);
    }
    return new Row(p, rmse, psnr);
  }

  /** Every combination of the sweep's dimensions. */
  public List<Row> sweep(int factor) {
    List<Row> rows = new ArrayList<>();
    for (String gt : new String[] {"raw", "setC"}) {
      for (boolean holesMissing : gt.equals("raw") ? new boolean[] {true, false} : new boolean[] {true}) {
        for (boolean modcrop : new boolean[] {false, true}) {
          for (Degradation down : Degradation.values()) {
            for (boolean roundIn : new boolean[] {false, true}) {
              for (boolean roundOut : new boolean[] {false, true}) {
                for (boolean validOnly : new boolean[] {true, false}) {
                  for (int border : new int[] {0, factor, 18}) {
                    for (EdgeMode edge : EdgeMode.values()) {
                      for (int scale : new int[] {0, 1, 4, 8}) {
                        rows.add(run(new Protocol(gt, modcrop, down, holesMissing, roundIn, Interpolation.BICUBIC,
                            edge, roundOut, validOnly, border, scale), factor));
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return rows;
  }

  static DepthMap crop(DepthMap m, int w, int h) {
    if (w == m.width() && h == m.height()) {
      return m;
    }
    DepthMap out = DepthMap.allocate(w, h);
    for (int y = 0; y < h; y++) {
      System.arraycopy(m.data(), y * m.width(), out.data(), y * w, w);
    }
    return out;
  }

  /**
   * The standard protocol (MSG-Net style): hole-filled set C, MATLAB {@code imresize} antialiased bicubic down,
   * {@code up} back to full size, all pixels, file units (x4, x4, x16, x8).
   */
  public static Protocol standard(Interpolation up) {
    return new Protocol("setC", false, Degradation.BICUBIC_AA, true, false, up, EdgeMode.SYMMETRIC, false, false, 0,
        0);
  }

  /**
   * The sweep's closest protocol to the published row: set C cropped to a multiple of 8, antialiased bicubic down,
   * {@code up} back, evaluated on the raw GT's valid pixels, values rescaled to disparity x 8 for every image.
   */
  public static Protocol seed(Interpolation up) {
    return new Protocol("setC", true, Degradation.BICUBIC_AA, true, false, up, EdgeMode.SYMMETRIC, false, true, 0,
        8);
  }

  /** Markdown table of the published row, then the standard and seed protocols for bicubic, bilinear, nearest. */
  public String table(int factor) {
    StringBuilder b = new StringBuilder();
    b.append("| row | RMSE Cones | Teddy | Tsukuba | Venus | PSNR Cones | Teddy | Tsukuba | Venus |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    b.append(String.format(Locale.ROOT,
        "| published bicubic (seed study) | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
        PUBLISHED_RMSE[0], PUBLISHED_RMSE[1], PUBLISHED_RMSE[2], PUBLISHED_RMSE[3], PUBLISHED_PSNR[0],
        PUBLISHED_PSNR[1], PUBLISHED_PSNR[2], PUBLISHED_PSNR[3]));
    for (String name : new String[] {"standard", "seed"}) {
      for (Interpolation up : new Interpolation[] {Interpolation.BICUBIC, Interpolation.BILINEAR,
          Interpolation.NEAREST}) {
        Row r = run(name.equals("standard") ? standard(up) : seed(up), factor);
        b.append(
            String.format(Locale.ROOT, "| %s protocol, %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                name, up.name().toLowerCase(Locale.ROOT), r.rmse[0], r.rmse[1], r.rmse[2], r.rmse[3], r.psnr[0],
                r.psnr[1], r.psnr[2], r.psnr[3]));
      }
    }
    return b.toString();
  }

  /** Every protocol of {@link #sweep}, closest to the published row first. */
  public List<Row> sortedSweep(int factor) {
    List<Row> rows = new ArrayList<>(sweep(factor));
    rows.sort((a, b) -> Double.compare(a.distance(), b.distance()));
    return rows;
  }
}
