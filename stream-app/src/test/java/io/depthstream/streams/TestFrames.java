package io.depthstream.streams;

import com.google.protobuf.ByteString;
import io.depthstream.proto.v1.CameraIntrinsics;
import io.depthstream.proto.v1.DenseFloat32Metres;
import io.depthstream.proto.v1.DenseUint16Millimetres;
import io.depthstream.proto.v1.DepthFrame;
import io.depthstream.proto.v1.FrameId;
import io.depthstream.proto.v1.SensorKind;
import io.depthstream.proto.v1.SparseSamples;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builders of small, hand-checkable frames for tests. */
public final class TestFrames {
  public static final long CAPTURE_NS = 1_700_000_000_123_456_789L;

  private TestFrames() {}

  /** A producer of frame records as the node reads them: the sensor id as key, the serialized frame as value. */
  public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  public static CameraIntrinsics intrinsics(int width, int height) {
    return CameraIntrinsics.newBuilder().setFx(width).setFy(width).setCx((width - 1) / 2.0)
        .setCy((height - 1) / 2.0).setWidth(width).setHeight(height).build();
  }

  public static DepthFrame.Builder header(String sensor, SensorKind kind, long sequence, int width, int height) {
    return DepthFrame.newBuilder()
        .setId(FrameId.newBuilder().setSensorId(sensor).setKind(kind).setSequence(sequence)
            .setCaptureTimeNs(CAPTURE_NS + sequence * 33_333_333L))
        .setWidth(width)
        .setHeight(height)
        .setIntrinsics(intrinsics(width, height));
  }

  /** A dense uint16 frame; {@code millimetres[i] == 0} is a hole. */
  public static DepthFrame millimetres(String sensor, long sequence, int width, int height, int... millimetres) {
    ByteBuffer bb = ByteBuffer.allocate(millimetres.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int mm : millimetres) {
      bb.putShort((short) mm);
    }
    return header(sensor, SensorKind.SENSOR_KIND_RGBD, sequence, width, height)
        .setDenseMm(DenseUint16Millimetres.newBuilder().setData(ByteString.copyFrom(bb.array())))
        .build();
  }

  /** A dense float32 frame. */
  public static DepthFrame metres(String sensor, long sequence, int width, int height, float... metres) {
    ByteBuffer bb = ByteBuffer.allocate(metres.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float m : metres) {
      bb.putFloat(m);
    }
    return header(sensor, SensorKind.SENSOR_KIND_RGBD, sequence, width, height)
        .setDenseM(DenseFloat32Metres.newBuilder().setData(ByteString.copyFrom(bb.array())))
        .build();
  }

  /** A sparse LiDAR frame with samples at the given pixel indices. */
  public static DepthFrame sparse(String sensor, long sequence, int width, int height, int[] index, float[] depth) {
    SparseSamples.Builder samples = SparseSamples.newBuilder();
    for (int i = 0; i < index.length; i++) {
      samples.addIndex(index[i]);
    }
    for (float d : depth) {
      samples.addDepthM(d);
    }
    return header(sensor, SensorKind.SENSOR_KIND_LIDAR, sequence, width, height).setSparse(samples).build();
  }

  /** A uniform frame of {@code width x height} at {@code mm} millimetres. */
  public static DepthFrame flat(String sensor, long sequence, int width, int height, int mm) {
    int[] values = new int[width * height];
    java.util.Arrays.fill(values, mm);
    return millimetres(sensor, sequence, width, height, values);
  }
}
