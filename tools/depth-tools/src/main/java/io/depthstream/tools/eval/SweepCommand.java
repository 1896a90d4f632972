package io.depthstream.tools.eval;

import io.depthstream.cli.CommandErrors;
import io.depthstream.depth.io.DatasetReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depthstream sweep}: the {@link ProtocolSweep} from the command line, the Middlebury protocol study of
 * {@code tools/depth-tools/EVALUATION.md}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Searches for the evaluation protocol behind the published Middlebury bicubic numbers "
    + "(tools/depth-tools/EVALUATION.md).")
public final class SweepCommand implements Callable<Integer> {
  /** What to print. */
  enum Mode {
    table,
    sweep
  }

  @Parameters(index = "0", defaultValue = "table", paramLabel = "MODE", description = "${COMPLETION-CANDIDATES}: table = the published row next to the standard and the closest "
      + "protocols for bicubic, bilinear and nearest; sweep = every protocol, closest to the published row first "
      + "(default: ${DEFAULT-VALUE})")
  Mode mode;

  @Parameters(index = "1", defaultValue = "8", paramLabel = "FACTOR", description = "super-resolution factor, at least 2 (default: ${DEFAULT-VALUE})")
  int factor;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "shared/data directory holding middlebury and middlebury-setc (default: located from "
      + "depthstream.root)")
  Path dataDir;

  @Mixin
  CommandErrors.Verbose verbose;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command wired with the commands' error reporting. */
  static CommandLine commandLine() {
    return CommandErrors.install(new CommandLine(new SweepCommand()).setCaseInsensitiveEnumValuesAllowed(true));
  }

  @Override
  public Integer call() {
    if (factor < 2) {
      throw new CommandLine.ParameterException(spec.commandLine(), "FACTOR must be at least 2, got " + factor);
    }
    ProtocolSweep sweep = new ProtocolSweep(dataDir == null ? DatasetReader.shared() : new DatasetReader(dataDir));
    PrintWriter out = spec.commandLine().getOut();
    if (mode == Mode.table) {
      out.print(sweep.table(factor));
    } else {
      out.println("distance | RMSE cones teddy tsukuba venus | PSNR(255) cones teddy tsukuba venus | protocol");
      for (ProtocolSweep.Row r : sweep.sortedSweep(factor)) {
        double[] rmse = r.rmse();
        double[] psnr = r.psnr();
        out.printf(Locale.ROOT, "%.3f | %6.2f %6.2f %6.2f %6.2f | %6.2f %6.2f %6.2f %6.2f | %s%n", r.distance(),
            rmse[0], rmse[1], rmse[2], rmse[3], psnr[0], psnr[1], psnr[2], psnr[3], r.protocol().describe());
      }
    }
    out.flush();
    return 0;
  }
}
