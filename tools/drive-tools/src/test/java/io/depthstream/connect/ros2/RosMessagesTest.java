package io.depthstream.connect.ros2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import foxglove.CameraCalibrationOuterClass.CameraCalibration;
import foxglove.RawImageOuterClass.RawImage;
import io.depthstream.proto.frames.RosConventions;
import io.depthstream.proto.v1.LaserScan;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CDR bytes of every message depthstream writes, byte for byte: against messages captured from real ROS 2
 * systems (published as test data of foxglove/rosmsg2-serialization, MIT, {@code src/MessageReader.test.ts}), and
 * against bytes worked out by hand from the CDR rules ({@link CdrWriter}) for Image, CameraInfo, LaserScan and
 * PointCloud2. Offsets in the comments count from the end of the 4-byte encapsulation header, where CDR
 * alignment counts from.
 */
class RosMessagesTest {
  private static final Timestamp STAMP = Timestamp.newBuilder().setSeconds(1).setNanos(2).build();
  private static final String DOUBLE_0 = "00 00 00 00 00 00 00 00";
  private static final String DOUBLE_1 = "00 00 00 00 00 00 F0 3F";
  private static final String DOUBLE_2 = "00 00 00 00 00 00 00 40";

  private static byte[] hex(String... fields) {
    return HexFormat.of().parseHex(String.join("", fields).replace(" ", ""));
  }

  private static String times(int n, String field) {
    return field.repeat(n);
  }

  /** A tf2_msgs/msg/TFMessage as turtlesim's tf broadcaster published it on ROS 2 (captured bytes). */
  @Test
  void aTfMessageMatchesOneCapturedFromRos2() {
    byte[] captured = HexFormat.of().parseHex("0001000001000000286fae6169ddd73108000000747572746c6531000e00000074"
        + "7572746c65315f616865616400000000000000000000000000f03f0000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000f03f");
    CdrWriter w = RosMessages.tfMessage(new CdrWriter(16), 1638821672L * 1_000_000_000L + 836230505L,
        List.of(new RosMessages.Transform("turtle1", "turtle1_ahead", new double[] {1, 0, 0},
            new double[] {0, 0, 0, 1})));
    assertThat(w.toByteArray()).isEqualTo(captured);
  }

  /** An rcl_interfaces/msg/Log from /rosout of ROS 2 Eloquent's minimal publisher (captured bytes). */
  @Test
  void theWriterReproducesARosoutLogCapturedFromRos2() {
    byte[] captured = HexFormat.of().parseHex("00010000fb65865e80faae0614000000120000006d696e696d616c5f7075626c69"
        + "736865720000001e0000005075626c697368696e673a202748656c6c6f2c20776f726c64212030270000004c0000002f6f70742f"
        + "726f73325f77732f656c6f7175656e742f7372632f726f73322f6578616d706c65732f72636c6370702f6d696e696d616c5f7075"
        + "626c69736865722f6c616d6264612e637070000b0000006f70657261746f722829007326000000");
    CdrWriter w = new CdrWriter(8); // grows on the way
    w.int32(1585866235).uint32(112130688).uint8(20).string("minimal_publisher")
        .string("Publishing: 'Hello, world! 0'")
        .string("/opt/ros2_ws/eloquent/src/ros2/examples/rclcpp/minimal_publisher/lambda.cpp")
        .string("operator()").uint32(38);
    // The one padding byte (before `line`) holds 0x73 in the capture: the publisher's buffer was not cleared. CDR
    // leaves padding unspecified; we write 0. Every other byte is the same.
    int padding = captured.length - 5;
    assertThat(captured[padding]).isEqualTo((byte) 0x73);
    captured[padding] = 0;
    assertThat(w.toByteArray()).isEqualTo(captured);
  }

  @Test
  void imageByHand() {
    RawImage image = RawImage.newBuilder().setTimestamp(STAMP).setFrameId("c").setWidth(2).setHeight(1)
        .setEncoding("16UC1").setStep(4).setData(ByteString.copyFrom(hex("10 27 00 00"))).build();
    byte[] expected = hex(
        "00 01 00 00", //        encapsulation: CDR_LE, no options
        "01 00 00 00", //  @0    header.stamp.sec = 1
        "02 00 00 00", //  @4    header.stamp.nanosec = 2
        "02 00 00 00", //  @8    header.frame_id length 2 (with the NUL)
        "63 00", //        @12   "c" NUL
        "00 00", //        @14   padding to 4
        "01 00 00 00", //  @16   height = 1
        "02 00 00 00", //  @20   width = 2
        "06 00 00 00", //  @24   encoding length 6
        "31 36 55 43 31 00", // @28 "16UC1" NUL
        "00", //           @34   is_bigendian = 0 (uint8: no alignment)
        "00", //           @35   padding to 4
        "04 00 00 00", //  @36   step = 4 bytes per row
        "04 00 00 00", //  @40   data: 4 elements
        "10 27 00 00"); // @44   10000 mm, 0 (no depth)
    assertThat(RosMessages.image(new CdrWriter(16), image).toByteArray()).isEqualTo(expected);
  }

