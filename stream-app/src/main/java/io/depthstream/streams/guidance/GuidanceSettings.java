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
 * @param supportMaxPixels a dense pixel counts only when its support distance (output pixels to the nearest
 *     measured input pixel, {@link io.depthstream.depth.support.SupportMap}) is at most this; 0 = measured only
 * @param groundPlane the floor in camera coordinates, so that it does not raise the alert; {@link GroundPlane#OFF}
 *     when the camera's mounting is unknown
 */
public record GuidanceSettings(int sectors, double rowBegin, double rowEnd, double rangeMinMetres,
    double rangeMaxMetres, double corridorHalfWidthMetres, double alertDistanceMetres, int supportMaxPixels,
    GroundPlane groundPlane) {

  /** @throws IllegalArgumentException for a support distance outside the codes' 0..250, or no ground plane */
  public GuidanceSettings {
    if (supportMaxPixels < 0 || supportMaxPixels > 250) {
      throw new IllegalArgumentException("supportMaxPixels must be in [0, 250], got " + supportMaxPixels);
    }
    if (groundPlane == null) {
      throw new IllegalArgumentException("groundPlane must be given; GroundPlane.OFF when the mounting is unknown");
    }
  }

  /**
   * Where the floor is, for a camera rolled level and pitched down by {@code pitchDegrees} about its x axis,
   * {@code cameraHeightMetres} above a flat floor.
   *
   * @param cameraHeightMetres optical centre above the floor; 0 = unknown, which turns the ground plane off (every
   *     supported pixel in the corridor counts)
   * @param pitchDegrees downward pitch of the optical axis, degrees (negative = up)
   * @param floorClearanceMetres points at most this high above the floor are floor, not obstacles
   * @param robotHeightMetres points higher than this above the floor pass over the robot; 0 = no limit
   */
  public record GroundPlane(double cameraHeightMetres, double pitchDegrees, double floorClearanceMetres,
      double robotHeightMetres) {
    /** No ground plane: nothing in the corridor is taken for floor. */
    public static final GroundPlane OFF = new GroundPlane(0, 0, 0, 0);

    /** Whether the camera height is known, so the floor can be told from obstacles. */
    public boolean enabled() {
      return cameraHeightMetres > 0;
    }
  }
}
