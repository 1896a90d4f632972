package io.depthstream.depth.io;

import io.depthstream.depth.DepthMap;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One ground-truth depth image of a {@link DepthDataset}.
 *
 * @param id short stable name (for example {@code cones})
 * @param depth decoded values, in the dataset's units (metres, or scaled disparity for Middlebury); 0 = invalid
 * @param depthFile the file it was read from
 * @param colorFile the registered colour image, if the dataset has one
 * @param valueScale for Middlebury, the factor the file multiplies disparity by (4, 8 or 16); 1 otherwise
 */
public record DepthSample(String id, DepthMap depth, Path depthFile, Optional<Path> colorFile, int valueScale) {}
