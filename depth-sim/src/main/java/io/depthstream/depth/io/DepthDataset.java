package io.depthstream.depth.io;

import java.nio.file.Path;
import java.util.List;

/**
 * A small set of ground-truth depth images read by {@link DatasetReader}.
 *
 * @param name the dataset's name ({@code middlebury}, {@code tum}, ... or the directory name)
 * @param directory where the files are
 * @param encoding how the files' samples became values
 * @param units {@code "m"} or {@code "disparity (8-bit scaled)"}
 * @param maxValue the dataset's peak value {@code MAX}, in {@code units}, used as the PSNR peak and SSIM dynamic
 *     range {@code L}: 255 for 8-bit Middlebury disparity, the sensor's maximum range for metric depth
 * @param samples the images, in a stable order
 */
public record DepthDataset(
    String name, Path directory, DepthEncoding encoding, String units, float maxValue, List<DepthSample> samples) {
  public DepthDataset {
    samples = List.copyOf(samples);
    if (!(maxValue > 0f)) {
      throw new IllegalArgumentException("dataset " + name + ": maxValue must be > 0, got " + maxValue);
    }
  }

  /** The sample with this id. */
  public DepthSample sample(String id) {
    for (DepthSample s : samples) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("dataset " + name + " has no sample '" + id + "'");
  }
}