  @Test
  void cameraInfoByHand() {
    CameraCalibration c = CameraCalibration.newBuilder().setTimestamp(STAMP).setFrameId("c").setWidth(3)
        .setHeight(2).setDistortionModel("plumb_bob").addAllD(List.of(1.0, 0.0, 0.0, 0.0, 0.0))
        .addAllK(List.of(2.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 0.0, 1.0))
        .addAllR(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        .addAllP(List.of(2.0, 0.0, 1.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0)).build();
    byte[] expected = hex(
        "00 01 00 00", //        encapsulation
        "01 00 00 00 02 00 00 00", // @0 stamp 1 s 2 ns
        "02 00 00 00 63 00 00 00", // @8 frame_id "c", NUL, 2 bytes padding
        "02 00 00 00", //  @16   height = 2
        "03 00 00 00", //  @20   width = 3
        "0A 00 00 00", //  @24   distortion_model length 10
        "70 6C 75 6D 62 5F 62 6F 62 00", // @28 "plumb_bob" NUL, to @38
        "00 00", //        @38   padding to 4 for the sequence count
        "05 00 00 00", //  @40   d: 5 elements
        "00 00 00 00", //  @44   padding to 8 for float64
        DOUBLE_1, times(4, DOUBLE_0), // @48 d = 1, 0, 0, 0, 0
        DOUBLE_2, DOUBLE_0, DOUBLE_1, DOUBLE_0, DOUBLE_2, DOUBLE_1, DOUBLE_0, DOUBLE_0, DOUBLE_1, // @88 k[9]
        DOUBLE_1, DOUBLE_0, DOUBLE_0, DOUBLE_0, DOUBLE_1, DOUBLE_0, DOUBLE_0, DOUBLE_0, DOUBLE_1, // @160 r[9]
        DOUBLE_2, DOUBLE_0, DOUBLE_1, DOUBLE_0, DOUBLE_0, DOUBLE_2, DOUBLE_1, DOUBLE_0, // @232 p[12] rows 1-2
        DOUBLE_0, DOUBLE_0, DOUBLE_1, DOUBLE_0, //                                      p row 3, to @328
        "00 00 00 00 00 00 00 00", // @328 binning_x, binning_y = 0
        "00 00 00 00 00 00 00 00", // @336 roi.x_offset, roi.y_offset
        "00 00 00 00 00 00 00 00", // @344 roi.height, roi.width
        "00"); //          @352  roi.do_rectify = false
    assertThat(RosMessages.cameraInfo(new CdrWriter(16), c).toByteArray()).isEqualTo(expected);
  }

  @Test
  void laserScanByHand() {
    LaserScan scan = LaserScan.newBuilder().setAngleMinRad(-0.5f).setAngleIncrementRad(0.5f).setRangeMinM(0.25f)
        .setRangeMaxM(10f).addRangesM(2f).addRangesM(Float.NaN).addRangesM(Float.POSITIVE_INFINITY).build();
    byte[] expected = hex(
        "00 01 00 00", //        encapsulation
        "01 00 00 00 02 00 00 00", // @0 stamp 1 s 2 ns
        "02 00 00 00 66 00 00 00", // @8 frame_id "f", NUL, padding
        "00 00 00 BF", //  @16   angle_min = -0.5 rad
        "00 00 00 3F", //  @20   angle_max = -0.5 + 2 * 0.5 (computed: this producer predates the field)
        "00 00 00 3F", //  @24   angle_increment = 0.5
        "00 00 00 00", //  @28   time_increment = 0
        "CD CC CC 3D", //  @32   scan_time = 0.1 s
        "00 00 80 3E", //  @36   range_min = 0.25 m
        "00 00 20 41", //  @40   range_max = 10 m
        "03 00 00 00", //  @44   ranges: 3 elements
        "00 00 00 40 00 00 C0 7F 00 00 80 7F", // @48 2 m, NaN (unknown), +Inf (no return)
        "00 00 00 00"); // @60   intensities: none
    assertThat(RosMessages.laserScan(new CdrWriter(16), 1_000_000_002L, "f", scan, 0.1f).toByteArray())
        .isEqualTo(expected);
  }

  @Test
  void pointCloud2ByHand() {
    // 2x2 uint16 mm: 2 m, none / 1 m, 4 m; fx = fy = 2, cx = cy = 0.5.
    RawImage depth = RawImage.newBuilder().setTimestamp(STAMP).setFrameId("c").setWidth(2).setHeight(2)
        .setEncoding("16UC1").setStep(4).setData(ByteString.copyFrom(hex("D0 07 00 00 E8 03 A0 0F"))).build();
    CameraCalibration k = CameraCalibration.newBuilder().addAllK(List.of(2.0, 0.0, 0.5, 0.0, 2.0, 0.5, 0.0, 0.0,
        1.0)).build();
    String field = "02 00 00 00 %s 00 00 00 %s 00 00 00 07 00 00 00 01 00 00 00"; // name, NUL, pad, offset, ...
    byte[] expected = hex(
        "00 01 00 00", //        encapsulation
        "01 00 00 00 02 00 00 00", // @0 stamp 1 s 2 ns
        "02 00 00 00 63 00 00 00", // @8 frame_id "c"
        "02 00 00 00", //  @16   height = 2 rows
        "02 00 00 00", //  @20   width = 2 points per row
        "03 00 00 00", //  @24   fields: 3 elements
        String.format(field, "78", "00"), // @28 "x": len 2, "x" NUL, pad 2, offset 0, datatype 7 FLOAT32 + pad 3,
        //                                         count 1
        String.format(field, "79", "04"), // @48 "y", offset 4
        String.format(field, "7A", "08"), // @68 "z", offset 8, to @88
        "00 00 00 00", //  @88   is_bigendian = false, padding 3
        "0C 00 00 00", //  @92   point_step = 12
        "18 00 00 00", //  @96   row_step = 24
        "30 00 00 00", //  @100  data: 48 bytes
        "00 00 00 BF 00 00 00 BF 00 00 00 40", // @104 (u 0, v 0, 2 m): x = (0 - 0.5) * 2 * 0.5, y the same, z 2
        "00 00 C0 7F 00 00 C0 7F 00 00 C0 7F", // @116 (1, 0): no depth, NaN point
        "00 00 80 BE 00 00 80 3E 00 00 80 3F", // @128 (0, 1, 1 m): -0.25, 0.25, 1
        "00 00 80 3F 00 00 80 3F 00 00 80 40", // @140 (1, 1, 4 m): 1, 1, 4
        "00"); //          @152  is_dense = false
    assertThat(RosMessages.pointCloud2(new CdrWriter(16), depth, k, 1).toByteArray()).isEqualTo(expected);

    // Every second pixel: one point, pixel (0, 0).
    byte[] decimated = RosMessages.pointCloud2(new CdrWriter(16), depth, k, 2).toByteArray();
    assertThat(decimated).hasSize(expected.length - 36);
    assertThatThrownBy(() -> RosMessages.pointCloud2(new CdrWriter(16), depth.toBuilder().setEncoding("8UC1")
        .build(), k, 1)).hasMessageContaining("16UC1 or 32FC1");
  }

  @Test
  void emptySequencesAddNoPaddingAndAlignmentCountsFromAfterTheHeader() {
    CdrWriter w = new CdrWriter(16).uint8(1).float64Sequence(new double[0]).uint8(2).float64(1.0);
    assertThat(w.toByteArray()).isEqualTo(hex("00 01 00 00", "01 00 00 00", "00 00 00 00", "02",
        "00 00 00 00 00 00 00", DOUBLE_1));
    assertThat(w.reset().size()).isEqualTo(CdrWriter.HEADER_BYTES);
  }

  @Test
  void rosNamesAreValidTopicsAndFrames() {
    assertThat(RosNames.topic("depth.raw.lidar", "lidar-front", "image"))
        .isEqualTo("/depth_raw_lidar/lidar_front/image");
    assertThat(RosNames.topic("nav.guidance", "7cam", "scan")).isEqualTo("/nav_guidance/_7cam/scan");
    assertThat(RosNames.topic("t", null, "image")).isEqualTo("/t/_/image");
    assertThat(RosConventions.opticalFrame("kinect0")).isEqualTo("kinect0_optical_frame");
    assertThat(RosConventions.bodyFrame("kinect0")).isEqualTo("kinect0_frame");
  }
}
