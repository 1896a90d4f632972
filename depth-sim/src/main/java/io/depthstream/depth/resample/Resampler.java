package io.depthstream.depth.resample;

import io.depthstream.depth.DepthMap;

/**
 * Separable resizing of depth maps that treats {@code 0f} as missing, never as a depth of zero.
 *
 * <p>Each output pixel is a normalised convolution (Knutsson &amp; Westin 1993): with kernel weights {@code w_i} and
 * validity {@code m_i = (v_i > 0)}, {@code out = sum(w_i m_i v_i) / sum(w_i m_i)}. Because the weights of each output
 * pixel are normalised to sum to 1, a map without holes gives exactly the plain convolution (MATLAB {@code imresize}
 * results for {@link EdgeMode#SYMMETRIC}). An output pixel is left invalid ({@code 0f}) when the valid weight
 * {@code sum(w_i m_i)} is below {@link #minCoverage()} (default 0.5), or when the result is {@code <= 0} (a cubic
 * overshoot below zero cannot be a depth).
 *
 * <p>Weights follow MATLAB's {@code imresize} ({@code contributions}): output pixel {@code o} samples input
 * position {@code u = (o + 0.5) / s - 0.5} with {@code s = out/in}; when downscaling with antialiasing, the kernel
 * is stretched to {@code h_s(x) = s * h(s x)} (support {@code support / s}), which is what MATLAB and PIL do by
 * default. Edge handling is {@link EdgeMode#REPLICATE} by default.
 *
 * <p>Not thread-safe. Weight tables and the intermediate buffer are kept and reused while the sizes and options
 * stay the same, so resizing a stream of same-sized frames allocates nothing.
 */
public final class Resampler {
  private final Interpolation interpolation;
  private final boolean antialias;
  private final EdgeMode edge;
  private double minCoverage = 0.5;
  private boolean zerosAreMissing = true;

  private Weights wx;
  private Weights wy;
  private float[] num = new float[0];
  private float[] den = new float[0];
  private float[] rowNum = new float[0];
  private float[] rowDen = new float[0];

  /** A resampler with antialiasing on for downscaling (except NEAREST) and replicate edges. */
  public Resampler(Interpolation interpolation) {
    this(interpolation, interpolation != Interpolation.NEAREST, EdgeMode.REPLICATE);
  }

  /**
   * @param antialias stretch the kernel when downscaling (ignored for NEAREST and AREA, which are what they are)
   * @param edge how to read beyond the border
   */
  public Resampler(Interpolation interpolation, boolean antialias, EdgeMode edge) {
    this.interpolation = interpolation;
    this.antialias = antialias;
    this.edge = edge;
  }

  public Interpolation interpolation() {
    return interpolation;
  }

  /** Minimum valid kernel weight (of 1) for an output pixel to be valid. */
  public double minCoverage() {
    return minCoverage;
  }

