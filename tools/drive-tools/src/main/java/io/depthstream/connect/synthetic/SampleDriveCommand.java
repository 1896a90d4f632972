package io.depthstream.connect.synthetic;

import io.depthstream.cli.CommandErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./depthstream sample-drive}: writes the project's synthetic sample drive ({@link SampleDrive}) in the
 * formats the LiDAR, RGB-D and vSLAM source connectors read; the Connect image bundles one.
 */
@Command(name = "sample-drive", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "Writes a synthetic drive of three sensors in the files the source connectors read:",
    "  lidar/velodyne/*.bin + lidar/calib.txt (KITTI, lidar.format=kitti-bin), 1242x375, 10 Hz",
    "  rgbd/depth.txt + rgbd/depth/*.png (TUM RGB-D, rgbd.format=tum), 640x480, 30 Hz",
    "  vslam/keyframes/*.txt (vslam.format=keyframes), 640x480, 10 Hz",
    "The same seed and frame count write the same bytes."})
public final class SampleDriveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write the drive into (created; files of an earlier run are replaced)")
  Path out;

  @Option(names = "--frames", defaultValue = "30", paramLabel = "N", description = "frames per sensor, at least 1; connectors with loop=true replay them (default: ${DEFAULT-VALUE})")
  int frames;

  @Option(names = "--seed", defaultValue = "7", paramLabel = "S", description = "seed of the scene generator's streets and rooms (default: ${DEFAULT-VALUE})")
  long seed;

  @Mixin
  CommandErrors.Verbose verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired with the commands' error reporting ({@link CommandErrors}): a file problem is one line. */
  static CommandLine commandLine() {
    return CommandErrors.commandLine(new SampleDriveCommand());
  }

  @Override
  public Integer call() throws IOException {
    if (frames < 1) {
      throw new ParameterException(spec.commandLine(), "--frames must be at least 1, got " + frames);
    }
    SampleDrive.write(out, frames, seed, System.err);
    System.err.println("wrote " + frames + " frames per sensor (seed " + seed + ") into " + out);
    return 0;
  }
}
