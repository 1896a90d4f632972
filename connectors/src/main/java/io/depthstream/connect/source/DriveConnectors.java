package io.depthstream.connect.source;

import io.depthstream.connect.source.focal.FocalStackSourceTask;
import io.depthstream.connect.source.lidar.LidarSourceTask;
import io.depthstream.connect.source.rgbd.RgbdSourceTask;
import io.depthstream.connect.source.vslam.VslamSourceTask;
import java.util.Locale;
import java.util.function.Supplier;

/** The drive sources by short name, for the runner and the bench: lidar, rgbd, vslam, focal. */
public enum DriveConnectors {
  LIDAR(LidarSourceTask::new),
  RGBD(RgbdSourceTask::new),
  VSLAM(VslamSourceTask::new),
  FOCAL(FocalStackSourceTask::new);

  private final Supplier<DriveSourceTask> task;

  DriveConnectors(Supplier<DriveSourceTask> task) {
    this.task = task;
  }

  /** A new, unstarted task of this kind. */
  public DriveSourceTask newTask() {
    return task.get();
  }

  /** By short name, case-insensitive. */
  public static DriveConnectors of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown source '" + name + "': use lidar, rgbd, vslam or focal");
    }
  }
}
