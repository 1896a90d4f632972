package io.depthstream.streams.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthstream.proto.kafka.DeadLetterReason;
import io.depthstream.streams.fuzz.FrameCorpus.FuzzCase;
import io.depthstream.streams.fuzz.FuzzExpectations.Expectation;
import io.depthstream.streams.fuzz.FuzzHarness.Input;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every named case of the committed corpus ({@link FrameCorpus}) through the real topology, each with the outcome
 * pinned in {@link FuzzExpectations}, the exact per-record accounting of {@link FuzzHarness}, and memory bounds.
 * One driver serves the class, as one stream task serves a partition: decoder and output buffers are reused from
 * case to case, which is what a hostile stream would exercise.
 */
class FrameCorpusTest {
  /** A rejected header must cost about as much as a small record, nowhere near its declared size. */
  private static final long HEADER_REJECTION_BUDGET_BYTES = 4L * 1024 * 1024;
  /** Live-heap growth allowed over three more passes of the whole corpus (10 MB values included). */
  private static final long HEAP_GROWTH_BUDGET_BYTES = 32L * 1024 * 1024;

  private static FuzzHarness harness;
  private static final OutcomeTally TALLY = new OutcomeTally("fuzz corpus: outcome per named case");

  @BeforeAll
  static void startDriver() {
    harness = new FuzzHarness();
  }

  @AfterAll
  static void printSummaryAndStop() {
    System.out.println(TALLY.table());
    harness.close();
  }

  static List<FuzzCase> corpus() {
    return FrameCorpus.cases();
  }

  private static FuzzHarness.Result run(FuzzCase c) {
    return harness.run(c.input(), c.key(), c.value().get());
  }

  @Test
  void theTableAndTheCorpusNameTheSameCases() {
    assertThat(corpus()).extracting(FuzzCase::name)
        .containsExactlyInAnyOrderElementsOf(FuzzExpectations.TABLE.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachCorpusCaseHasItsTabledOutcome(FuzzCase c) {
    Expectation expected = FuzzExpectations.TABLE.get(c.name());
    assertThat(expected).as("expectation for %s", c.name()).isNotNull();
    FuzzHarness.Result result = run(c);
    TALLY.add(c.name(), result);
    if (expected.isAwaiting()) {
      assertThat(expected.today().admits(result.outcome()))
          .as("'%s' gave %s, no longer today's %s (issue 11: %s). If that is your change reaching %s, make it "
              + "pinned(\"%s\", \"%s\") in FuzzExpectations and delete its @Disabled test in FrameCorpusTest",
              c.name(), result.outcome(), expected.today(), expected.awaiting(), expected.required(), c.name(),
              expected.required())
          .isTrue();
    } else {
      assertThat(result.outcome()).as("outcome of '%s' (pinned in FuzzExpectations)", c.name())
          .matches(expected.required()::admits, "is " + expected.required());
    }
  }

  @Test
  void aHugeDeclaredSizeIsRejectedBeforeItIsAllocated() {
    for (String name : List.of("100000x100000 header", "100000x100000 sparse header", "focal 100000x100000 header",
        "width uint32 max", "PNG slice declaring 30000x30000", "PNG slice declaring 65535x65535",
        "2048x2048 stack of 5 one-byte slices", "2048x2048 header with an 8x6 dense_mm payload")) {
      FuzzCase c = byName(name);
      FuzzHarness.Result result = run(c);
      assertThat(result.outcome().kind()).as(name).isEqualTo(Outcome.Kind.DEAD_LETTERED);
      assertThat(result.allocatedBytes()).as("bytes allocated while rejecting '%s'", name)
          .isLessThan(HEADER_REJECTION_BUDGET_BYTES);
    }
  }

  @Test
  void liveHeapStaysBoundedOverRepeatedPassesOfTheCorpus() {
    List<FuzzCase> all = corpus();
    all.forEach(FrameCorpusTest::run); // warm-up: buffers and caches that a first pass legitimately creates
    long before = liveHeapBytes();
    for (int pass = 0; pass < 3; pass++) {
      all.forEach(FrameCorpusTest::run);
    }
    long growth = liveHeapBytes() - before;
    assertThat(growth).as("live heap growth over 3 x %d records, bytes", all.size())
        .isLessThan(HEAP_GROWTH_BUDGET_BYTES);
  }

  @Test
  void everyReasonCodeIsDocumentedInTheReadme() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("depthstream.root", "..")).resolve("README.md"));
    String deadLetters = readme.substring(readme.indexOf("## Dead letters"));
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      assertThat(deadLetters).as("README 'Dead letters' documents %s", reason).contains("`" + reason.name() + "`");
    }
  }

  @Test
  void anOversizedRecordIsDeadLetteredAsATruncatedCopy() {
    // The harness keeps uint16 output, so the producer's limit is Kafka's default 1 MiB: a 10 MB dead letter would
    // be the record that cannot be written.
    byte[] value = FrameCorpus.random(99, 10 * 1024 * 1024);
    try (FuzzHarness own = new FuzzHarness()) {
      assertThat(own.run(Input.RGBD, FrameCorpus.CAM, value).outcome().kind()).isEqualTo(Outcome.Kind.DEAD_LETTERED);
      assertThat(own.lastDeadLetterValueLength()).as("dead-letter value of a 10 MB record")
          .isBetween(1, FuzzHarness.KEEPS_BYTES_UP_TO);
    }
  }

  private static FuzzCase byName(String name) {
    return corpus().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no corpus case " + name));
  }

  /** Used heap after a full collection (a best effort: System.gc is a request, so it is asked for twice). */
  private static long liveHeapBytes() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
