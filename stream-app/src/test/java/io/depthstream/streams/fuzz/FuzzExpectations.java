package io.depthstream.streams.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * THE expected-outcome table of the fuzz corpus ({@link FrameCorpus}): case name to outcome, in the notation of
 * {@link Outcome} ({@code PROCESSED}, {@code SKIPPED}, {@code DLQ:<REASON>}, {@code DLQ:*}). This is the one place
 * to edit when a validation rule changes.
 *
 * <p>{@link #pinned} cases are today's behaviour, which is also what issue 11 wants. {@link #awaiting} cases are
 * where today's behaviour is not yet what issue 11 requires: they record both. {@code FrameCorpusTest} checks that
 * they still behave as today (so a rule change is noticed here) and holds one {@code @Disabled} test per such case
 * that asserts the required outcome. When your change reaches the required outcome, turn the entry into
 * {@code pinned(name, required)} and delete that {@code @Disabled} test.
 */
final class FuzzExpectations {
  /** One row: the outcome required by issue 11, today's outcome, and why they differ (null when they agree). */
  record Expectation(Outcome required, Outcome today, String awaiting) {
    boolean isAwaiting() {
      return awaiting != null;
    }
  }

  static final Map<String, Expectation> TABLE = new LinkedHashMap<>();

  private static void pinned(String name, String outcome) {
    put(name, new Expectation(Outcome.parse(outcome), Outcome.parse(outcome), null));
  }

  private static void awaiting(String name, String required, String today, String why) {
    put(name, new Expectation(Outcome.parse(required), Outcome.parse(today), why));
  }

  private static void put(String name, Expectation e) {
    if (TABLE.put(name, e) != null) {
      throw new IllegalStateException("duplicate expectation " + name);
    }
  }

  static final String REP_117 = "+-Inf pixels become valid per REP-117 and are processed";
  static final String PRINCIPAL_POINT = "a principal point far outside the image is INVALID_INTRINSICS";
  static final String KIND_TOPIC = "a kind that disagrees with the topic is dead-lettered";
  static final String FUTURE_CAPTURE = "a capture time beyond the future tolerance is dead-lettered";

  static {
    // ---- depth frames: valid and edge-valid ----
    pinned("valid dense_mm", "PROCESSED");
    pinned("valid dense_m", "PROCESSED");
    pinned("valid sparse", "PROCESSED");
    pinned("valid 1x1 frame", "PROCESSED");
    pinned("valid frame with null key", "PROCESSED"); // a null key is accepted: the id names the sensor
    pinned("vslam fresh", "PROCESSED");
    // Stale on arrival, nothing newer from the sensor: held as its newest frame and served at the next check.
    pinned("vslam stale (2023 capture time)", "PROCESSED");
    pinned("dense_mm all holes", "PROCESSED");
    pinned("dense_mm 65535 mm everywhere", "PROCESSED");
    pinned("sparse without samples", "PROCESSED");

    // ---- truncated, random, empty, oversized ----
    pinned("dense_mm truncated to 1 bytes", "DLQ:CORRUPT_BYTES");
    pinned("dense_mm truncated to 2 bytes", "DLQ:CORRUPT_BYTES");
    pinned("dense_mm truncated to 5 bytes", "DLQ:CORRUPT_BYTES");
    pinned("dense_mm truncated to 10 bytes", "DLQ:CORRUPT_BYTES");
    pinned("dense_mm truncated to half", "DLQ:CORRUPT_BYTES");
    pinned("dense_mm without its last byte", "DLQ:CORRUPT_BYTES");
    pinned("sparse truncated to 3 bytes", "DLQ:CORRUPT_BYTES");
    pinned("sparse without its last byte", "DLQ:CORRUPT_BYTES");
    pinned("random 16 bytes (seed 1)", "DLQ:CORRUPT_BYTES");
    pinned("random 64 bytes (seed 2)", "DLQ:CORRUPT_BYTES");
    pinned("random 256 bytes (seed 3)", "DLQ:CORRUPT_BYTES");
    pinned("random 1024 bytes (seed 4)", "DLQ:CORRUPT_BYTES");
    pinned("single zero byte", "DLQ:CORRUPT_BYTES");
    pinned("empty value", "DLQ:EMPTY_VALUE");
    pinned("null value (tombstone)", "DLQ:EMPTY_VALUE");
    pinned("null key and null value", "DLQ:EMPTY_VALUE");
    pinned("10 MB of garbage", "DLQ:CORRUPT_BYTES"); // its dead letter's value: see oversizedDeadLetterIsTruncated
    pinned("10 MB dense_mm payload for an 8x6 frame", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("protobuf nested 200 deep", "DLQ:CORRUPT_BYTES");

    // ---- wrong sizes per payload kind ----
    pinned("dense_mm one byte short", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("dense_mm one pixel long", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("dense_mm empty payload", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("dense_mm frame declares 9x6", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("dense_mm bytes sent as dense_m", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("dense_m one byte short", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("dense_m bytes sent as dense_mm", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("sparse more indices than depths", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("sparse more depths than indices", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("width 0", "DLQ:ABSURD_DIMENSIONS");
    pinned("height 0", "DLQ:ABSURD_DIMENSIONS");
    pinned("width uint32 max", "DLQ:ABSURD_DIMENSIONS");
    pinned("100000x100000 header", "DLQ:ABSURD_DIMENSIONS");
    pinned("100000x100000 sparse header", "DLQ:ABSURD_DIMENSIONS");
    pinned("8193x1 (over the side limit)", "DLQ:ABSURD_DIMENSIONS");
    pinned("2048x2048 header with an 8x6 dense_mm payload", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("4096x4096 header (over the pixel limit)", "DLQ:ABSURD_DIMENSIONS");

    // ---- NaN and infinite pixels ----
    pinned("dense_m NaN pixel", "PROCESSED"); // NaN = no measurement
    pinned("dense_m all NaN", "PROCESSED");
    pinned("dense_m zero pixel", "PROCESSED");
    pinned("dense_m negative zero pixel", "PROCESSED"); // -0 == 0: no measurement, not a negative depth
    pinned("dense_m +Inf pixel", "PROCESSED"); // REP-117: no return within range
    pinned("dense_m -Inf pixel", "PROCESSED"); // REP-117: nearer than the minimum range
    pinned("dense_m negative pixel", "DLQ:INVALID_DEPTH");
    pinned("dense_m beyond max depth", "DLQ:INVALID_DEPTH");
    pinned("dense_m Float.MAX_VALUE", "DLQ:INVALID_DEPTH");
    pinned("dense_m smallest subnormal", "PROCESSED");
    pinned("sparse NaN depth", "DLQ:INVALID_DEPTH");
    pinned("sparse +Inf depth", "PROCESSED"); // REP-117 in sparse samples too (common.proto)
    pinned("sparse -Inf depth", "PROCESSED");
    pinned("sparse zero depth", "DLQ:INVALID_DEPTH");
    pinned("sparse negative depth", "DLQ:INVALID_DEPTH");

    // ---- bad intrinsics ----
    pinned("fx 0", "DLQ:INVALID_INTRINSICS");
    pinned("fy 0", "DLQ:INVALID_INTRINSICS");
    pinned("fx negative", "DLQ:INVALID_INTRINSICS");
    pinned("fy negative", "DLQ:INVALID_INTRINSICS");
    pinned("fx NaN", "DLQ:INVALID_INTRINSICS");
    pinned("fy +Inf", "DLQ:INVALID_INTRINSICS");
    pinned("cx NaN", "DLQ:INVALID_INTRINSICS");
    pinned("cy -Inf", "DLQ:INVALID_INTRINSICS");
    pinned("fx smallest subnormal", "PROCESSED"); // finite and > 0; guidance copes with infinite bearings
    pinned("fx 1e300", "PROCESSED");
    pinned("cx -1e6 (far left of the image)", "DLQ:INVALID_INTRINSICS");
    pinned("cy 1e6 (far below the image)", "DLQ:INVALID_INTRINSICS");
    pinned("intrinsics width differs from frame", "DLQ:INVALID_INTRINSICS");
    pinned("intrinsics height differs from frame", "DLQ:INVALID_INTRINSICS");
    pinned("intrinsics size unset", "PROCESSED"); // width/height 0 = not stated
    pinned("intrinsics missing", "DLQ:INVALID_INTRINSICS");

    // ---- sparse indices ----
    pinned("sparse index = width*height", "DLQ:SPARSE_INDEX_OUT_OF_RANGE");
    pinned("sparse index uint32 max", "DLQ:SPARSE_INDEX_OUT_OF_RANGE");
    pinned("sparse index 2^31", "DLQ:SPARSE_INDEX_OUT_OF_RANGE");
    pinned("sparse repeated index (nearest wins)", "PROCESSED");

    // ---- identity, keys, kinds ----
    pinned("no id", "DLQ:MISSING_FIELD");
    pinned("empty sensor id", "DLQ:MISSING_FIELD");
    pinned("kind unspecified", "PROCESSED"); // takes the topic's kind
    pinned("kind 99 (unknown enum value)", "DLQ:KIND_MISMATCH");
    pinned("kind FOCAL_STACK on the RGB-D topic", "DLQ:KIND_MISMATCH"); // the topic decides the kind
    pinned("kind LIDAR on the RGB-D topic", "DLQ:KIND_MISMATCH");
    pinned("key differs from sensor id", "DLQ:KEY_MISMATCH");
    pinned("empty key", "DLQ:KEY_MISMATCH");
    pinned("key differs only in case", "DLQ:KEY_MISMATCH");
    pinned("no payload", "DLQ:UNKNOWN_ENCODING");
    pinned("payload in an unknown field 13", "DLQ:UNKNOWN_ENCODING");

    // ---- capture times ----
    pinned("capture time one hour in the future", "DLQ:FUTURE_CAPTURE_TIME");
    pinned("vslam capture time Long.MAX_VALUE", "DLQ:FUTURE_CAPTURE_TIME");
    // A negative capture time cannot be the output's Kafka timestamp; it used to stop the stream task.
    pinned("capture time -1 ns", "DLQ:MISSING_FIELD");
    pinned("capture time -1 ms", "DLQ:MISSING_FIELD");
    pinned("capture time 0 (the epoch)", "PROCESSED"); // RGB-D has no budget here
    pinned("vslam capture time Long.MIN_VALUE", "DLQ:MISSING_FIELD");

    // ---- field swaps ----
    pinned("width and height swapped", "PROCESSED"); // same pixel count: indistinguishable on the wire
    pinned("FocalStack bytes on the RGB-D topic", "DLQ:KIND_MISMATCH"); // parses; its kind is the focal one

    // ---- focal stacks ----
    pinned("valid focal stack", "PROCESSED");
    pinned("focal stack of one slice", "PROCESSED");
    pinned("focal stack of 16-bit grey PNG slice", "PROCESSED");
    pinned("focus distance 0", "DLQ:INVALID_FOCUS_DISTANCE");
    pinned("focus distance NaN", "DLQ:INVALID_FOCUS_DISTANCE");
    pinned("focus distance negative", "DLQ:INVALID_FOCUS_DISTANCE");
    pinned("focus distance +Inf", "DLQ:INVALID_FOCUS_DISTANCE");
    pinned("GRAY8 slice one pixel short", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("RGB8 slice one pixel long", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("RGB8 slice with GRAY8 byte count", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("GRAY8 slice empty", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("pixel format 9 (unknown)", "DLQ:UNKNOWN_ENCODING");
    pinned("pixel format unspecified", "DLQ:UNKNOWN_ENCODING");
    pinned("PNG slice of random bytes", "DLQ:CORRUPT_BYTES");
    pinned("PNG slice truncated to half", "DLQ:CORRUPT_BYTES");
    pinned("PNG slice with a flipped IDAT byte", "DLQ:CORRUPT_BYTES");
    pinned("PNG slice of another size (8x6)", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("PNG slice declaring 30000x30000", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("PNG slice declaring 65535x65535", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("slices of mismatched sizes (stack 16x12, PNG 17x12)", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("no slices", "DLQ:MISSING_FIELD");
    pinned("65 slices", "DLQ:ABSURD_DIMENSIONS");
    pinned("2048x2048 stack of 5 one-byte slices", "DLQ:PAYLOAD_SIZE_MISMATCH");
    pinned("chunked stack (1 of 3)", "DLQ:CHUNKED_STACK_UNSUPPORTED");
    pinned("focal 100000x100000 header", "DLQ:ABSURD_DIMENSIONS");
    pinned("focal capture time -1 s", "DLQ:MISSING_FIELD");
    pinned("focal intrinsics missing", "DLQ:INVALID_INTRINSICS");
    pinned("focal cx -1e6", "DLQ:INVALID_INTRINSICS");
    pinned("focal kind LIDAR", "DLQ:KIND_MISMATCH");
    pinned("focal kind unspecified", "PROCESSED"); // read as a focal stack, the only kind on this topic
    pinned("focal no sensor id", "DLQ:MISSING_FIELD");
    pinned("focal key differs", "DLQ:KEY_MISMATCH");
    pinned("focal empty value", "DLQ:EMPTY_VALUE");
    pinned("focal null value", "DLQ:EMPTY_VALUE");
    pinned("focal random 512 bytes", "DLQ:CORRUPT_BYTES");
    pinned("DepthFrame bytes on the focal topic", "DLQ:KIND_MISMATCH");
    pinned("focal truncated by one byte", "DLQ:CORRUPT_BYTES");
  }

  private FuzzExpectations() {}
}