  /**
   * Sets the minimum valid weight; 0.5 means "at least half the kernel mass landed on measurements".
   *
   * @throws IllegalArgumentException outside (0, 1]
   */
  public Resampler minCoverage(double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException("minCoverage must be in (0, 1], got " + value);
    }
    this.minCoverage = value;
    return this;
  }

  /**
   * With {@code false}, {@code 0f} is resampled as an ordinary value, as MATLAB {@code imresize} does on an 8-bit
   * disparity map with holes; only for reproducing such protocols, since it blends holes into depth. Default
   * {@code true}.
   */
  public Resampler zerosAreMissing(boolean value) {
    this.zerosAreMissing = value;
    return this;
  }

  /** Resizes {@code src} into {@code dst}; the target size is {@code dst}'s size. */
  public void resize(DepthMap src, DepthMap dst) {
    int inW = src.width();
    int inH = src.height();
    int outW = dst.width();
    int outH = dst.height();
    if (wx == null || !wx.matches(inW, outW)) {
      wx = Weights.build(inW, outW, interpolation, antialias, edge);
    }
    if (wy == null || !wy.matches(inH, outH)) {
      wy = Weights.build(inH, outH, interpolation, antialias, edge);
    }
    int mid = outW * inH;
    if (num.length < mid) {
      num = new float[mid];
      den = new float[mid];
    }
    if (rowNum.length < outW) {
      rowNum = new float[outW];
      rowDen = new float[outW];
    }
    float[] s = src.data();
    for (float v : s) {
      if (!(v >= 0f) || v == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("resize: input holds " + v + "; depth must be finite and >= 0");
      }
    }
    horizontal(s, inW, inH, outW);
    vertical(dst.data(), outW, outH);
  }

  /** Resizes into a new map of {@code outW x outH}. */
  public DepthMap resize(DepthMap src, int outW, int outH) {
    DepthMap dst = DepthMap.allocate(outW, outH);
    resize(src, dst);
    return dst;
  }

  /**
   * Downscales by an integer factor, output {@code ceil(w / f) x ceil(h / f)} as MATLAB does for a scale of
   * {@code 1/f}.
   */
  public DepthMap downscale(DepthMap src, int factor) {
    checkFactor(factor);
    return resize(src, (src.width() + factor - 1) / factor, (src.height() + factor - 1) / factor);
  }

  /** Upscales by an integer factor to {@code w*f x h*f}. */
  public DepthMap upscale(DepthMap src, int factor) {
    checkFactor(factor);
    return resize(src, src.width() * factor, src.height() * factor);
  }

  private static void checkFactor(int factor) {
    if (factor < 1) {
      throw new IllegalArgumentException("scale factor must be >= 1, got " + factor);
    }
  }

  private void horizontal(float[] s, int inW, int inH, int outW) {
    int taps = wx.taps;
    int[] idx = wx.index;
    float[] w = wx.weight;
    for (int y = 0; y < inH; y++) {
      int row = y * inW;
      int orow = y * outW;
      for (int o = 0; o < outW; o++) {
        int k0 = o * taps;
        float n = 0f;
        float d = 0f;
        for (int k = k0; k < k0 + taps; k++) {
          float v = s[row + idx[k]];
          if (v > 0f || !zerosAreMissing) {
            n += w[k] * v;
            d += w[k];
          }
        }
        num[orow + o] = n;
        den[orow + o] = d;
      }
    }
  }

  private void vertical(float[] out, int outW, int outH) {
    int taps = wy.taps;
    int[] idx = wy.index;
    float[] w = wy.weight;
    float cover = (float) minCoverage;
    for (int o = 0; o < outH; o++) {
      java.util.Arrays.fill(rowNum, 0, outW, 0f);
      java.util.Arrays.fill(rowDen, 0, outW, 0f);
      for (int k = o * taps; k < (o + 1) * taps; k++) {
        float wk = w[k];
        if (wk == 0f) {
          continue;
        }
        int r = idx[k] * outW;
        for (int x = 0; x < outW; x++) {
          rowNum[x] += wk * num[r + x];
          rowDen[x] += wk * den[r + x];
        }
      }
      int orow = o * outW;
      for (int x = 0; x < outW; x++) {
        float d = rowDen[x];
        float v = d >= cover ? rowNum[x] / d : 0f;
        out[orow + x] = v > 0f ? v : 0f;
      }
    }
  }

  /** Per-output-pixel input indices (edge-mapped) and normalised weights, {@code taps} per output pixel. */
  static final class Weights {
    final int in;
    final int out;
    final int taps;
    final int[] index;
    final float[] weight;

    private Weights(int in, int out, int taps, int[] index, float[] weight) {
      this.in = in;
      this.out = out;
      this.taps = taps;
      this.index = index;
      this.weight = weight;
    }

    boolean matches(int in, int out) {
      return this.in == in && this.out == out;
    }

    static Weights build(int in, int out, Interpolation kind, boolean antialias, EdgeMode edge) {
      double scale = out / (double) in;
      if (kind == Interpolation.NEAREST) {
        int[] index = new int[out];
        float[] weight = new float[out];
        for (int o = 0; o < out; o++) {
          double u = (o + 0.5) / scale - 0.5;
          index[o] = edge.map((int) Math.floor(u + 0.5), in);
          weight[o] = 1f;
        }
        return new Weights(in, out, 1, index, weight);
      }
      if (kind == Interpolation.AREA) {
        return area(in, out, scale);
      }
      boolean stretch = antialias && scale < 1;
      double kernelScale = stretch ? scale : 1.0;
      double width = kind.support() / kernelScale;
      int taps = (int) Math.ceil(width) + 2;
      int[] index = new int[out * taps];
      float[] weight = new float[out * taps];
      double[] tmp = new double[taps];
      for (int o = 0; o < out; o++) {
        double u = (o + 0.5) / scale - 0.5;
        int left = (int) Math.floor(u - width / 2);
        double sum = 0;
        for (int k = 0; k < taps; k++) {
          double h = kernelScale * kind.kernel(kernelScale * (u - (left + k)));
          tmp[k] = h;
          sum += h;
        }
        for (int k = 0; k < taps; k++) {
          index[o * taps + k] = edge.map(left + k, in);
          weight[o * taps + k] = (float) (tmp[k] / sum);
        }
      }
      return new Weights(in, out, taps, index, weight);
    }

    /** Output pixel o covers input interval [o/s, (o+1)/s); weights are overlap lengths times s. */
    private static Weights area(int in, int out, double scale) {
      double footprint = 1.0 / scale;
      int taps = (int) Math.ceil(footprint) + 1;
      int[] index = new int[out * taps];
      float[] weight = new float[out * taps];
      for (int o = 0; o < out; o++) {
        double a = o * footprint;
        double b = Math.min((o + 1) * footprint, in);
        int first = (int) Math.floor(a);
        for (int k = 0; k < taps; k++) {
          int j = first + k;
          double overlap = Math.max(0, Math.min(b, j + 1) - Math.max(a, j));
          index[o * taps + k] = Math.min(j, in - 1);
          weight[o * taps + k] = (float) (overlap / (b - a));
        }
      }
      return new Weights(in, out, taps, index, weight);
    }
  }
}
