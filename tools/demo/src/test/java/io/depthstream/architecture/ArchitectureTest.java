package io.depthstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layout's promises, checked on the compiled classes of every module (the demo module sees them all): modules
 * depend one way, packages have no cycles, and the stream topology knows nothing of ONNX Runtime.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.depthstream");

  @Test
  void theImportSeesEveryModule() {
    for (String module : java.util.List.of("depth", "depth.scene", "proto", "inference", "streams", "connect",
        "connect.record", "localkafka", "tools", "demo")) {
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
  void theRuntimeCarriesNoBrokerOrDemo() {
    noClasses().that().resideInAnyPackage("io.depthstream.streams..", "io.depthstream.connect..",
            "io.depthstream.inference..", "io.depthstream.proto..")
        .should().dependOnClassesThat().resideInAnyPackage("io.depthstream.localkafka..", "io.depthstream.demo..",
            "io.depthstream.tools..", "kafka.server..")
        .check(CLASSES);
  }

  @Test
  void theConnectPluginCarriesNoTool() {
    // connectors/ is the plugin jar a Connect worker loads; recording, replay, publishing, synthetic sensors, the
    // plain-producer runner and the source benchmark live in drive-tools/.
    noClasses().that().resideInAnyPackage("io.depthstream.connect.source..", "io.depthstream.connect.frames..",
            "io.depthstream.connect.formats..")
        .should().dependOnClassesThat().resideInAnyPackage("io.depthstream.connect.record..",
            "io.depthstream.connect.publish..", "io.depthstream.connect.bench..",
            "io.depthstream.connect.synthetic..", "io.depthstream.connect.runner..", "picocli..")
        .check(CLASSES);
  }

  @Test
  void theRuntimeCarriesNoSimulationOrEvaluation() {
    // depth-sim (scenes, sampling patterns, metrics, image files, resampling) serves the demo, the evaluator and the
    // synthetic sensors; the node and the plugin need only depth-core.
    noClasses().that().resideInAnyPackage("io.depthstream.streams..", "io.depthstream.inference..",
            "io.depthstream.proto..", "io.depthstream.connect.source..", "io.depthstream.connect.frames..",
            "io.depthstream.connect.formats..", "io.depthstream.depth", "io.depthstream.depth.classical..",
            "io.depthstream.depth.focus..", "io.depthstream.depth.support..", "io.depthstream.depth.wire..",
            "io.depthstream.depth.tooling..")
        .should().dependOnClassesThat().resideInAnyPackage("io.depthstream.depth.scene..",
            "io.depthstream.depth.sampling..", "io.depthstream.depth.metrics..", "io.depthstream.depth.io..",
            "io.depthstream.depth.resample..")
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
