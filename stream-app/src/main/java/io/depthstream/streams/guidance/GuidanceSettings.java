package io.depthstream.streams.guidance;

/**
 * Parameters of the navigation guidance.
 *
 * @param sectors angular sectors of the scan across the image's horizontal field of view
 * @param rowBegin first row of the scan band, fraction of the image height in [0, 1)
 * @param rowEnd end of the band (exclusive), fraction of the height, greater than rowBegin
 * @param rangeMinMetres scan range_min; nearer returns are reported as -Inf
 * @param rangeMaxMetres scan range_max; sectors with nothing nearer report +Inf
 * @param corridorHalfWidthMetres half width of the corridor ahead, |x| in metres
 * @param alertDistanceMetres alert when anything in the corridor is nearer (z) than this
 */
public record GuidanceSettings(int sectors, double rowBegin, double rowEnd, double rangeMinMetres,
    double rangeMaxMetres, double corridorHalfWidthMetres, double alertDistanceMetres) {}
