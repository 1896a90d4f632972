package io.depthstream.streams.fuzz;

/**
 * What the topology did with one input record: processed (one dense and one guidance record), skipped as stale
 * (counted, nothing emitted), or dead-lettered (one record on the dead-letter topic with a reason code).
 *
 * <p>Written in the expectation table as {@code "PROCESSED"}, {@code "SKIPPED"}, {@code "DLQ:<REASON>"} or
 * {@code "DLQ:*"} (dead-lettered with any documented reason: for rules whose reason code is not decided yet).
 *
 * @param reason the dead-letter reason code; {@code "*"} in an expectation for any; null unless dead-lettered
 */
record Outcome(Kind kind, String reason) {
  enum Kind {
    PROCESSED,
    SKIPPED,
    DEAD_LETTERED
  }

  static final Outcome PROCESSED = new Outcome(Kind.PROCESSED, null);
  static final Outcome SKIPPED = new Outcome(Kind.SKIPPED, null);

  static Outcome deadLettered(String reason) {
    return new Outcome(Kind.DEAD_LETTERED, reason);
  }

  /** Parses the table's notation (see the class comment). */
  static Outcome parse(String s) {
    return switch (s) {
      case "PROCESSED" -> PROCESSED;
      case "SKIPPED" -> SKIPPED;
      default -> {
        if (!s.startsWith("DLQ:") || s.length() == 4) {
          throw new IllegalArgumentException("outcome '" + s + "' is not PROCESSED, SKIPPED or DLQ:<REASON>");
        }
        yield deadLettered(s.substring(4));
      }
    };
  }

  /** Whether {@code actual} (always with a concrete reason) is what this expectation allows. */
  boolean admits(Outcome actual) {
    return kind == actual.kind && (kind != Kind.DEAD_LETTERED || "*".equals(reason) || reason.equals(actual.reason));
  }

  @Override
  public String toString() {
    return kind == Kind.DEAD_LETTERED ? "DLQ:" + reason : kind.name();
  }
}
