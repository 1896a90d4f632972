package io.depthstream.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.Test;

/**
 * The layout's promises, checked on the compiled classes of every module (the demo module sees them all): modules
 * depend one way, the runtime carries no tooling, packages have no cycles, the stream topology knows nothing of
 * ONNX Runtime, and PNGs are read by one decoder.
 */
class ArchitectureTest {
  /** Test jars (cli's CommandMistakes, on the test class path) hold tests, not the modules' code. */
  static final ImportOption NO_TEST_JARS = location -> !location.contains("-tests.jar");

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(NO_TEST_JARS)
      .importPackages("io.depthstream");

  /**
   * The runtime: the packages of proto, depth-core, inference, the Connect plugin (connectors) and the node
   * (stream-app), whose jars the node's classpath, the image and a Connect worker's plugin folder hold.
   */
  private static final String[] RUNTIME = {"io.depthstream.proto..", "io.depthstream.depth",
      "io.depthstream.depth.classical..", "io.depthstream.depth.focus..", "io.depthstream.depth.support..",
      "io.depthstream.depth.wire..", "io.depthstream.depth.tooling..", "io.depthstream.depth.image..",
      "io.depthstream.inference..", "io.depthstream.connect.source..", "io.depthstream.connect.frames..",
      "io.depthstream.connect.formats..", "io.depthstream.streams.."};

  /**
   * Tooling: depth-sim (scenes, sampling patterns, metrics, dataset files, resampling), the commands and benchmarks
   * of tools/ (depth-tools, demo, the in-process broker, drive-tools: record/replay, publishing, synthetic sensors,
   * the plain-producer runner, connect-bench), JMH and the broker's own classes.
   */
  private static final String[] TOOLING = {"io.depthstream.depth.scene..", "io.depthstream.depth.sampling..",
      "io.depthstream.depth.metrics..", "io.depthstream.depth.io..", "io.depthstream.depth.resample..",
      "io.depthstream.tools..", "io.depthstream.demo..", "io.depthstream.localkafka..",
      "io.depthstream.connect.record..", "io.depthstream.connect.publish..", "io.depthstream.connect.bench..",
      "io.depthstream.connect.synthetic..", "io.depthstream.connect.runner..", "org.openjdk.jmh..",
      "kafka.server.."};

  @Test
  void theImportSeesEveryModule() {
    for (String module : java.util.List.of("depth", "depth.scene", "depth.image", "proto", "inference", "streams",
        "connect", "connect.record", "localkafka", "tools", "demo", "cli")) {
      assertThat(CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith("io.depthstream." + module)))
          .as("classes of io.depthstream.%s imported", module).isTrue();
    }
  }

  @Test
  void theDepthLibraryDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("io.depthstream.depth..")
        .should().dependOnClassesThat().resideInAnyPackage("io.depthstream.proto..", "io.depthstream.inference..",
            "io.depthstream.streams..", "io.depthstream.connect..", "io.depthstream.localkafka..",
            "io.depthstream.tools..", "io.depthstream.demo..")
        .check(CLASSES);
  }

  @Test
  void connectorsAndTheStreamAppNeverDependOnEachOther() {
    noClasses().that().resideInAPackage("io.depthstream.connect..")
        .should().dependOnClassesThat().resideInAPackage("io.depthstream.streams..").check(CLASSES);
    noClasses().that().resideInAPackage("io.depthstream.streams..")
        .should().dependOnClassesThat().resideInAPackage("io.depthstream.connect..").check(CLASSES);
  }

  @Test
  void theRuntimeDependsOnNoTooling() {
    noClasses().that().resideInAnyPackage(RUNTIME).should().dependOnClassesThat().resideInAnyPackage(TOOLING)
        .check(CLASSES);
  }

  @Test
  void theConnectPluginAndTheDepthLibraryParseNoCommandLines() {
    // The node's main (stream-app) takes options; the plugin jar a Connect worker loads, depth-core and depth-sim
    // do not (the commands around them live in tools/).
    noClasses().that().resideInAnyPackage("io.depthstream.connect.source..", "io.depthstream.connect.frames..",
        "io.depthstream.connect.formats..", "io.depthstream.depth..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(CLASSES);
  }

  @Test
  void theConnectPluginRunsOnTheConnectApiAlone() {
    // The worker's runtime and its logging backend are on the connectors' build classpath (provided: the
    // plugin-isolation test's worker), never for the plugin's code, which a worker with plugin isolation runs
    // against the Connect API, kafka-clients and SLF4J alone.
    noClasses().that().resideInAnyPackage("io.depthstream.connect.source..", "io.depthstream.connect.frames..",
        "io.depthstream.connect.formats..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.connect.runtime..",
            "org.apache.logging.log4j..")
        .check(CLASSES);
  }

  @Test
  void theRuntimeUsesNoImageIoAndNothingReadsPngsWithIt() {
    // depth-core's image.Png reads every PNG of the project (2-3x faster than ImageIO, identical samples, errors
    // naming the file and the problem); ImageIO only writes pictures and charts, in tooling.
    noClasses().that().resideInAnyPackage(RUNTIME).should().dependOnClassesThat().resideInAPackage("javax.imageio..")
        .check(CLASSES);
    // The one exception: depth-sim's RgbImage reads JPEG and BMP colour frames (SUN RGB-D's) through ImageIO in a
    // nested class of its own; its PNGs go through Png like everything else.
    noClasses().that().doNotHaveFullyQualifiedName("io.depthstream.depth.io.RgbImage$OtherFormats").should()
        .callMethodWhere(target(owner(assignableTo(ImageIO.class))).and(target(nameStartingWith("read"))))
        .orShould().dependOnClassesThat().areAssignableTo(ImageReader.class)
        .check(CLASSES);
  }

  @Test
  void theTopologyKnowsNothingOfOnnxRuntime() {
    noClasses().that().resideInAPackage("io.depthstream.streams..")
        .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..").check(CLASSES);
  }

  @Test
  void packagesOfEachModuleHaveNoCycles() {
    slices().matching("io.depthstream.(*).(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
